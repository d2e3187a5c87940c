"""Money coming in: starting a payment with the provider, and the provider's webhook.

Only the webhook moves money. It is verified (HMAC), recorded once per provider event
(a unique row), and tops the wallet up under the key `topup:<provider>:<event id>`; the
payment row, locked first, is the second guard: a paid payment is never topped up again,
whatever event id a retry carries.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User
from marketplace.redirects import local_path

from .. import conf
from ..display import money_text
from ..errors import PaymentError, WebhookPayloadError
from ..models import Payment, WebhookEvent
from ..providers import get_provider
from ..providers.base import EVENT_PAYMENT_FAILED, EVENT_PAYMENT_SUCCEEDED, ProviderEvent, ProviderUnavailableError
from .holds import wallet_top_up
from .ledger import validate_amount

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    redirect_url: str


@dataclass(frozen=True)
class WebhookResult:
    event_id: str
    outcome: str
    duplicate: bool
    payment: Payment | None = None


def safe_next_url(next_url: str) -> str:
    """A local path to come back to after paying, or "" (never another site)."""
    next_url = local_path(next_url)
    return next_url if len(next_url) <= Payment._meta.get_field("next_url").max_length else ""


def payment_start(*, user: User, amount: Money, next_url: str = "", order_id: int | None = None) -> PaymentStart:
    """Create a pending payment and start it at the provider; the browser goes to `redirect_url`.
    With `order_id` (the buyer's unpaid order, short of this amount) the webhook that credits
    the wallet pays that order in the same transaction."""
    amount = validate_amount(amount, currency=conf.currency())
    maximum = Money(conf.top_up_max_amount(), amount.currency)
    if amount > maximum:
        raise PaymentError(_("You can top up at most %(max)s at a time.") % {"max": money_text(maximum)})
    provider = get_provider()
    payment = Payment.objects.create(
        user=user, amount=amount, provider=provider.name, next_url=safe_next_url(next_url), order_id=order_id
    )
    try:
        started = provider.start_payment(payment=payment)
    except PaymentError:
        payment.status = Payment.Status.FAILED
        payment.failure_reason = "refused_before_start"
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        raise
    except ProviderUnavailableError:
        logger.warning("Provider %s could not start payment %s", provider.name, payment.pk, exc_info=True)
        payment.status = Payment.Status.FAILED
        payment.failure_reason = "provider_unavailable"
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        raise PaymentError(
            _("The payment service is not available right now. Please try again in a few minutes.")
        ) from None
    payment.provider_payment_id = started.provider_payment_id
    payment.save(update_fields=["provider_payment_id", "updated_at"])
    return PaymentStart(payment=payment, redirect_url=started.redirect_url)


def webhook_receive(
    *, provider_name: str, body: bytes, headers: Mapping[str, str], remote_addr: str | None = None
) -> WebhookResult:
    """Verify and process one webhook delivery: what the webhook view calls (and the sandbox
    too, in process). WebhookSignatureError / WebhookPayloadError: answer 400, nothing written;
    ProviderUnavailableError (the provider could not be asked what happened): answer 503."""
    provider = get_provider(provider_name)
    event = provider.parse_webhook(body=body, headers=headers, remote_addr=remote_addr)
    return event_apply(provider=provider.name, event=event)


def event_apply(*, provider: str, event: ProviderEvent) -> WebhookResult:
    """Apply an event read from the provider: a payment's, a return to card's or a payout's."""
    if event.type.startswith("refund."):
        from .refunds import card_refund_apply_event

        return card_refund_apply_event(provider=provider, event=event)
    if event.type.startswith("payout."):
        from .withdrawals import withdrawal_apply_event

        return withdrawal_apply_event(provider=provider, event=event)
    return _webhook_process(provider=provider, event=event)


def payment_sync(*, payment: Payment, quick: bool = False) -> WebhookResult | None:
    """Read a pending payment again from its provider (a notification that never came):
    applied as if it had been notified. None when the provider cannot say. `quick`: someone
    waits for the answer (one try, a short timeout)."""
    provider = get_provider(payment.provider)
    reader = getattr(provider, "payment_event", None)
    if reader is None or not payment.provider_payment_id or payment.status != Payment.Status.PENDING:
        return None
    return event_apply(provider=provider.name, event=reader(payment.provider_payment_id, quick=quick))


def event_record(*, provider: str, event: ProviderEvent, outcome: str, payload: dict, payment_id=None) -> bool:
    """Keep a provider event decided elsewhere (a return to card, a payout) once, for the
    record; False when it was kept before (a repeated notification)."""
    _row, created = WebhookEvent.objects.get_or_create(
        provider=provider,
        event_id=event.event_id,
        defaults={"event_type": event.type, "outcome": outcome, "payload": payload, "payment_id": payment_id},
    )
    return created


def payments_sync(*, older_than_seconds: int = 300, limit: int = 200) -> int:
    """The sweep: payments still pending a few minutes after they were started, read again
    from providers that can be asked (a notification lost, or refused while we were down)."""
    now = timezone.now()
    pending = Payment.objects.filter(
        status=Payment.Status.PENDING,
        created_at__lte=now - timedelta(seconds=older_than_seconds),
        created_at__gte=now - timedelta(days=3),
    ).exclude(provider_payment_id="")
    done = 0
    for payment in list(pending.order_by("created_at")[:limit]):
        try:
            if payment_sync(payment=payment) is not None:
                done += 1
        except (ProviderUnavailableError, WebhookPayloadError) as exc:
            logger.warning("Payment %s could not be read again: %s", payment.pk, exc)
    return done


def _webhook_process(*, provider: str, event: ProviderEvent) -> WebhookResult:
    with transaction.atomic():
        # A top-up for an order: the order row is locked before the payment and the accounts
        # (README, "Lock order"), by the orders app, which then pays the order with the money.
        # The payment's order never changes once created, so reading it unlocked is enough.
        order_id = (
            Payment.objects.filter(provider=provider, provider_payment_id=event.provider_payment_id)
            .values_list("order_id", flat=True)
            .first()
        )
        payer = conf.order_payer() if order_id else None
        if payer is None:
            return _webhook_apply(provider=provider, event=event)
        return payer(order_id=order_id, apply=lambda: _webhook_apply(provider=provider, event=event))


def _webhook_apply(*, provider: str, event: ProviderEvent) -> WebhookResult:
    with transaction.atomic():
        # Lock the payment first: five deliveries of one event at once queue here; the
        # first tops up, the others then find the event recorded and the payment paid.
        payment = (
            Payment.objects.select_for_update(no_key=True, of=("self",))
            .select_related("user")
            .filter(provider=provider, provider_payment_id=event.provider_payment_id)
            .first()
        )
        if payment is not None and payment.amount != event.amount:
            raise WebhookPayloadError(_("The event's amount does not match the payment."))
        outcome = _outcome(payment, event)
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=provider,
                    event_id=event.event_id,
                    event_type=event.type,
                    payment=payment,
                    outcome=outcome,
                    payload=event.payload,
                )
        except IntegrityError:
            logger.info("Webhook event %s:%s delivered again; nothing to do", provider, event.event_id)
            return WebhookResult(
                event_id=event.event_id, outcome=WebhookEvent.Outcome.IGNORED, duplicate=True, payment=payment
            )

        if outcome == WebhookEvent.Outcome.TOPPED_UP:
            journal = wallet_top_up(
                user=payment.user,
                amount=payment.amount,
                key=f"topup:{provider}:{event.event_id}",
                memo=f"payment {payment.pk}",
            )
            payment.status = Payment.Status.SUCCEEDED
            payment.journal = journal
            payment.failure_reason = ""
            payment.save(update_fields=["status", "journal", "failure_reason", "updated_at"])
        elif outcome == WebhookEvent.Outcome.PAYMENT_FAILED:
            payment.status = Payment.Status.FAILED
            payment.failure_reason = event.failure_reason or "failed"
            payment.save(update_fields=["status", "failure_reason", "updated_at"])
        elif payment is None:
            logger.warning("Webhook event %s:%s names an unknown payment", provider, event.event_id)
    return WebhookResult(event_id=event.event_id, outcome=outcome, duplicate=False, payment=payment)


def _outcome(payment: Payment | None, event: ProviderEvent) -> str:
    if payment is None:
        return WebhookEvent.Outcome.IGNORED
    if event.type == EVENT_PAYMENT_SUCCEEDED and payment.status != Payment.Status.SUCCEEDED:
        # A payment we marked failed and the provider later reports paid: the money was taken.
        return WebhookEvent.Outcome.TOPPED_UP
    if event.type == EVENT_PAYMENT_FAILED and payment.status == Payment.Status.PENDING:
        return WebhookEvent.Outcome.PAYMENT_FAILED
    return WebhookEvent.Outcome.IGNORED
