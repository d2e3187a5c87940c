from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.parsing import parse_int
from marketplace.redirects import redirect_back
from marketplace.uploads import UploadRejected, private_file_response
from orders.selectors import order_get_for_party

from . import conf, contacts, display, offers, rendering, selectors, services
from .forms import CustomOfferForm, InboxSearchForm, MessageForm, PreferenceForm
from .models import Conversation

# htmx stops polling when a poll answers with this status.
STOP_POLLING = 286


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def login_required_poll(view):
    """Like login_required, but a poll from a page whose session ended stops polling
    instead of swapping the log-in page into a badge."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if _is_htmx(request):
                return HttpResponse(status=STOP_POLLING)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _int(value) -> int:
    return parse_int(value, 0, minimum=0)


# --- inbox -----------------------------------------------------------------------------------


@require_GET
@login_required
def inbox_view(request):
    form = InboxSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.inbox(user=request.user, query=query), conf.inbox_page_size()).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    unlocked = selectors.unlocked_partner_ids(user=request.user, partner_ids={row.partner_id for row in rows})
    for row in rows:
        last = row.conversation.last_message
        row.preview = display.preview(last, viewer=request.user, unlocked=row.partner_id in unlocked)
        row.last_is_mine = last is not None and last.sender_id == request.user.pk
    return render(request, "messaging/inbox.html", {"form": form, "query": query, "page": page, "rows": rows})


# --- a conversation -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def conversation_view(request, pk):
    thread = selectors.thread_get(user=request.user, conversation_id=pk)
    if request.method == "POST":
        if thread.read_only:
            raise Http404
        form = MessageForm(request.POST, request.FILES)
        return _send(request, form, target={"conversation_id": thread.conversation.pk}, thread=thread)
    form = MessageForm(initial={"gig": _int(request.GET.get("gig")) or None})
    return _render_thread(request, form=form, thread=thread, other=thread.other_user, order=thread.conversation.order)


@require_http_methods(["GET", "POST"])
@login_required
def start_view(request, username):
    """The conversation with a person: opens it if it exists, else a page to write the first message."""
    other = selectors.user_get_for_message(username=username)
    if other.pk == request.user.pk:
        messages.info(request, _("This is you. Your conversations with other people are here."))
        return redirect("messaging:inbox")
    existing = selectors.direct_conversation_between(user_a=request.user, user_b=other)
    thread = selectors.thread_get(user=request.user, conversation_id=existing.pk) if existing else None
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        return _send(request, form, target={"recipient": other}, thread=thread, other=other)
    gig_id = _int(request.GET.get("gig")) or None
    if existing is not None:
        url = reverse("messaging:detail", args=[existing.pk])
        return redirect(f"{url}?gig={gig_id}" if gig_id else url)
    return _render_thread(request, form=MessageForm(initial={"gig": gig_id}), thread=None, other=other, order=None)


@require_http_methods(["GET", "POST"])
@login_required
def order_thread_view(request, order_id):
    """The order's thread: opens it if it exists, else a page to write the first message."""
    try:
        order = order_get_for_party(user=request.user, order_id=order_id)
    except Http404:
        # Staff reading a dispute land on the conversation itself (read-only).
        conversation = Conversation.objects.filter(order_id=order_id).first() if request.user.is_staff else None
        if conversation is None:
            raise
        return redirect("messaging:detail", pk=conversation.pk)
    conversation = selectors.order_conversation(order=order)
    thread = selectors.thread_get(user=request.user, conversation_id=conversation.pk) if conversation else None
    other = order.other_party(request.user)
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        return _send(request, form, target={"order_id": order.pk}, thread=thread, other=other, order=order)
    if conversation is not None:
        return redirect("messaging:detail", pk=conversation.pk)
    return _render_thread(request, form=MessageForm(), thread=None, other=other, order=order)


def _send(request, form: MessageForm, *, target: dict, thread=None, other=None, order=None):
    """Validate, send, redirect; on any problem the page comes back with the text kept."""
    other = other or thread.other_user
    order = order or (thread.conversation.order if thread else None)

    def again(status: int, warning=None):
        return _render_thread(
            request, form=form, thread=thread, other=other, order=order, warning=warning, status=status
        )

    if not form.is_valid():
        return again(400)
    data = form.cleaned_data
    try:
        message = services.message_send(
            sender=request.user, body=data["body"], files=data["files"], gig_id=data["gig"],
            confirm_contacts=data["confirm"], **target,
        )  # fmt: skip
    except services.ContactsWarning as warning:
        return again(200, warning=warning)
    except UploadRejected as exc:
        form.add_error("files", exc.message)
        return again(400)
    except services.RateLimited as exc:
        form.add_error(None, exc.message)
        return again(429)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return again(400)
    back = reverse("messaging:detail", args=[message.conversation_id]) + f"#m{message.pk}"
    return redirect_back(data.get("next"), back)


