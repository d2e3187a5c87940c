import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.clientip import client_ip
from marketplace.errors import DomainError
from marketplace.redirects import redirect_back

from . import conf
from .display import money_text
from .errors import WebhookError
from .forms import CardRefundForm, PayoutMethodForm, SandboxCardForm, TopUpForm, WithdrawalForm, money_of
from .models import Payment, SandboxCharge
from .providers import UnknownProviderError
from .providers.base import ProviderUnavailableError
from .providers.sandbox import TEST_CARDS, sandbox_card_submit
from .selectors import (
    card_refunds_for_user,
    payment_get_for_user,
    payout_method_get_for_user,
    payout_methods_for_user,
    wallet_balances,
    wallet_entries,
    wallet_transfers,
    withdrawals_for_user,
)
from .services import (
    payment_start,
    payout_method_add,
    payout_method_remove,
    webhook_receive,
    withdrawal_request,
)
from .services.payments import payment_sync
from .services.refunds import card_refund_request, card_refundable

logger = logging.getLogger(__name__)


def _wallet_page(request, *, top_up_form=None, withdrawal_form=None, card_refund_form=None, status=200):
    user = request.user
    balances = wallet_balances(user=user)
    refundable = card_refundable(user=user)
    page = Paginator(wallet_transfers(user=user), conf.wallet_history_page_size()).get_page(request.GET.get("page"))
    context = {
        "balances": balances,
        # Pending money exists only with a clearance period (or left over from one).
        "show_pending": conf.clearance_days() > 0 or balances.pending.amount > 0,
        "page": page,
        "entries": wallet_entries(user=user, transfers=page.object_list),
        "top_up_form": top_up_form or TopUpForm(),
        "payout_methods": payout_methods_for_user(user=user),
        "withdrawals": withdrawals_for_user(user=user) if user.is_seller else [],
        "withdrawal_min": money_of(conf.withdrawal_min_amount()),
        "card_refundable": refundable,
        "card_refund_max": min(refundable, balances.available)
        if refundable.currency == balances.available.currency
        else refundable,
        "card_refunds": card_refunds_for_user(user=user),
    }
    context["card_refund_form"] = card_refund_form or CardRefundForm(
        initial={"amount": context["card_refund_max"].amount}
    )
    if user.is_seller:
        context["withdrawal_form"] = withdrawal_form or WithdrawalForm(user=user)
    return render(request, "escrow/wallet.html", context, status=status)


@login_required
def wallet_view(request):
    return _wallet_page(request)


@require_POST
@login_required
def top_up_view(request):
    form = TopUpForm(request.POST)
    if not form.is_valid():
        return _wallet_page(request, top_up_form=form)
    try:
        started = payment_start(
            user=request.user, amount=money_of(form.cleaned_data["amount"]), next_url=form.cleaned_data["next"]
        )
    except DomainError as exc:
        form.add_error("amount", exc.message)
        return _wallet_page(request, top_up_form=form)
    return redirect(started.redirect_url)


@require_POST
@login_required
def card_refund_view(request):
    form = CardRefundForm(request.POST)
    if not form.is_valid():
        return _wallet_page(request, card_refund_form=form)
    try:
        refunds = card_refund_request(
            user=request.user, amount=money_of(form.cleaned_data["amount"]), key=form.cleaned_data["key"]
        )
    except DomainError as exc:
        form.add_error("amount", exc.message)
        return _wallet_page(request, card_refund_form=form)
    total = sum((r.amount for r in refunds[1:]), refunds[0].amount)
    messages.success(
        request,
        _("%(amount)s is on its way back to your card. Banks usually show it within a few days.")
        % {"amount": money_text(total)},
    )
    return redirect("escrow:wallet")


@require_POST
@login_required
def withdraw_view(request):
    if not request.user.is_seller:
        raise Http404
    form = WithdrawalForm(request.POST, user=request.user)
    if not form.is_valid():
        return _wallet_page(request, withdrawal_form=form)
    try:
        withdrawal = withdrawal_request(
            user=request.user,
            amount=money_of(form.cleaned_data["amount"]),
            payout_method=form.cleaned_data["payout_method"],
            key=form.cleaned_data["key"],
        )
    except DomainError as exc:
        form.add_error("amount", exc.message)
        return _wallet_page(request, withdrawal_form=form)
    messages.success(
        request,
        _("Withdrawal of %(amount)s to %(destination)s requested. We will let you know when it is sent.")
        % {"amount": money_text(withdrawal.amount), "destination": withdrawal.payout_method.label},
    )
    return redirect("escrow:wallet")


