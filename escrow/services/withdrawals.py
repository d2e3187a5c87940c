"""Money going out: payout methods, withdrawal requests and staff decisions on them.

A withdrawal is paid by hand (staff send the money, then mark it paid) or, with
PAYOUT_PROVIDER set and a method the provider pays to, sent through the provider's payouts
API: staff approve it (or it is approved at once when small and the seller's history is
clean), a Celery task sends it with an idempotence key made of the request, and the
provider's answer (its notification, read again from its API, or the sweep's reading)
decides it: paid, or failed with the money back in the wallet.
"""

import logging
import re
import uuid
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
from notifications.models import Notification
from notifications.services import notification_add

from .. import conf
from ..destinations import parse_destination
from ..display import money_text
from ..errors import IdempotencyConflictError, PayoutMethodError, WebhookPayloadError, WithdrawalError
from ..models import Account, Journal, PayoutDetailsView, PayoutMethod, WebhookEvent, Withdrawal
from ..payout_details import InvalidToken, payout_details_decrypt, payout_details_encrypt, payout_details_rotate_token
from ..providers.base import EVENT_PAYOUT_FAILED, EVENT_PAYOUT_SUCCEEDED, ProviderEvent, provider_sweep
from .ledger import AccountRef, TransferSpec, accounts_ensure, ledger_post, validate_amount

logger = logging.getLogger(__name__)

MAX_PAYOUT_METHODS = 10
# YooKassa keeps an idempotence key 24 hours: a payout not known to have reached it by then
# is not sent again with the same key (it could go out twice); staff look at it.
RESEND_WINDOW = timedelta(hours=23)
STAFF_SETTLE_AFTER = timedelta(hours=1)
REASON_MAX_LENGTH = 1000
_REQUEST_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")


@retry_on_conflict
@transaction.atomic
def payout_method_add(*, user: User, kind: str, value: str, bank_id: str = "") -> PayoutMethod:
    """Save where withdrawals may go: shown masked, the full details (what staff pay to) kept
    encrypted."""
    destination = parse_destination(kind, value, bank_id)
    # Locks the user row (and nothing else, last in the lock order): two forms submitted at
    # once cannot both pass the limit.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    active = PayoutMethod.objects.filter(user=user, is_active=True)
    if active.filter(kind=destination.kind, fingerprint=destination.fingerprint).exists():
        raise PayoutMethodError(_("You have already added this payout method."))
    if active.count() >= MAX_PAYOUT_METHODS:
        raise PayoutMethodError(
            _("You can keep at most %(n)s payout methods. Remove one first.") % {"n": MAX_PAYOUT_METHODS}
        )
    return PayoutMethod.objects.create(
        user=user,
        kind=destination.kind,
        masked=destination.masked,
        details=payout_details_encrypt(destination.details),
        fingerprint=destination.fingerprint,
    )


@transaction.atomic
def payout_method_remove(*, user: User, method_id: int) -> PayoutMethod:
    """Hide a payout method. The row stays: withdrawals already made to it still show where they went."""
    method = PayoutMethod.objects.select_for_update(no_key=True).filter(pk=method_id, user=user, is_active=True).first()
    if method is None:
        raise PayoutMethodError(_("This payout method does not exist or was already removed."))
    method.is_active = False
    method.removed_at = timezone.now()
    method.save(update_fields=["is_active", "removed_at"])
    return method


