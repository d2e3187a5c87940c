"""Money going out: payout methods, withdrawal requests and staff decisions on them."""

import re
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User
from marketplace.dbretry import retry_on_conflict
from notifications.models import Notification
from notifications.services import notification_add

from .. import conf
from ..destinations import parse_destination
from ..display import money_text
from ..errors import IdempotencyConflictError, PayoutMethodError, WithdrawalError
from ..models import Account, Journal, PayoutDetailsView, PayoutMethod, Withdrawal
from ..payout_details import InvalidToken, payout_details_decrypt, payout_details_encrypt, payout_details_rotate_token
from .ledger import AccountRef, TransferSpec, accounts_ensure, ledger_post, validate_amount

MAX_PAYOUT_METHODS = 10
REASON_MAX_LENGTH = 1000
_REQUEST_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")


@retry_on_conflict
@transaction.atomic
def payout_method_add(*, user: User, kind: str, value: str) -> PayoutMethod:
    """Save where withdrawals may go: shown masked, the full details (what staff pay to) kept
    encrypted."""
    destination = parse_destination(kind, value)
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
            return Withdrawal.objects.create(
                user=user, payout_method=method, amount=amount, key=key, request_journal=journal
            )
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


@retry_on_conflict
def _decide(*, withdrawal_id: int, actor: User, status: str, reason: str) -> Withdrawal:
    if actor is None or not actor.is_staff:
        raise WithdrawalError(_("Only staff can decide on withdrawals."))
    with transaction.atomic():
        withdrawal = _lock_withdrawal(withdrawal_id)
        if withdrawal is None:
            raise WithdrawalError(_("Unknown withdrawal."))
        if withdrawal.status != Withdrawal.Status.REQUESTED:
            raise WithdrawalError(
                _("Withdrawal #%(id)s was already decided: %(status)s.")
                % {"id": withdrawal.pk, "status": withdrawal.get_status_display()}
            )
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
        # One key for either decision: even without the row lock, paying and rejecting
        # the same withdrawal could not both move money.
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
    return withdrawal


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
