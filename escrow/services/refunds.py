"""Wallet money back to the card it came from (a refund of the person's card payments).

Only money that came in by card can go back to a card, and only to the cards it came from:
what can be returned is what the person's paid card payments have not returned yet, and at
most what the wallet holds. A request takes the amount out of the wallet at once (into
payouts in flight, like a withdrawal), split over the newest payments first, one CardRefund
each; each is then sent to the provider with its own idempotence key, and decided once:
returned (payouts -> the outside world) or refused (payouts -> the wallet again).
"""

import logging
import re
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User
from marketplace.dbretry import retry_on_conflict
from marketplace.jobs import enqueue_on_commit

from .. import conf
from ..display import money_text
from ..errors import IdempotencyConflictError, InsufficientFundsError, PaymentError, WebhookPayloadError
from ..models import Account, CardRefund, Journal, Payment, WebhookEvent
from ..providers import PROVIDERS, get_provider
from ..providers.base import (
    EVENT_REFUND_FAILED,
    EVENT_REFUND_SUCCEEDED,
    ProviderEvent,
    RefundResult,
    provider_sweep,
)
from .ledger import AccountRef, TransferSpec, accounts_ensure, ledger_post, validate_amount

logger = logging.getLogger(__name__)

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")
# YooKassa refunds a payment for up to three years; older ones cannot go back to the card.
REFUNDABLE_DAYS = 3 * 365
# An idempotence key lives 24 hours: no resend after that (it could refund twice).
RESEND_WINDOW = timedelta(hours=23)
STAFF_SETTLE_AFTER = timedelta(hours=1)


def _refunding_providers() -> list[str]:
    return [name for name, cls in PROVIDERS.items() if cls.supports_refunds]


def _refundable_payments(user: User, currency: str):
    since = timezone.now() - timedelta(days=REFUNDABLE_DAYS)
    return Payment.objects.filter(
        user=user,
        status=Payment.Status.SUCCEEDED,
        provider__in=_refunding_providers(),
        amount_currency=currency,
        created_at__gte=since,
    ).order_by("-created_at", "-pk")


def _returned(payment_ids) -> dict:
    rows = (
        CardRefund.objects.filter(payment_id__in=list(payment_ids))
        .exclude(status=CardRefund.Status.CANCELED)
        .order_by()
        .values("payment_id")
        .annotate(total=Sum("amount"))
    )
    return {row["payment_id"]: row["total"] for row in rows}


def card_refundable(*, user: User, currency: str | None = None) -> Money:
    """How much of the person's card payments can still go back to their cards (not capped
    by the wallet's balance: the page shows both)."""
    currency = currency or conf.currency()
    payments = list(_refundable_payments(user, currency).values_list("pk", "amount"))
    returned = _returned(pk for pk, _amount in payments)
    total = sum((amount - returned.get(pk, Decimal(0)) for pk, amount in payments), Decimal(0))
    return Money(max(total, Decimal(0)), currency)


