"""Money held for orders: hold, settle, refund, split; and earnings clearing after a settle.

The orders app calls these inside its own transaction with the order row locked; escrow
knows an order only by its id. Each order has one escrow account; every release (settle,
refund, split) empties it, so an order is paid out at most once however many callers try:
their keys collide (`order:<id>:settle`) or the escrow is already empty.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User
from marketplace.dbretry import BusyError, retry_on_conflict

from .. import conf
from ..display import money_text
from ..errors import EscrowStateError, IdempotencyConflictError, InvalidAmountError
from ..models import Account, Clearance, Journal
from .ledger import (
    AccountRef,
    TransferSpec,
    accounts_ensure,
    ledger_post,
    lock_accounts,
    post_locked,
    prepare_post,
    replay_or_refuse,
    validate_amount,
    validate_order_id,
)

logger = logging.getLogger(__name__)


def wallet_top_up(*, user: User, amount: Money, key: str, actor: User | None = None, memo: str = "") -> Journal:
    """Money from the outside world into the user's wallet. `key` is the provider's event
    (`topup:<provider>:<event id>`): the same event never tops up twice."""
    amount = validate_amount(amount)
    world, wallet = accounts_ensure(
        AccountRef.system(Account.Kind.WORLD, amount.currency.code),
        AccountRef.wallet(user, amount.currency.code),
    )
    return ledger_post(
        key=key,
        kind=Journal.Kind.TOP_UP,
        transfers=[TransferSpec(debit=world, credit=wallet, amount=amount)],
        actor=actor,
        memo=memo,
    )


def escrow_hold(*, order_id: int, buyer: User, amount: Money, actor: User | None = None) -> Journal:
    """Move the order's total from the buyer's wallet into the order's escrow account.
    Not enough money: InsufficientFundsError, whose `shortfall` the checkout tops up first.

    Every payment takes this path, so it writes only the rows it must. Inside the caller's
    transaction (the order's, with the order row locked) it opens no savepoint: every refusal
    comes before any write but the order's empty escrow account, which is harmless (and found
    again by the next try). The key `order:<id>:hold` is posted only here, always after the
    order's escrow account is locked, so looking the key up under that lock is enough."""
    order_id = validate_order_id(order_id)
    amount = validate_amount(amount)
    if connection.in_atomic_block:
        return _hold(order_id=order_id, buyer=buyer, amount=amount, actor=actor)
    with transaction.atomic():
        return _hold(order_id=order_id, buyer=buyer, amount=amount, actor=actor)


def _hold(*, order_id: int, buyer: User, amount: Money, actor: User | None) -> Journal:
    currency = amount.currency.code
    key = f"order:{order_id}:hold"
    wallet_ref, escrow_ref = AccountRef.wallet(buyer, currency), AccountRef.escrow(order_id, currency)
    # No savepoint: a concurrent hold of the same order waits on the unique index, then skips the insert.
    Account.objects.bulk_create([Account(balance=Money(0, currency), **escrow_ref.lookup())], ignore_conflicts=True)
    # Both accounts locked in one statement, in id order like every posting.
    locked = {
        account.kind: account
        for account in Account.objects.select_for_update(no_key=True)
        .filter(Q(**wallet_ref.lookup()) | Q(**escrow_ref.lookup()))
        .order_by("pk")
    }
    escrow, wallet = locked[Account.Kind.ESCROW], locked.get(Account.Kind.WALLET)
    if wallet is None:
        # A buyer who never had money: the general path creates the wallet and refuses with the shortfall.
        (wallet,) = accounts_ensure(wallet_ref)
        transfers = [TransferSpec(debit=wallet, credit=escrow, amount=amount)]
        return ledger_post(key=key, kind=Journal.Kind.HOLD, transfers=transfers, order_id=order_id, actor=actor)
    transfers = [TransferSpec(debit=wallet, credit=escrow, amount=amount)]
    kind, specs, digest, memo = prepare_post(
        kind=Journal.Kind.HOLD, key=key, transfers=transfers, order_id=order_id, memo=""
    )
    existing = Journal.objects.filter(key=key).first()
    if existing is not None:
        return replay_or_refuse(existing, digest)
    return post_locked(
        key=key, kind=kind, specs=specs, digest=digest, locked={wallet.pk: wallet, escrow.pk: escrow},
        order_id=order_id, actor=actor, memo=memo, key_serialised=True,
    )  # fmt: skip