@retry_on_conflict
def withdrawal_request(*, user: User, amount: Money, payout_method: PayoutMethod, key: str | None = None) -> Withdrawal:
    """Ask for a payout. The amount leaves the available balance at once (into payouts in
    flight) and waits there for a staff decision. `key` is the form's one-time token: the
    same key asks once, however many times it is submitted."""
    if not user.is_seller:
        raise WithdrawalError(_("Only freelancers can withdraw money."))
    amount = validate_amount(amount)
    minimum = Money(conf.withdrawal_min_amount(), amount.currency)
    if amount < minimum:
        raise WithdrawalError(_("The smallest withdrawal is %(min)s.") % {"min": money_text(minimum)})
    key = key or uuid.uuid4().hex
    if not _REQUEST_KEY_RE.match(key):
        raise WithdrawalError(_("The form has expired. Please try again."))
    method = PayoutMethod.objects.filter(pk=payout_method.pk, user=user, is_active=True).first()
    if method is None:
        raise WithdrawalError(_("Choose one of your payout methods."))

    earlier = Withdrawal.objects.filter(key=key).first()
    if earlier is not None:
        return _same_request(earlier, user=user, amount=amount, method=method)

    now = timezone.now()
    auto_ok = auto_payout_allowed(user_id=user.pk, amount=amount, method=method)
    wallet, payouts = accounts_ensure(
        AccountRef.wallet(user, amount.currency.code),
        AccountRef.system(Account.Kind.PAYOUTS, amount.currency.code),
    )
    try:
        with transaction.atomic():
            journal = ledger_post(
                key=f"withdrawal:{key}",
                kind=Journal.Kind.WITHDRAWAL,
                transfers=[TransferSpec(debit=wallet, credit=payouts, amount=amount)],
                actor=user,
            )
            if journal.is_replay:
                # The same form submitted twice at once: the first request's withdrawal.
                earlier = Withdrawal.objects.get(request_journal=journal)
                return _same_request(earlier, user=user, amount=amount, method=method)
            # Approved at once (small, clean history): created as being sent, so the row is
            # written once, after the accounts, as an insert (README, "Lock order").
            auto = {"status": Withdrawal.Status.SENDING, "provider": conf.payout_provider(), "approved_at": now}
            withdrawal = Withdrawal.objects.create(
                user=user,
                payout_method=method,
                amount=amount,
                key=key,
                request_journal=journal,
                **(auto if auto_ok else {}),
            )
            if auto_ok:
                enqueue_on_commit(_send_task(), withdrawal.pk)
            return withdrawal
    except IdempotencyConflictError:
        raise WithdrawalError(_("The form has expired. Please try again.")) from None


def _same_request(earlier: Withdrawal, *, user: User, amount: Money, method: PayoutMethod) -> Withdrawal:
    if earlier.user_id != user.pk or earlier.amount != amount or earlier.payout_method_id != method.pk:
        raise WithdrawalError(_("The form has expired. Please try again."))
    return earlier


def withdrawal_mark_paid(*, withdrawal_id: int, actor: User) -> Withdrawal:
    """Staff sent the money: it leaves payouts in flight for the outside world."""
    return _decide(withdrawal_id=withdrawal_id, actor=actor, status=Withdrawal.Status.PAID, reason="")


def withdrawal_reject(*, withdrawal_id: int, actor: User, reason: str) -> Withdrawal:
    """Staff refused the payout: the money returns to the freelancer's wallet; `reason` is shown to them."""
    reason = (reason or "").strip()
    if not reason:
        raise WithdrawalError(_("Write the reason for the rejection: the freelancer will see it."))
    if len(reason) > REASON_MAX_LENGTH:
        raise WithdrawalError(_("The reason is too long: at most %(n)s characters.") % {"n": REASON_MAX_LENGTH})
    return _decide(withdrawal_id=withdrawal_id, actor=actor, status=Withdrawal.Status.REJECTED, reason=reason)


def _lock_withdrawal(withdrawal_id: int) -> Withdrawal | None:
    """Lock first: two staff members (or a double click) deciding at once get one decision.
    Only the withdrawal's row (`of`): its user row stays free for the key-share lock of every
    insert that points at the user, such as the same seller's next withdrawal request, which
    holds the ledger accounts we are about to ask for (README, "Lock order")."""
    return (
        Withdrawal.objects.select_for_update(no_key=True, of=("self",))
        .select_related("user")
        .filter(pk=withdrawal_id)
        .first()
    )


