"""Message text as safe HTML, read ticks, the writing area, and the order page's thread panel."""

import re

from django import template
from django.db.models import prefetch_related_objects
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from messaging import conf, selectors
from messaging.contacts import MASK
from messaging.display import present
from messaging.forms import CustomOfferForm, MessageForm
from messaging.models import Conversation
from messaging.rendering import tick_html

register = template.Library()

_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?»"


def _split_url(candidate: str) -> tuple[str, str]:
    """Punctuation after a link belongs to the sentence; a ")" only if it has no "(" in the link."""
    url, tail = candidate, ""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url, tail = url[:-1], url[-1] + tail
    return url, tail


def _text(segment: str) -> str:
    html = escape(segment)
    if MASK in html:
        hidden = format_html(
            '<span class="masked-contact" title="{}">{}</span>', _("Hidden until an order is paid"), MASK
        )
        html = html.replace(MASK, hidden)
    return html.replace("\n", "<br>")


@register.filter
def message_html(text: str) -> str:
    """Escape everything; make http(s) and www links clickable, marked external, with
    rel="nofollow noopener ugc" and a new tab; show hidden contacts as a marked placeholder."""
    if not text:
        return ""
    parts, position = [], 0
    for match in _URL_RE.finditer(text):
        url, tail = _split_url(match.group())
        if not url:
            continue
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        parts.append(_text(text[position : match.start()]))
        parts.append(
            format_html(
                '<a href="{}" class="external-link" rel="nofollow noopener ugc" target="_blank">{}'
                '<i class="bi bi-box-arrow-up-right ms-1 small" aria-hidden="true"></i>'
                '<span class="visually-hidden"> {}</span></a>',
                href,
                url,
                _("(external link)"),
            )
        )
        parts.append(_text(tail))
        position = match.end()
    parts.append(_text(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above was escaped


@register.simple_tag
def message_tick(message_id: int, seen: bool = False, oob: bool = False) -> str:
    """The read receipt of one of my messages; `oob` swaps it in place from a poll."""
    return tick_html(message_id, seen=seen, oob=oob)


@register.simple_tag(takes_context=True)
def writing_area(context) -> str:
    """The box to write a message in (and a freelancer's custom offer form). The forms'
    tags (their addresses, the other person's username, the CSRF token) are rendered for this
    page; their fields, the same in every conversation until something is sent back to
    them, are cached per language in the templates."""
    template = context.template.engine.get_template("messaging/_writing_area.html")
    offer_form = CustomOfferForm() if context.get("offer_url") else None
    with context.push(offer_form=offer_form):
        return template.render(context)


@register.inclusion_tag("messaging/_order_thread_panel.html", takes_context=True)
def order_thread_panel(context, order, limit: int = 5):
    """The latest messages of an order's thread and a box to write, for the order page:
    `{% load messaging %}{% order_thread_panel order %}`."""
    request = context["request"]
    user = request.user
    conversation = Conversation.objects.filter(order=order).first()
    items, unread = [], 0
    if conversation is not None and user.pk in conversation.user_ids:
        items, _has_older = selectors.thread_messages(conversation=conversation, limit=limit)
        prefetch_related_objects(items, "attachments")
        unlocked = selectors.contacts_unlocked(user_a_id=order.buyer_id, user_b_id=order.seller_id)
        present(items, viewer=user, unlocked=unlocked)
        me = conversation.participants.filter(user=user).first()
        if me is not None:
            unread = (
                conversation.messages.filter(pk__gt=me.last_read_id, sender__isnull=False)
                .exclude(sender_id=user.pk)
                .count()
            )
    return {
        "order": order,
        "items": items,
        "unread": unread,
        "form": MessageForm(initial={"next": request.get_full_path() + "#order-thread"}),
        "max_length": conf.max_length(),
        "request": request,
        "user": user,
    }