def escrow_settle(*, order_id: int, seller: User, fee: Money, actor: User | None = None) -> Journal:
    """Pay out what the escrow holds: the seller gets it minus `fee`, the platform gets `fee`."""
    order_id = validate_order_id(order_id)
    fee = validate_amount(fee, allow_zero=True)
    currency = fee.currency.code
    earnings = _earnings_ref(seller, currency)
    return _release(
        order_id=order_id,
        kind=Journal.Kind.SETTLE,
        currency=currency,
        actor=actor,
        payees=[earnings, AccountRef.system(Account.Kind.REVENUE, currency)],
        plan=lambda held: _seller_plan(earnings, seller_part=held, fee=fee),
        earner=seller,
    )


def escrow_refund(*, order_id: int, buyer: User, actor: User | None = None, currency: str | None = None) -> Journal:
    """Return everything the escrow holds to the buyer's wallet."""
    order_id = validate_order_id(order_id)
    currency = currency or conf.currency()
    _check_payer(order_id=order_id, buyer=buyer)
    wallet = AccountRef.wallet(buyer, currency)
    return _release(
        order_id=order_id,
        kind=Journal.Kind.REFUND,
        currency=currency,
        actor=actor,
        payees=[wallet],
        plan=lambda held: [(wallet, held)],
        earner=None,
    )


def escrow_split(
    *,
    order_id: int,
    buyer: User,
    seller: User,
    buyer_part: Money,
    seller_part: Money,
    fee: Money,
    actor: User | None = None,
) -> Journal:
    """Divide the escrow: `buyer_part` back to the buyer, `seller_part` to the seller of which
    `fee` goes to the platform (the fee is only ever taken on the seller's part). The parts
    must add up to exactly what is held."""
    order_id = validate_order_id(order_id)
    buyer_part = validate_amount(buyer_part, allow_zero=True)
    currency = buyer_part.currency.code
    seller_part = validate_amount(seller_part, allow_zero=True, currency=currency)
    fee = validate_amount(fee, allow_zero=True, currency=currency)
    _check_payer(order_id=order_id, buyer=buyer)
    wallet = AccountRef.wallet(buyer, currency)
    earnings = _earnings_ref(seller, currency)

    def plan(held: Money) -> list[tuple[AccountRef, Money]]:
        if buyer_part + seller_part != held:
            raise InvalidAmountError(
                _("The parts (%(buyer)s and %(seller)s) must add up to the %(held)s held.")
                % {"buyer": money_text(buyer_part), "seller": money_text(seller_part), "held": money_text(held)}
            )
        return [(wallet, buyer_part), *_seller_plan(earnings, seller_part=seller_part, fee=fee)]

    return _release(
        order_id=order_id,
        kind=Journal.Kind.SPLIT,
        currency=currency,
        actor=actor,
        payees=[wallet, earnings, AccountRef.system(Account.Kind.REVENUE, currency)],
        plan=plan,
        earner=seller,
    )


def _check_payer(*, order_id: int, buyer: User) -> None:
    # Money held for an order only ever goes back to the wallet it came from.
    payer = (
        Journal.objects.filter(key=f"order:{order_id}:hold").values_list("transfers__debit__user_id", flat=True).first()
    )
    if payer is not None and payer != buyer.pk:
        raise EscrowStateError(
            _("Order #%(order)s was paid by another user: the refund goes back to them.") % {"order": order_id}
        )


def _earnings_ref(seller: User, currency: str) -> AccountRef:
    # With a clearance period, earnings wait in the pending wallet first.
    if conf.clearance_days() > 0:
        return AccountRef.pending(seller, currency)
    return AccountRef.wallet(seller, currency)


def _seller_plan(earnings: AccountRef, *, seller_part: Money, fee: Money) -> list[tuple[AccountRef, Money]]:
    if fee > seller_part:
        raise InvalidAmountError(
            _("The fee (%(fee)s) cannot be more than the seller's part (%(part)s).")
            % {"fee": money_text(fee), "part": money_text(seller_part)}
        )
    revenue = AccountRef.system(Account.Kind.REVENUE, seller_part.currency.code)
    return [(earnings, seller_part - fee), (revenue, fee)]