def _lock_for_staff(withdrawal_id: int, actor: User) -> Withdrawal:
    """A staff decision's first step: the withdrawal locked, still waiting for one."""
    if actor is None or not actor.is_staff:
        raise WithdrawalError(_("Only staff can decide on withdrawals."))
    withdrawal = _lock_withdrawal(withdrawal_id)
    if withdrawal is None:
        raise WithdrawalError(_("Unknown withdrawal."))
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise WithdrawalError(
            _("Withdrawal #%(id)s was already decided: %(status)s.")
            % {"id": withdrawal.pk, "status": withdrawal.get_status_display()}
        )
    return withdrawal


@retry_on_conflict
def _decide(*, withdrawal_id: int, actor: User, status: str, reason: str) -> Withdrawal:
    with transaction.atomic():
        withdrawal = _lock_for_staff(withdrawal_id, actor)
        _close(withdrawal, status=status, reason=reason, actor=actor)
    return withdrawal


def _close(withdrawal: Withdrawal, *, status: str, reason: str, actor: User | None) -> None:
    """Move the money once, under the withdrawal's lock: paid (payouts in flight -> the
    outside world), or rejected / failed (payouts in flight -> the wallet)."""
    currency = withdrawal.amount.currency.code
    if status == Withdrawal.Status.PAID:
        payouts, destination = accounts_ensure(
            AccountRef.system(Account.Kind.PAYOUTS, currency), AccountRef.system(Account.Kind.WORLD, currency)
        )
        kind = Journal.Kind.WITHDRAWAL_PAID
    else:
        payouts, destination = accounts_ensure(
            AccountRef.system(Account.Kind.PAYOUTS, currency), AccountRef.wallet(withdrawal.user, currency)
        )
        kind = Journal.Kind.WITHDRAWAL_REJECTED
    # One key for every decision: even without the row lock, paying and rejecting the same
    # withdrawal could not both move money.
    journal = ledger_post(
        key=f"withdrawal:{withdrawal.pk}:decision",
        kind=kind,
        transfers=[TransferSpec(debit=payouts, credit=destination, amount=withdrawal.amount)],
        actor=actor,
        memo=reason[:255],
    )
    withdrawal.status = status
    withdrawal.reason = reason
    withdrawal.decided_by = actor
    withdrawal.decided_at = timezone.now()
    withdrawal.decision_journal = journal
    withdrawal.save(update_fields=["status", "reason", "decided_by", "decided_at", "decision_journal"])
    _notify_decision(withdrawal)


# --- payouts through the provider -------------------------------------------------------------


def provider_pays(method: PayoutMethod) -> bool:
    """Whether withdrawals to this method go through the payout provider (else: by hand)."""
    from ..providers.yookassa import PAYOUT_KINDS

    return conf.payout_provider() == "yookassa" and method.kind in PAYOUT_KINDS and bool(method.details)


