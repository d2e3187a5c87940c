from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from escrow.errors import InsufficientFundsError, PaymentError
from escrow.selectors import wallet_balances
from escrow.services import payment_start
from marketplace.errors import DomainError
from marketplace.parsing import parse_int
from marketplace.uploads import UploadRejected, private_file_response

from . import selectors, services
from .forms import CheckoutForm, DeliverForm, DisputeForm, ReasonForm, RequirementsForm, RevisionForm
from .models import Order
from .pricing import quote


@login_required
def checkout_view(request, gig_id):
    # One read of the gig for the whole request; a POST without extras does not read them.
    posting = request.method == "POST"
    gig = selectors.checkout_gig_get(gig_id=gig_id, with_extras=not posting or bool(request.POST.getlist("extras")))
    packages = list(gig.packages.all())
    initial_tier = request.GET.get("package", packages[0].tier if packages else 1)
    if request.method == "GET" and request.headers.get("HX-Request"):
        # The live summary: the same formula the order will use.
        form = CheckoutForm(request.GET, gig=gig)
        return render(request, "orders/_checkout_summary.html", {"gig": gig, "quote": _quote(gig, form)})
    form = CheckoutForm(request.POST or None, gig=gig, initial={"package": initial_tier, "quantity": 1})
    if posting and form.is_valid():
        try:
            # Only what the buyer chose is read from the form: prices, days and the fee are the server's.
            order = services.order_place(
                buyer=request.user,
                gig_id=gig.pk,
                gig=gig,
                package_tier=form.cleaned_data["package"],
                extra_ids=form.cleaned_data["extras"],
                quantity=form.cleaned_data["quantity"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("orders:pay", order_id=order.pk)
    if request.method == "GET":
        form_for_quote = CheckoutForm({"package": initial_tier, "quantity": 1}, gig=gig)
    else:
        form_for_quote = form
    return render(
        request,
        "orders/checkout.html",
        {
            "gig": gig, "form": form, "packages": packages, "extras": list(gig.extras.all()),
            "questions": list(gig.questions.all()), "quote": _quote(gig, form_for_quote),
            "chosen_extras": {parse_int(v) for v in request.POST.getlist("extras")} - {None},
        },
    )  # fmt: skip


def _quote(gig, form: CheckoutForm):
    if not form.is_valid():
        return None
    package = next((p for p in gig.packages.all() if p.tier == form.cleaned_data["package"]), None)
    if package is None:
        return None
    extras = [e for e in gig.extras.all() if e.pk in form.cleaned_data["extras"]]
    return quote(gig=gig, package=package, extras=extras, quantity=form.cleaned_data["quantity"])


@login_required
def pay_view(request, order_id):
    if request.method == "POST":
        # Straight to the service: it locks the order and checks who pays, so reading the
        # order and the wallet here first would only read them twice.
        try:
            services.order_pay(order_id=order_id, buyer=request.user)
        except services.OrderAccessError:
            raise Http404 from None
        except services.OrderTransitionError:
            return redirect("orders:detail", order_id=order_id)
        except InsufficientFundsError as exc:
            # Top up exactly what is missing; the webhook that credits it pays the order too
            # (orders.services.order_pay_after_top_up), and the browser comes back here.
            try:
                start = payment_start(
                    user=request.user,
                    amount=exc.shortfall,
                    next_url=reverse("orders:pay", args=[order_id]) + "?from=card",
                    order_id=order_id,
                )
            except PaymentError as error:
                messages.error(request, error.message)
            else:
                return redirect(start.redirect_url)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Paid. The money is held safely until you accept the work."))
            return redirect("orders:detail", order_id=order_id)
    order = selectors.order_get_for_party(user=request.user, order_id=order_id)
    if order.buyer_id != request.user.pk:
        raise Http404
    if order.status != Order.Status.PENDING_PAYMENT:
        if request.GET.get("from") == "card" and order.paid_at is not None:
            messages.success(request, _("Paid by card. The money is held safely until you accept the work."))
        return redirect("orders:detail", order_id=order.pk)
    balance = wallet_balances(user=request.user).available
    shortfall = order.total - balance if balance < order.total else None
    return render(request, "orders/pay.html", {"order": order, "balance": balance, "shortfall": shortfall})


@login_required
def order_detail_view(request, order_id):
    order = selectors.order_get_for_party(user=request.user, order_id=order_id)
    return _render_detail(request, order)


def _render_detail(request, order: Order, status: int = 200, **forms):
    """The order page; after a failed POST the invalid form comes back filled in, with its errors."""
    actions = selectors.order_actions(order=order, user=request.user)
    context = {
        "order": order,
        "role": order.party_role(request.user),
        "other": order.other_party(request.user),
        "actions": actions,
        "events": list(order.events.select_related("actor")),
        "deliveries": list(order.deliveries.prefetch_related("files")),
        "answers": list(order.answers.select_related("file")),
        "dispute": getattr(order, "dispute", None),
        "evidence": list(order.files.filter(delivery__isnull=True, requirementanswer__isnull=True)),
        "deadline_soon": selectors.deadline_soon(order),
        "milestones": list(services.milestone_group(order)) if order.is_milestone else [],
        "buyer_cancel_kind": services.buyer_cancel_kind(order) if order.buyer_id == request.user.pk else "",
        "requirements_form": RequirementsForm(questions=order.questions) if "requirements" in actions else None,
        "deliver_form": DeliverForm(),
        "revision_form": RevisionForm(),
        "reason_form": ReasonForm(),
        "dispute_form": DisputeForm(),
        **forms,
    }
    return render(request, "orders/detail.html", context, status=status)


def _answers_from(form: RequirementsForm, order: Order) -> list[services.AnswerData]:
    answers = []
    for question in order.questions:
        value = form.cleaned_data.get(f"q{question['id']}")
        if question["kind"] == "file":
            answers.append(services.AnswerData(question_id=question["id"], file=value or None))
        else:
            answers.append(services.AnswerData(question_id=question["id"], answer=value or ""))
    return answers


@require_POST
@login_required
def order_action_view(request, order_id, action):
    order = selectors.order_get_for_party(user=request.user, order_id=order_id)
    user = request.user
    try:
        if action == "requirements":
            form = RequirementsForm(request.POST, request.FILES, questions=order.questions)
            if not form.is_valid():
                return _detail_with_errors(request, order, requirements_form=form)
            try:
                services.order_submit_requirements(order_id=order.pk, buyer=user, answers=_answers_from(form, order))
            except UploadRejected as exc:
                form.add_error(None, exc.message)
                return _detail_with_errors(request, order, requirements_form=form)
            messages.success(request, _("Thank you! The seller has started; the deadline runs from now."))
        elif action == "deliver":
            form = DeliverForm(request.POST, request.FILES)
            if not form.is_valid():
                return _detail_with_errors(request, order, deliver_form=form)
            try:
                services.order_deliver(
                    order_id=order.pk, seller=user, message=form.cleaned_data["message"],
                    files=form.cleaned_data["files"],
                )  # fmt: skip
            except UploadRejected as exc:
                form.add_error("files", exc.message)
                return _detail_with_errors(request, order, deliver_form=form)
            messages.success(request, _("Delivered. The buyer will now check the work."))
        elif action == "accept":
            services.order_accept(order_id=order.pk, buyer=user)
            messages.success(request, _("The order is complete and the seller is paid. Thank you!"))
        elif action == "revision":
            form = RevisionForm(request.POST)
            if not form.is_valid():
                return _detail_with_errors(request, order, revision_form=form)
            services.order_request_revision(order_id=order.pk, buyer=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The revision request is sent to the seller."))
        elif action == "cancel":
            form = ReasonForm(request.POST)
            form.is_valid()
            services.order_cancel(order_id=order.pk, actor=user, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("The order is cancelled. The money is back on the buyer's balance."))
        elif action == "cancel_request":
            form = ReasonForm(request.POST)
            form.is_valid()
            services.order_cancel_request(order_id=order.pk, actor=user, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("Your request is sent. Without an answer in 48 hours, it is accepted."))
        elif action in ("cancel_accept", "cancel_decline"):
            services.order_cancel_respond(order_id=order.pk, actor=user, accept=action == "cancel_accept")
            messages.success(
                request, _("The order is cancelled.") if action == "cancel_accept" else _("The order goes on.")
            )
        elif action == "dispute":
            form = DisputeForm(request.POST, request.FILES)
            if not form.is_valid():
                return _detail_with_errors(request, order, dispute_form=form)
            try:
                services.dispute_open(
                    order_id=order.pk, actor=user, reason=form.cleaned_data["reason"], files=form.cleaned_data["files"]
                )
            except UploadRejected as exc:
                form.add_error("files", exc.message)
                return _detail_with_errors(request, order, dispute_form=form)
            messages.success(request, _("The dispute is opened. Our team will study it and decide."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:detail", order_id=order.pk)


def _detail_with_errors(request, order, **forms):
    messages.error(request, _("Please correct the errors below."))
    return _render_detail(request, order, status=400, **forms)


def order_page_with_errors(request, order: Order, **forms):
    """The order page after another app's form on it failed (the review): shown again as
    typed, with its errors, instead of a redirect that loses the text."""
    return _detail_with_errors(request, order, **forms)


@login_required
def order_file_view(request, order_id, file_id):
    item = selectors.order_file_get_for_party(user=request.user, order_id=order_id, file_id=file_id)
    return private_file_response(item.file, filename=item.name)


@require_GET
@login_required
def order_file_thumbnail_view(request, order_id, file_id):
    """A delivered image's preview: for the order's two parties only, like the file."""
    item = selectors.order_file_get_for_party(user=request.user, order_id=order_id, file_id=file_id)
    if not item.thumbnail:
        raise Http404
    stem = item.name.rsplit(".", 1)[0] or "preview"
    return private_file_response(item.thumbnail, filename=f"{stem}.jpg", inline_image=True)


@login_required
def orders_list_view(request, side):
    if side not in ("buyer", "seller"):
        raise Http404
    tab = request.GET.get("tab", "active")
    if tab not in selectors.TABS:
        tab = "active"
    page = Paginator(selectors.orders_list(user=request.user, side=side, tab=tab), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/list.html",
        {
            "side": side,
            "tab": tab,
            "page": page,
            "counts": selectors.orders_tab_counts(user=request.user, side=side),
            "soon": {o.pk for o in page.object_list if selectors.deadline_soon(o)},
        },
    )