def _release(
    *,
    order_id: int,
    kind: str,
    currency: str,
    actor: User | None,
    payees: list[AccountRef],
    plan,
    earner: User | None,
) -> Journal:
    """Empty the order's escrow account along `plan(held)`: a list of (account, amount).

    A repeat of the same release returns the first journal when it paid the same people
    the same way, and refuses otherwise; a different release after one happened finds
    the escrow empty."""
    key = f"order:{order_id}:{kind}"
    escrow = Account.objects.filter(**AccountRef.escrow(order_id, currency).lookup()).first()
    if escrow is None:
        raise EscrowStateError(_("Nothing is held for order #%(order)s.") % {"order": order_id})

    prior = Journal.objects.filter(key=key).first()
    if prior is not None:
        return _replay_release(prior, escrow=escrow, plan=plan)

    accounts = dict(zip(payees, accounts_ensure(*payees), strict=True))
    with transaction.atomic():
        # The escrow's balance decides the amounts, so it is read locked: every account of
        # the journal is locked here in id order (ledger_post locks them again, for free).
        locked = lock_accounts([escrow.pk, *(account.pk for account in accounts.values())])
        held = locked[escrow.pk].balance
        prior = Journal.objects.filter(key=key).first()
        if prior is not None:
            return _replay_release(prior, escrow=escrow, plan=plan)
        if held.amount <= 0:
            raise EscrowStateError(
                _("Nothing is held for order #%(order)s any more: it was already paid out or refunded.")
                % {"order": order_id}
            )
        parts = [(ref, amount) for ref, amount in plan(held) if amount.amount > 0]
        journal = ledger_post(
            key=key,
            kind=kind,
            transfers=[TransferSpec(debit=escrow, credit=accounts[ref], amount=amount) for ref, amount in parts],
            order_id=order_id,
            actor=actor,
        )
        if not journal.is_replay and earner is not None:
            _clearance_open(journal=journal, seller=earner, parts=[(accounts[ref], amount) for ref, amount in parts])
    return journal


def _replay_release(prior: Journal, *, escrow: Account, plan) -> Journal:
    """The same release again: rebuild what it would pay from the amount it released then,
    and compare who got what (the seller's earnings account may have changed kind since)."""
    transfers = list(prior.transfers.select_related("credit"))
    if any(t.debit_id != escrow.pk for t in transfers):
        raise IdempotencyConflictError(_("This operation was already done with different details."))
    held = sum((t.amount for t in transfers), Money(0, escrow.currency))
    try:
        expected = _payees((ref, amount) for ref, amount in plan(held) if amount.amount > 0)
    except InvalidAmountError:
        raise IdempotencyConflictError(_("This operation was already done with different details.")) from None
    done = _payees((_ref_of(t.credit), t.amount) for t in transfers)
    if expected != done:
        raise IdempotencyConflictError(_("This operation was already done with different details."))
    prior.is_replay = True
    return prior


def _payees(items) -> dict[tuple, Decimal]:
    """{(who, currency): amount}: a user's two wallets count as one payee."""
    result: dict[tuple, Decimal] = {}
    for ref, amount in items:
        who = ("user", ref.user_id) if ref.kind in Account.USER_KINDS else (ref.kind, ref.order_id)
        result[(who, ref.currency)] = result.get((who, ref.currency), Decimal(0)) + amount.amount
    return result


def _ref_of(account: Account) -> AccountRef:
    return AccountRef(account.kind, account.currency, user_id=account.user_id, order_id=account.order_id)


def _clearance_open(*, journal: Journal, seller: User, parts: list[tuple[Account, Money]]) -> None:
    for account, amount in parts:
        if account.kind == Account.Kind.WALLET_PENDING and account.user_id == seller.pk:
            Clearance.objects.create(
                user=seller,
                amount=amount,
                source_journal=journal,
                available_at=journal.created_at + timedelta(days=conf.clearance_days()),
            )


def clearance_release_due(*, now=None, limit: int = 500) -> int:
    """Move earnings whose clearance period is over from pending to available. Safe to run
    concurrently: each row is locked (skipping rows another run holds) and released once."""
    now = now or timezone.now()
    released = 0
    due_ids = list(
        Clearance.objects.filter(released_journal__isnull=True, available_at__lte=now)
        .order_by("available_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for clearance_id in due_ids:
        try:
            released += _clearance_release(clearance_id)
        except BusyError:
            logger.warning("Clearance %s still contended; the next sweep releases it", clearance_id)
    return released


@retry_on_conflict
def _clearance_release(clearance_id: int) -> int:
    with transaction.atomic():
        # Only the clearance's row (`of`): with the user row locked too, a seller's
        # withdrawal request (accounts, then inserts pointing at the user) and this sweep
        # (user, then accounts) waited for each other, and the sweep skipped every
        # clearance of a seller whose row someone held.
        clearance = (
            Clearance.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
            .filter(pk=clearance_id, released_journal__isnull=True)
            .select_related("user")
            .first()
        )
        if clearance is None:
            return 0
        currency = clearance.amount.currency.code
        pending, wallet = accounts_ensure(
            AccountRef.pending(clearance.user, currency), AccountRef.wallet(clearance.user, currency)
        )
        journal = ledger_post(
            key=f"clearance:{clearance.pk}",
            kind=Journal.Kind.CLEARANCE,
            transfers=[TransferSpec(debit=pending, credit=wallet, amount=clearance.amount)],
            order_id=clearance.source_journal.order_id,
        )
        clearance.released_journal = journal
        clearance.save(update_fields=["released_journal"])
    return 1