def auto_payout_allowed(*, user_id: int, amount: Money, method: PayoutMethod) -> bool:
    """Small withdrawals of sellers with a clean history go out without waiting for staff."""
    limit = conf.payout_auto_max_amount()
    if limit <= 0 or amount.amount > limit or not provider_pays(method):
        return False
    recent = timezone.now() - timedelta(days=conf.payout_auto_clean_days())
    if Withdrawal.objects.filter(
        user=user_id,
        status__in=[Withdrawal.Status.REJECTED, Withdrawal.Status.FAILED],
        created_at__gte=recent,
    ).exists():
        return False
    # However clean, at most the daily limit goes out without staff in 24 hours.
    today = Withdrawal.objects.filter(
        user=user_id,
        approved_by__isnull=True,
        approved_at__gte=timezone.now() - timedelta(days=1),
        status__in=[Withdrawal.Status.SENDING, Withdrawal.Status.PAID],
        amount_currency=amount.currency.code,
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if today + amount.amount > conf.payout_auto_daily_max_amount():
        return False
    clean = conf.seller_clean()
    return clean is not None and clean(user_id=user_id)


@retry_on_conflict
def withdrawal_approve(*, withdrawal_id: int, actor: User) -> Withdrawal:
    """Staff approve a withdrawal for the payout provider, which then sends it."""
    with transaction.atomic():
        withdrawal = _lock_for_staff(withdrawal_id, actor)
        if not provider_pays(withdrawal.payout_method):
            raise WithdrawalError(
                _("Withdrawal #%(id)s goes to %(method)s: the payout service does not pay there; pay it by hand.")
                % {"id": withdrawal.pk, "method": withdrawal.payout_method.get_kind_display()}
            )
        _approve(withdrawal, actor=actor)
    return withdrawal


def _approve(withdrawal: Withdrawal, *, actor: User | None) -> None:
    withdrawal.status = Withdrawal.Status.SENDING
    withdrawal.provider = conf.payout_provider()
    withdrawal.approved_by = actor
    withdrawal.approved_at = timezone.now()
    withdrawal.save(update_fields=["status", "provider", "approved_by", "approved_at"])
    enqueue_on_commit(_send_task(), withdrawal.pk)


def withdrawal_send(*, withdrawal_id: int) -> str:
    """Send an approved withdrawal to the payout provider, or read its payout's state when it
    was sent; apply a final answer. Returns the status afterwards. Safe to run again or at
    once: the idempotence key is the request's, and the decision is taken once under the lock.
    ProviderUnavailableError when the provider cannot be reached (try again later)."""
    from ..providers import yookassa

    withdrawal = Withdrawal.objects.select_related("payout_method").filter(pk=withdrawal_id).first()
    if withdrawal is None or withdrawal.status != Withdrawal.Status.SENDING:
        return withdrawal.status if withdrawal else ""
    now = timezone.now()
    if withdrawal.provider_payout_id:
        result = yookassa.payout_read(withdrawal.provider_payout_id)
    else:
        if withdrawal.sent_at and now - withdrawal.sent_at > RESEND_WINDOW:
            logger.error(
                "Withdrawal %s: no payout id %s after it was first sent; not sending it again (check the "
                "payout gateway's dashboard, then mark it paid or reject it in admin)",
                withdrawal.pk,
                now - withdrawal.sent_at,
            )
            return withdrawal.status
        try:
            details = payout_details_decrypt(withdrawal.payout_method.details)
        except InvalidToken:
            logger.error("Withdrawal %s: its payout details cannot be decrypted (PAYOUT_DETAILS_KEY)", withdrawal.pk)
            return withdrawal.status
        # Only while it is still being sent: a decided row is never written again.
        sending = Withdrawal.objects.filter(pk=withdrawal.pk, status=Withdrawal.Status.SENDING)
        sending.filter(sent_at__isnull=True).update(sent_at=now)
        sending.update(send_attempts=withdrawal.send_attempts + 1)
        result = yookassa.payout_send(
            key=f"payout-{withdrawal.pk}-{withdrawal.key}",
            amount=withdrawal.amount,
            kind=withdrawal.payout_method.kind,
            details=details,
            withdrawal_id=withdrawal.pk,
            first=withdrawal.send_attempts == 0,
        )
        if result.provider_payout_id:
            sending.filter(provider_payout_id="").update(provider_payout_id=result.provider_payout_id)
    return _settle(withdrawal_id=withdrawal.pk, status=result.status, reason=result.failure_reason)


@retry_on_conflict
def _settle(*, withdrawal_id: int, status: str, reason: str) -> str:
    if status not in (EVENT_PAYOUT_SUCCEEDED, EVENT_PAYOUT_FAILED):
        return Withdrawal.Status.SENDING
    with transaction.atomic():
        withdrawal = _lock_withdrawal(withdrawal_id)
        if withdrawal.status != Withdrawal.Status.SENDING:
            return withdrawal.status
        if status == EVENT_PAYOUT_SUCCEEDED:
            _close(withdrawal, status=Withdrawal.Status.PAID, reason="", actor=None)
        else:
            text = _("The payout service could not deliver it (%(reason)s): the money is back in your wallet.") % {
                "reason": reason or "canceled"
            }
            _close(withdrawal, status=Withdrawal.Status.FAILED, reason=text, actor=None)
        return withdrawal.status


def withdrawal_apply_event(*, provider: str, event: ProviderEvent):
    """A payout notification, read again from the payout gateway's API."""
    from .payments import WebhookResult, event_record

    withdrawal = Withdrawal.objects.filter(provider=provider, provider_payout_id=event.provider_payment_id).first()
    if withdrawal is None:
        withdrawal = _by_metadata(provider, event)
    if withdrawal is None:
        logger.warning("Payout event %s:%s names an unknown payout", provider, event.event_id)
        return WebhookResult(event_id=event.event_id, outcome=WebhookEvent.Outcome.IGNORED, duplicate=False)
    if withdrawal.amount != event.amount:
        raise WebhookPayloadError(_("The event's amount does not match the withdrawal."))
    before = withdrawal.status
    after = _settle(withdrawal_id=withdrawal.pk, status=event.type, reason=event.failure_reason)
    outcome = WebhookEvent.Outcome.PAYOUT_DECIDED if after != before else WebhookEvent.Outcome.IGNORED
    created = event_record(provider=provider, event=event, outcome=outcome, payload=_masked(event.payload))
    return WebhookResult(event_id=event.event_id, outcome=outcome, duplicate=not created)


def _by_metadata(provider: str, event: ProviderEvent) -> Withdrawal | None:
    """A payout whose creation answer was lost: we never learned its id, but the payout read
    back from the gateway names our withdrawal in its metadata. The id is kept now."""
    metadata = event.payload.get("metadata") if isinstance(event.payload.get("metadata"), dict) else {}
    withdrawal_id = str(metadata.get("withdrawal_id") or "")
    if not withdrawal_id.isdigit():
        return None
    claimed = Withdrawal.objects.filter(
        pk=int(withdrawal_id), provider=provider, provider_payout_id="", status=Withdrawal.Status.SENDING
    ).update(provider_payout_id=event.provider_payment_id)
    return Withdrawal.objects.filter(pk=int(withdrawal_id)).first() if claimed else None


@retry_on_conflict
def withdrawal_settle_by_staff(*, withdrawal_id: int, actor: User, paid: bool) -> Withdrawal:
    """A payout the gateway never answered about (a lost answer, then a refusal on a resend,
    details that cannot be decrypted, past the key's 24 hours): staff looked in the gateway's
    dashboard and say whether it was paid. Only an hour after approval, so it is not raced by
    its own sending; a payout whose id is known is read from the gateway instead."""
    if actor is None or not actor.is_staff:
        raise WithdrawalError(_("Only staff can decide on withdrawals."))
    with transaction.atomic():
        withdrawal = _lock_withdrawal(withdrawal_id)
        if withdrawal is None or withdrawal.status != Withdrawal.Status.SENDING:
            raise WithdrawalError(_("Withdrawal #%(id)s is not being sent.") % {"id": withdrawal_id})
        if withdrawal.provider_payout_id:
            raise WithdrawalError(
                _("Withdrawal #%(id)s has a payout at the gateway: its answer decides it.") % {"id": withdrawal.pk}
            )
        if timezone.now() - withdrawal.approved_at < STAFF_SETTLE_AFTER:
            raise WithdrawalError(_("Withdrawal #%(id)s is still being sent: wait an hour.") % {"id": withdrawal.pk})
        if paid:
            _close(withdrawal, status=Withdrawal.Status.PAID, reason="", actor=actor)
        else:
            text = _("The payout service did not send it: the money is back in your wallet.")
            _close(withdrawal, status=Withdrawal.Status.FAILED, reason=text, actor=actor)
    return withdrawal


def _masked(payload: dict) -> dict:
    # A payout's object names the card (first 6, last 4) or the wallet: kept without them.
    return {
        key: payload[key] for key in ("id", "status", "amount", "created_at", "cancellation_details") if key in payload
    }


def withdrawals_sync(*, limit: int = 200) -> int:
    """The sweep: every withdrawal being sent, sent again (same key) or read."""
    ids = Withdrawal.objects.filter(status=Withdrawal.Status.SENDING).order_by("pk").values_list("pk", flat=True)
    return provider_sweep(list(ids[:limit]), lambda pk: withdrawal_send(withdrawal_id=pk), "Withdrawal")


def _send_task():
    from ..tasks import withdrawal_send_task

    return withdrawal_send_task


def _notify_decision(withdrawal: Withdrawal) -> None:
    # The wallet promises "we will let you know when it is sent": the centre and an email.
    paid = withdrawal.status == Withdrawal.Status.PAID
    params = {
        "withdrawal": withdrawal.pk,
        "amount": str(withdrawal.amount.amount),
        "currency": withdrawal.amount.currency.code,
        "destination": withdrawal.payout_method.masked if paid else "",  # the kind's name would be in staff's language
    }
    if not paid:
        params["reason"] = withdrawal.reason
    notification_add(
        recipient=withdrawal.user_id,
        kind=Notification.Kind.WITHDRAWAL_PAID if paid else Notification.Kind.WITHDRAWAL_REJECTED,
        params=params,
        url_name="escrow:wallet",
        actor=withdrawal.decided_by,
    )


@transaction.atomic
def payout_details_reveal(*, withdrawal_id: int, viewer: User, ip: str | None = None) -> str:
    """The full payout details of a withdrawal, for a staff member who pays it. Only with the
    `escrow.view_payout_details` permission (superusers have every permission), and every
    showing leaves a PayoutDetailsView row in the same transaction: no row, no details."""
    if not (viewer.is_active and viewer.is_staff and viewer.has_perm("escrow.view_payout_details")):
        raise WithdrawalError(_("You do not have the permission to see payout details."))
    withdrawal = Withdrawal.objects.select_related("payout_method").filter(pk=withdrawal_id).first()
    if withdrawal is None:
        raise WithdrawalError(_("This withdrawal does not exist."))
    PayoutDetailsView.objects.create(
        viewer=viewer, withdrawal=withdrawal, payout_method=withdrawal.payout_method, ip=ip or None
    )
    try:
        return payout_details_decrypt(withdrawal.payout_method.details)
    except InvalidToken:
        raise WithdrawalError(
            _("The payout details cannot be decrypted with the configured keys (PAYOUT_DETAILS_KEY).")
        ) from None


def payout_details_rotate(*, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every kept payout details with the newest PAYOUT_DETAILS_KEY (the first),
    so the older keys can be dropped afterwards. Each batch is its own transaction; safe to
    run again or while the site runs. A token no configured key opens is left as it is and
    counted (its key is missing: dropping keys now would lose it)."""
    counts = {"rotated": 0, "unreadable": 0}
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(
                PayoutMethod.objects.select_for_update(no_key=True)
                .filter(pk__gt=last_id)
                .exclude(details="")
                .order_by("pk")
                .only("pk", "details")[:batch]
            )
            for method in rows:
                try:
                    token = payout_details_rotate_token(method.details)
                except InvalidToken:
                    counts["unreadable"] += 1
                    continue
                PayoutMethod.objects.filter(pk=method.pk).update(details=token)
                counts["rotated"] += 1
        if not rows:
            return counts
        last_id = rows[-1].pk