def _render_thread(request, *, form, thread, other, order, warning=None, status: int = 200):
    before = _int(request.GET.get("before")) if request.method == "GET" else 0
    items, has_older = [], False
    if thread is not None:
        items, has_older = selectors.thread_messages(
            conversation=thread.conversation, limit=conf.thread_page_size(), before_id=before or None
        )
        if items and not before:
            _mark_read(thread, up_to_id=items[-1].pk)
    gig_id = form["gig"].value()
    quoted_gig = selectors.gig_for_quote(gig_id=_int(gig_id), user_ids=(request.user.pk, other.pk))
    if thread is not None:
        post_url = reverse("messaging:detail", args=[thread.conversation.pk])
    elif order is not None:
        post_url = reverse("messaging:order_thread", args=[order.pk])
    else:
        post_url = reverse("messaging:start", args=[other.username])
    if thread is not None:
        unlocked = thread.unlocked
    else:
        unlocked = selectors.contacts_unlocked(user_a_id=request.user.pk, user_b_id=other.pk)
    context = {
        "thread": thread,
        "unlocked": unlocked,
        "conversation": thread.conversation if thread else None,
        "other": other,
        "order": order,
        "items": items,
        "messages_html": _messages_html(request, thread, items),
        "has_older": has_older,
        "oldest_id": items[0].pk if items else 0,
        "last_id": items[-1].pk if items else 0,
        "seen_id": thread.partner.last_read_id if thread and thread.partner else 0,
        "older_page": bool(before),
        "form": form,
        "quoted_gig": quoted_gig,
        "post_url": post_url,
        "warning": warning,
        "warning_labels": [display.KIND_LABELS[k] for k in warning.kinds] if warning else [],
        "files_lost": bool(warning and request.FILES),
        "poll_seconds": conf.poll_seconds(),
        # Freelancers send custom offers from direct conversations.
        "offer_url": (
            reverse("messaging:offer_send", args=[thread.conversation.pk])
            if thread is not None and order is None and request.user.is_seller
            else ""
        ),
    }
    return render(request, "messaging/thread.html", context, status=status)


def _mark_read(thread, *, up_to_id: int) -> None:
    """One UPDATE for everything shown, and none when it was all read already."""
    if thread.me is not None and thread.me.last_read_id < up_to_id:
        services.conversation_mark_read(conversation_id=thread.conversation.pk, user=thread.viewer, up_to_id=up_to_id)


def _messages_html(request, thread, items):
    """The messages as this reader sees them (each message's HTML comes from the cache when it can)."""
    if thread is None:
        return ""
    partner_read = thread.partner.last_read_id if thread.partner else 0
    display.present(items, viewer=request.user, unlocked=thread.unlocked, partner_read_id=partner_read)
    return rendering.messages_html(items, viewer=request.user, read_only=thread.read_only, request=request)


# --- live parts (htmx) ----------------------------------------------------------------------------


@require_GET
@login_required_poll
def poll_view(request, pk):
    """New messages after `after`, and the ids of my messages read since `seen`. 204 when
    nothing changed, so an idle tab costs two indexed queries every few seconds."""
    thread = selectors.thread_get(user=request.user, conversation_id=pk)
    after, seen = _int(request.GET.get("after")), _int(request.GET.get("seen"))
    new = selectors.thread_messages_after(conversation=thread.conversation, after_id=after, limit=50)
    partner_read = thread.partner.last_read_id if thread.partner else 0
    ticks = []
    if thread.me is not None:
        ticks = selectors.own_messages_seen_between(
            conversation=thread.conversation, user=request.user, after_id=seen, up_to_id=partner_read
        )
        if new:
            _mark_read(thread, up_to_id=new[-1].pk)
    if not new and not ticks:
        return HttpResponse(status=204)
    context = {
        "thread": thread,
        "conversation": thread.conversation,
        "messages_html": _messages_html(request, thread, new),
        "ticks": ticks,
        "last_id": new[-1].pk if new else after,
        "seen_id": max(seen, partner_read),
        "poll_seconds": conf.poll_seconds(),
    }
    return render(request, "messaging/_poll.html", context)