@login_required
def payout_methods_view(request):
    if request.method == "POST":
        form = PayoutMethodForm(request.POST)
        if form.is_valid():
            try:
                method = payout_method_add(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    value=form.cleaned_data["value"],
                    bank_id=form.cleaned_data.get("bank") or "",
                )
            except DomainError as exc:
                form.add_error("value", exc.message)
            else:
                messages.success(request, _("Payout method %(method)s added.") % {"method": method.label})
                return redirect("escrow:payout_methods")
    else:
        form = PayoutMethodForm()
    return render(
        request,
        "escrow/payout_methods.html",
        {"form": form, "payout_methods": payout_methods_for_user(user=request.user)},
    )


@require_POST
@login_required
def payout_method_remove_view(request, method_id):
    method = payout_method_get_for_user(user=request.user, method_id=method_id)
    try:
        payout_method_remove(user=request.user, method_id=method.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("Payout method %(method)s removed.") % {"method": method.label})
    return redirect("escrow:payout_methods")


@login_required
def sandbox_checkout_view(request, payment_id):
    """The sandbox provider's hosted payment page (on a real provider this is their site)."""
    payment = payment_get_for_user(user=request.user, payment_id=payment_id)
    charge = SandboxCharge.objects.filter(payment=payment).first()
    if charge is None:
        raise Http404
    if charge.status != SandboxCharge.Status.AWAITING_CARD:
        return redirect("escrow:payment_return", payment_id=payment.pk)
    if request.method == "POST":
        form = SandboxCardForm(request.POST)
        if form.is_valid():
            sandbox_card_submit(payment=payment, card_number=form.cleaned_data["card_number"])
            return redirect("escrow:payment_return", payment_id=payment.pk)
    else:
        form = SandboxCardForm()
    return render(
        request,
        "escrow/sandbox_checkout.html",
        {"payment": payment, "form": form, "test_cards": _test_cards()},
    )


def _test_cards():
    labels = {
        "succeed": _("succeeds"),
        "decline": _("is declined"),
        "delay": _("succeeds after a few seconds"),
    }
    return [
        (" ".join(number[i : i + 4] for i in range(0, 16, 4)), labels[outcome])
        for number, outcome in TEST_CARDS.items()
    ]


@login_required
def payment_return_view(request, payment_id):
    """Where the provider sends the browser back. Only the webhook moves money: this page
    shows "processing" (and reloads itself) until the webhook has arrived."""
    payment = payment_get_for_user(user=request.user, payment_id=payment_id)
    if payment.status == Payment.Status.PENDING:
        # A provider that can be asked (YooKassa) is asked now, as its notification would be:
        # the buyer is not kept waiting for a notification that is late or lost.
        try:
            if payment_sync(payment=payment, quick=True) is not None:
                payment.refresh_from_db()
        except (ProviderUnavailableError, WebhookError) as exc:
            logger.info("Payment %s could not be read back on return: %s", payment.pk, exc)
    if payment.status == Payment.Status.SUCCEEDED:
        if payment.order_id is None:
            messages.success(
                request, _("Your wallet was topped up by %(amount)s.") % {"amount": money_text(payment.amount)}
            )
        # A top-up for an order: the order's page says whether it is paid now.
        return redirect_back(payment.next_url, "escrow:wallet")
    return render(request, "escrow/payment_return.html", {"payment": payment})


@csrf_exempt
@require_POST
def webhook_view(request, provider):
    """Payment providers call this. A bad signature or body is a 400 and nothing is written."""
    try:
        result = webhook_receive(
            provider_name=provider, body=request.body, headers=request.headers, remote_addr=client_ip(request)
        )
    except UnknownProviderError:
        raise Http404 from None
    except WebhookError as exc:
        logger.warning("Webhook from %s refused: %s", provider, exc.message)
        return HttpResponseBadRequest(exc.message)
    except ProviderUnavailableError:
        # We could not ask the provider what happened: it sends the notification again later.
        logger.warning("Webhook from %s: the provider could not be read back; asking for a resend", provider)
        response = HttpResponse("try again later", status=503, content_type="text/plain")
        response["Retry-After"] = "60"
        return response
    return HttpResponse("duplicate" if result.duplicate else "ok", content_type="text/plain")