@retry_on_conflict
def card_refund_request(*, user: User, amount: Money, key: str) -> list[CardRefund]:
    """Ask for `amount` of the wallet back to the card(s) it came from. `key` is the form's
    one-time token: the same key asks once, however many times it is submitted."""
    amount = validate_amount(amount, currency=conf.currency())
    if not _KEY_RE.match(key or ""):
        raise PaymentError(_("The form has expired. Please try again."))
    earlier = list(CardRefund.objects.filter(key__startswith=f"{key}:").order_by("pk"))
    if earlier:
        return _same_request(earlier, user=user, amount=amount)
    currency = amount.currency.code
    with transaction.atomic():
        # The payments are what the operation is about: locked first, in id order, so two
        # requests at once cannot both return the same payment's money.
        payments = list(_refundable_payments(user, currency))
        locked = {
            p.pk: p
            for p in Payment.objects.select_for_update(no_key=True, of=("self",))
            .filter(pk__in=[p.pk for p in payments])
            .order_by("pk")
        }
        # The same form submitted twice at once: the second waited on these locks; it finds
        # the first one's refunds now (its plan would otherwise move to the next payment).
        earlier = list(CardRefund.objects.filter(key__startswith=f"{key}:").order_by("pk"))
        if earlier:
            return _same_request(earlier, user=user, amount=amount)
        returned = _returned(locked)
        plan, left = [], amount.amount
        for payment in payments:  # newest first
            room = locked[payment.pk].amount.amount - returned.get(payment.pk, Decimal(0))
            if left <= 0 or room <= 0:
                continue
            part = min(room, left)
            plan.append((payment, Money(part, currency)))
            left -= part
        if left > 0:
            available = Money(amount.amount - left, currency)
            raise PaymentError(
                _("Only money paid in by card can go back to a card: at most %(max)s.") % {"max": money_text(available)}
            )
        wallet, payouts = accounts_ensure(
            AccountRef.wallet(user, currency), AccountRef.system(Account.Kind.PAYOUTS, currency)
        )
        refunds = []
        try:
            for payment, part in plan:
                journal = ledger_post(
                    key=f"card_refund:{key}:{payment.pk}",
                    kind=Journal.Kind.CARD_REFUND,
                    transfers=[TransferSpec(debit=wallet, credit=payouts, amount=part)],
                    actor=user,
                )
                if journal.is_replay:  # the same form twice at once: the first one's refunds
                    return _same_request(
                        list(CardRefund.objects.filter(key__startswith=f"{key}:").order_by("pk")),
                        user=user,
                        amount=amount,
                    )
                refund = CardRefund.objects.create(
                    user=user, payment=payment, amount=part, key=f"{key}:{payment.pk}", request_journal=journal
                )
                refunds.append(refund)
                enqueue_on_commit(_send_task(), refund.pk)
        except InsufficientFundsError as exc:
            raise PaymentError(
                _("Your wallet has %(available)s: you cannot return more than that.")
                % {"available": money_text(exc.available)}
            ) from None
        except IdempotencyConflictError:
            raise PaymentError(_("The form has expired. Please try again.")) from None
    return refunds


def _same_request(earlier: list[CardRefund], *, user: User, amount: Money) -> list[CardRefund]:
    if any(r.user_id != user.pk for r in earlier) or sum(r.amount.amount for r in earlier) != amount.amount:
        raise PaymentError(_("The form has expired. Please try again."))
    return earlier


def card_refund_send(*, refund_id: int) -> str:
    """Send the refund to the provider (again: the same idempotence key), or read its state
    when it was sent; apply what the provider says. Returns the status afterwards.
    ProviderUnavailableError when the provider cannot be reached: try again later."""
    refund = CardRefund.objects.select_related("payment", "user").filter(pk=refund_id).first()
    if refund is None or refund.status != CardRefund.Status.PENDING:
        return refund.status if refund else ""
    provider = get_provider(refund.payment.provider)
    pending = CardRefund.objects.filter(pk=refund.pk, status=CardRefund.Status.PENDING)
    if refund.provider_refund_id:
        result = provider.read_refund(refund.provider_refund_id)
        return _decide(refund_id=refund.pk, result=result)
    if refund.send_attempts and timezone.now() - refund.created_at > RESEND_WINDOW:
        logger.error(
            "Return to card %s: no answer from the provider since it was first sent; not sending it again "
            "(check the provider's dashboard, then settle it in admin)",
            refund.pk,
        )
        return refund.status
    if not refund.provider_request:
        refund.provider_request = provider.refund_request(refund=refund)
        pending.filter(provider_request={}).update(provider_request=refund.provider_request)
        refund.refresh_from_db(fields=["provider_request"])  # the one a concurrent sender kept, if any
    first = refund.send_attempts == 0
    pending.update(send_attempts=refund.send_attempts + 1)
    result = provider.start_refund(refund=refund, first=first)
    if result.provider_refund_id:
        pending.filter(provider_refund_id="").update(provider_refund_id=result.provider_refund_id)
    return _decide(refund_id=refund.pk, result=result)