@require_GET
@login_required
def older_view(request, pk):
    thread = selectors.thread_get(user=request.user, conversation_id=pk)
    before = _int(request.GET.get("before"))
    if not _is_htmx(request):
        return redirect(reverse("messaging:detail", args=[pk]) + f"?before={before}")
    items, has_older = selectors.thread_messages(
        conversation=thread.conversation, limit=conf.thread_page_size(), before_id=before or None
    )
    context = {
        "thread": thread,
        "conversation": thread.conversation,
        "messages_html": _messages_html(request, thread, items),
        "has_older": has_older,
        "oldest_id": items[0].pk if items else 0,
    }
    return render(request, "messaging/_older.html", context)


@require_POST
@login_required_poll
def check_view(request):
    """The composer's live warning: does this text share contacts with this person?"""
    body = (request.POST.get("body") or "")[: conf.max_length()]
    other = selectors.user_get_for_message(username=request.POST.get("to") or "")
    findings = contacts.detect(body)
    if findings and selectors.contacts_unlocked(user_a_id=request.user.pk, user_b_id=other.pk):
        findings = []
    labels = [display.KIND_LABELS[k] for k in contacts.kinds(findings)]
    return render(request, "messaging/_contacts_check.html", {"labels": labels})


@require_GET
@login_required_poll
def unread_badge_view(request):
    count = selectors.unread_total(user=request.user)
    context = {"messaging_unread": count, "badge_poll_seconds": conf.badge_poll_seconds()}
    return render(request, "messaging/_unread_badge.html", context)


# --- files and permalinks ---------------------------------------------------------------------------


def _file_response(attachment, field):
    # Images were re-encoded to JPEG when sent: shown inline; anything else is a download.
    return private_file_response(field, filename=attachment.name, inline_image=attachment.is_image)


@require_GET
@login_required
def attachment_view(request, pk):
    attachment = selectors.attachment_get_for_user(user=request.user, attachment_id=pk)
    return _file_response(attachment, attachment.file)


@require_GET
@login_required
def attachment_thumbnail_view(request, pk):
    attachment = selectors.attachment_get_for_user(user=request.user, attachment_id=pk)
    if not attachment.thumbnail:
        raise Http404
    return _file_response(attachment, attachment.thumbnail)


@require_GET
@login_required
def message_view(request, pk):
    """A link to one message: its conversation, scrolled to it."""
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    url = reverse("messaging:detail", args=[message.conversation_id])
    newer = message.conversation.messages.filter(pk__gt=message.pk)[: conf.thread_page_size()].count()
    if newer >= conf.thread_page_size():  # not on the latest page: open the page that ends with it
        url += f"?before={message.pk + 1}"
    return redirect(f"{url}#m{message.pk}")


# --- settings -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def settings_view(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.messaging_preference_set(
                user=request.user, email_notifications=form.cleaned_data["email_notifications"]
            )
            messages.success(request, _("Your message settings are saved."))
            return redirect("messaging:settings")
    else:
        form = PreferenceForm(initial={"email_notifications": selectors.email_preference(user=request.user)})
    return render(request, "messaging/settings.html", {"form": form})


# --- custom offers ------------------------------------------------------------------------------


@require_POST
@login_required
def custom_offer_send_view(request, pk):
    thread = selectors.thread_get(user=request.user, conversation_id=pk)
    form = CustomOfferForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".strip(": ")
                           for name, errs in form.errors.items())  # fmt: skip
        messages.error(request, _("The offer was not sent: %(errors)s") % {"errors": errors})
        return redirect("messaging:detail", pk=thread.conversation.pk)
    data = offers.OfferData(**form.cleaned_data)
    try:
        offers.custom_offer_send(seller=request.user, conversation_id=thread.conversation.pk, data=data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your offer is sent. The client can accept it and pay right from the conversation.")
        )
    return redirect("messaging:detail", pk=thread.conversation.pk)


@require_POST
@login_required
def custom_offer_answer_view(request, offer_id, answer):
    offer = selectors.custom_offer_get_for_user(user=request.user, offer_id=offer_id)
    try:
        if answer == "accept":
            order = offers.custom_offer_accept(offer_id=offer.pk, buyer=request.user)
            messages.success(request, _("The order is placed on the offer's terms. Pay it to start the work."))
            return redirect("orders:pay", order_id=order.pk)
        if answer == "decline":
            offers.custom_offer_decline(offer_id=offer.pk, buyer=request.user, reason=request.POST.get("reason", ""))
            messages.info(request, _("The offer is declined."))
        elif answer == "withdraw":
            offers.custom_offer_withdraw(offer_id=offer.pk, seller=request.user)
            messages.info(request, _("The offer is withdrawn."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("messaging:detail", pk=offer.conversation_id)