def card_refund_settle_by_staff(*, refund_id: int, actor: User, returned: bool) -> CardRefund:
    """A return to card the provider never answered about (a lost answer, then a refusal on a
    resend, or past the idempotence key's 24 hours): staff looked in the provider's dashboard
    and say what happened. Only for one at least an hour old, so it is not raced by its own
    sending."""
    if actor is None or not actor.is_staff:
        raise PaymentError(_("Only staff can settle returns to card."))
    refund = CardRefund.objects.filter(pk=refund_id).first()
    if refund is None or refund.status != CardRefund.Status.PENDING:
        raise PaymentError(_("Return to card #%(id)s is already settled.") % {"id": refund_id})
    if timezone.now() - refund.created_at < STAFF_SETTLE_AFTER:
        raise PaymentError(_("Return to card #%(id)s is still being sent: wait an hour.") % {"id": refund_id})
    status = EVENT_REFUND_SUCCEEDED if returned else EVENT_REFUND_FAILED
    _decide(refund_id=refund.pk, result=RefundResult(refund.provider_refund_id, status, "" if returned else "by_staff"))
    refund.refresh_from_db()
    return refund


def card_refund_apply_event(*, provider: str, event: ProviderEvent):
    """A provider's refund notification, read again from its API."""
    from .payments import WebhookResult, event_record

    refund = CardRefund.objects.filter(payment__provider=provider, provider_refund_id=event.provider_payment_id).first()
    if refund is None:
        logger.warning("Refund event %s:%s names an unknown refund", provider, event.event_id)
        return WebhookResult(event_id=event.event_id, outcome=WebhookEvent.Outcome.IGNORED, duplicate=False)
    if refund.amount != event.amount:
        raise WebhookPayloadError(_("The event's amount does not match the refund."))
    before = refund.status
    status = _decide(
        refund_id=refund.pk,
        result=RefundResult(event.provider_payment_id, event.type, event.failure_reason),
    )
    outcome = WebhookEvent.Outcome.REFUND_DECIDED if status != before else WebhookEvent.Outcome.IGNORED
    duplicate = not event_record(
        provider=provider, event=event, outcome=outcome, payload=event.payload, payment_id=refund.payment_id
    )
    return WebhookResult(event_id=event.event_id, outcome=outcome, duplicate=duplicate)


@retry_on_conflict
def _decide(*, refund_id: int, result: RefundResult) -> str:
    if result.status not in (EVENT_REFUND_SUCCEEDED, EVENT_REFUND_FAILED):
        return CardRefund.Status.PENDING
    with transaction.atomic():
        refund = (
            CardRefund.objects.select_for_update(no_key=True, of=("self",)).select_related("user").get(pk=refund_id)
        )
        if refund.status != CardRefund.Status.PENDING:
            return refund.status
        currency = refund.amount.currency.code
        succeeded = result.status == EVENT_REFUND_SUCCEEDED
        payouts, destination = accounts_ensure(
            AccountRef.system(Account.Kind.PAYOUTS, currency),
            AccountRef.system(Account.Kind.WORLD, currency) if succeeded else AccountRef.wallet(refund.user, currency),
        )
        refund.decision_journal = ledger_post(
            key=f"card_refund:{refund.pk}:decision",
            kind=Journal.Kind.CARD_REFUND_DONE if succeeded else Journal.Kind.CARD_REFUND_FAILED,
            transfers=[TransferSpec(debit=payouts, credit=destination, amount=refund.amount)],
            memo=(result.failure_reason or "")[:255],
        )
        refund.status = CardRefund.Status.SUCCEEDED if succeeded else CardRefund.Status.CANCELED
        refund.failure_reason = "" if succeeded else (result.failure_reason or "canceled")[:255]
        refund.decided_at = timezone.now()
        if result.provider_refund_id and not refund.provider_refund_id:
            refund.provider_refund_id = result.provider_refund_id
        refund.save(update_fields=["decision_journal", "status", "failure_reason", "decided_at", "provider_refund_id"])
        return refund.status


def card_refunds_sync(*, limit: int = 200) -> int:
    """The sweep: send again or read every return to card still pending (a lost task, a
    provider that was down, a refund that stays pending until its bank answers)."""
    ids = CardRefund.objects.filter(status=CardRefund.Status.PENDING).order_by("pk").values_list("pk", flat=True)
    return provider_sweep(list(ids[:limit]), lambda pk: card_refund_send(refund_id=pk), "Return to card")


def _send_task():
    from ..tasks import card_refund_send_task

    return card_refund_send_task
