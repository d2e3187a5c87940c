"""The ledger: the only code that moves money.

`ledger_post` is the one write path. It validates, locks every account it touches in
ascending id order (the fixed order every money path shares, so two postings never wait
for each other in a cycle), checks balances on the locked rows, then writes the journal,
its transfers, the cached balances and the pair turnovers (`turnover`) in one
transaction. It works inside a caller's `transaction.atomic()` (the orders app holds its
order row locked while it posts). `escrow_hold`, the path of every payment, takes its
locks itself and shares the rest (`prepare_post`, `post_locked`).
"""

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Value, When
from django.db.models.functions import Round
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User
from marketplace.money import currency_exponent, round_amount

from .. import conf
from ..display import money_text
from ..errors import (
    CurrencyMismatchError,
    IdempotencyConflictError,
    InsufficientFundsError,
    InvalidAmountError,
    LedgerError,
)
from ..models import Account, Journal, Transfer
from .turnover import PAIR_TURNOVER_KINDS, pair_turnover_move

BALANCE_PLACES = Account._meta.get_field("balance").decimal_places
_BALANCE = DecimalField(max_digits=Account._meta.get_field("balance").max_digits, decimal_places=BALANCE_PLACES)
KEY_MAX_LENGTH = 200
MEMO_MAX_LENGTH = 255
_KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-]+\Z")


@dataclass(frozen=True)
class TransferSpec:
    """One transfer to post: `amount` leaves `debit` and arrives in `credit`."""

    debit: Account
    credit: Account
    amount: Money


@dataclass(frozen=True)
class AccountRef:
    """Which account: enough to find it, or to create it the first time it is needed."""

    kind: str
    currency: str
    user_id: int | None = None
    order_id: int | None = None

    @classmethod
    def wallet(cls, user: User, currency: str | None = None) -> "AccountRef":
        return cls(Account.Kind.WALLET, currency or conf.currency(), user_id=user.pk)

    @classmethod
    def pending(cls, user: User, currency: str | None = None) -> "AccountRef":
        return cls(Account.Kind.WALLET_PENDING, currency or conf.currency(), user_id=user.pk)

    @classmethod
    def escrow(cls, order_id: int, currency: str | None = None) -> "AccountRef":
        return cls(Account.Kind.ESCROW, currency or conf.currency(), order_id=order_id)

    @classmethod
    def system(cls, kind: str, currency: str | None = None) -> "AccountRef":
        if kind not in Account.SYSTEM_KINDS:
            raise ValueError(f"{kind} is not a system account kind")
        return cls(kind, currency or conf.currency())

    def lookup(self) -> dict:
        return {
            "kind": self.kind,
            "balance_currency": self.currency,
            "user_id": self.user_id,
            "order_id": self.order_id,
        }

    def sort_key(self) -> tuple:
        return (self.kind, self.currency, self.user_id or 0, self.order_id or 0)


def accounts_ensure(*refs: AccountRef) -> list[Account]:
    """The accounts for `refs` (in that order), created the first time they are needed.

    Read in one query; the missing ones are created in one fixed order: two transactions
    that both create the same new accounts then wait for each other on the first unique
    index instead of deadlocking halfway."""
    wanted = sorted(set(refs), key=AccountRef.sort_key)
    matches = Q()
    for ref in wanted:
        matches |= Q(**ref.lookup())
    found: dict[AccountRef, Account] = {
        AccountRef(a.kind, a.currency, user_id=a.user_id, order_id=a.order_id): a
        for a in Account.objects.filter(matches)
    }
    for ref in wanted:
        if ref not in found:
            found[ref] = _account_create(ref)
    return [found[ref] for ref in refs]


def _account_create(ref: AccountRef) -> Account:
    try:
        # A savepoint: losing the race to another transaction's insert must not break the caller's.
        with transaction.atomic():
            return Account.objects.create(balance=Money(0, ref.currency), **ref.lookup())
    except IntegrityError:
        return Account.objects.get(**ref.lookup())


def validate_amount(amount, *, currency: str | None = None, allow_zero: bool = False) -> Money:
    """The amount as a clean `Money`, or InvalidAmountError: not money, not a finite number,
    more decimals than the currency has, negative or zero, or above the ledger's ceiling."""
    if not isinstance(amount, Money):
        raise InvalidAmountError(_("An amount must be given as money."))
    value = amount.amount
    code = amount.currency.code
    if code not in conf.currencies():
        raise CurrencyMismatchError(_("The currency %(currency)s is not accepted.") % {"currency": code})
    if currency is not None and code != currency:
        raise CurrencyMismatchError(
            _("Expected an amount in %(expected)s, got %(currency)s.") % {"expected": currency, "currency": code}
        )
    try:
        if not isinstance(value, Decimal) or not value.is_finite():
            raise InvalidAmountError(_("Enter a valid amount."))
        if value > conf.ledger_max_amount():
            raise InvalidAmountError(_("The amount is too large."))
        if value < 0 or (value == 0 and not allow_zero):
            raise InvalidAmountError(_("The amount must be greater than zero."))
        rounded = round_amount(value, code)
    except InvalidOperation:
        raise InvalidAmountError(_("Enter a valid amount.")) from None
    if rounded != value:
        raise InvalidAmountError(
            _("Use at most %(places)s digits after the decimal point.") % {"places": currency_exponent(code)}
        )
    return Money(rounded, code)


def validate_order_id(order_id) -> int:
    if isinstance(order_id, bool) or not isinstance(order_id, int) or order_id <= 0:
        raise LedgerError(_("Unknown order."))
    return order_id


def request_hash(kind: str, transfers: Iterable[TransferSpec]) -> str:
    """sha256 of the canonical JSON of the request: the same call always hashes the same."""
    return request_hash_of_rows(
        kind,
        ((spec.debit.pk, spec.credit.pk, spec.amount.amount, spec.amount.currency.code) for spec in transfers),
    )


def request_hash_of_rows(kind: str, rows: Iterable[tuple[int, int, Decimal, str]]) -> str:
    """The same hash from (debit id, credit id, amount, currency) rows, as stored transfers give them."""
    items = sorted(
        (
            {"debit": debit, "credit": credit, "amount": str(amount), "currency": str(currency)}
            for debit, credit, amount, currency in rows
        ),
        key=lambda item: (item["debit"], item["credit"], item["currency"], Decimal(item["amount"])),
    )
    canonical = json.dumps({"kind": str(kind), "transfers": items}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def lock_accounts(account_ids: Iterable[int]) -> dict[int, Account]:
    """Lock the accounts (SELECT ... FOR UPDATE) in ascending id order and return them fresh."""
    return {
        account.pk: account
        for account in Account.objects.select_for_update(no_key=True).filter(pk__in=set(account_ids)).order_by("pk")
    }


def ledger_post(
    *,
    key: str,
    kind: str,
    transfers: Sequence[TransferSpec],
    order_id: int | None = None,
    actor: User | None = None,
    memo: str = "",
    reverses: Journal | None = None,
) -> Journal:
    """Post one journal of transfers, or return the journal already posted under `key`.

    Same key and same payload (kind and transfers): the first journal comes back with
    `is_replay = True` and nothing moves. Same key, different payload: IdempotencyConflictError.
    Not enough money in a non-world account: InsufficientFundsError, nothing written."""
    kind, specs, digest, memo = prepare_post(kind=kind, key=key, transfers=transfers, order_id=order_id, memo=memo)
    with transaction.atomic():
        locked = lock_accounts(pk for spec in specs for pk in (spec.debit.pk, spec.credit.pk))
        # Checked after the locks: a concurrent post of the same key on the same accounts
        # has committed by now, so a retry sees it here and moves nothing.
        existing = Journal.objects.filter(key=key).first()
        if existing is not None:
            return replay_or_refuse(existing, digest)
        return post_locked(
            key=key, kind=kind, specs=specs, digest=digest, locked=locked, order_id=order_id, actor=actor, memo=memo,
            reverses=reverses, key_serialised=False,
        )  # fmt: skip


def prepare_post(
    *, kind: str, key: str, transfers: Sequence[TransferSpec], order_id: int | None, memo: str
) -> tuple[str, list[TransferSpec], str, str]:
    """Validate a posting before anything is locked: (kind, clean transfers, request hash, memo)."""
    kind = _validate_kind(kind)
    _validate_key(key)
    if order_id is not None:
        validate_order_id(order_id)
    specs = [_validate_transfer(spec) for spec in transfers]
    if not specs:
        raise LedgerError(_("A journal needs at least one transfer."))
    return kind, specs, request_hash(kind, specs), (memo or "")[:MEMO_MAX_LENGTH]


def post_locked(
    *,
    key: str,
    kind: str,
    specs: list[TransferSpec],
    digest: str,
    locked: dict[int, Account],
    order_id: int | None,
    actor: User | None,
    memo: str,
    reverses: Journal | None = None,
    key_serialised: bool,
) -> Journal:
    """Write a validated journal whose accounts the caller has locked (`locked`: every
    account of `specs`, read after the lock) and whose key it found unused under those locks.

    Every refusal comes before the first write. `key_serialised`: every posting of this key
    locks one of these accounts before it looks for the key (escrow_hold's keys), so the key
    cannot appear under us and the journal needs no savepoint."""
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for spec in specs:
        deltas[spec.debit.pk] -= spec.amount.amount
        deltas[spec.credit.pk] += spec.amount.amount
    for account_id, delta in deltas.items():
        _check_balance(locked[account_id], delta)

    fields = {
        "key": key, "kind": kind, "request_hash": digest, "order_id": order_id, "actor": actor, "memo": memo,
        "reverses": reverses,
    }  # fmt: skip
    if key_serialised:
        journal = Journal.objects.create(**fields)
    else:
        try:
            # A savepoint: a concurrent post of the same key on other accounts is not
            # serialised by our locks, but the unique key is; the loser then replays the
            # winner's journal (same payload) or is refused (another payload).
            with transaction.atomic():
                journal = Journal.objects.create(**fields)
        except IntegrityError:
            existing = Journal.objects.filter(key=key).first()
            if existing is not None:
                return replay_or_refuse(existing, digest)
            if reverses is not None:
                raise LedgerError(_("This journal has already been reversed.")) from None
            raise

    Transfer.objects.bulk_create(
        [Transfer(journal=journal, debit=spec.debit, credit=spec.credit, amount=spec.amount) for spec in specs]
    )
    if order_id is not None and kind in PAIR_TURNOVER_KINDS:
        pair_turnover_move(
            order_id=order_id,
            transfers=[(locked[s.debit.pk], locked[s.credit.pk], s.amount) for s in specs],
            sign=1,
        )
    if reverses is not None and reverses.order_id is not None and reverses.kind in PAIR_TURNOVER_KINDS:
        # The reversed journal stops counting: take back what it added (its transfers are ours, turned round).
        pair_turnover_move(
            order_id=reverses.order_id,
            transfers=[(locked[s.credit.pk], locked[s.debit.pk], s.amount) for s in specs],
            sign=-1,
        )
    _move_balances({account_id: delta for account_id, delta in deltas.items() if delta})
    journal.is_replay = False
    return journal


def _move_balances(deltas: dict[int, Decimal]) -> None:
    """Every cached balance of one journal in one UPDATE (the rows are locked already).
    Rounded to the column's places: SQLite computes in floating point, and 0.1 + 0.2 - 0.3
    must be 0 there, not -5e-17 (which the CHECK refuses). A plain QuerySet: django-money's
    manager cannot rewrite a Round()."""
    if not deltas:
        return
    delta = Case(
        *(When(pk=account_id, then=Value(amount, output_field=_BALANCE)) for account_id, amount in deltas.items()),
        output_field=_BALANCE,
    )
    QuerySet(Account).filter(pk__in=list(deltas)).update(balance=Round(F("balance") + delta, BALANCE_PLACES))


def ledger_reverse(*, journal_id: int, key: str, actor: User | None = None, memo: str = "") -> Journal:
    """Undo a journal with a new one that moves every transfer back and points at it.
    A journal is reversed at most once (a unique column); the balances must allow it."""
    original = Journal.objects.filter(pk=journal_id).first()
    if original is None:
        raise LedgerError(_("Unknown journal."))
    if original.kind == Journal.Kind.REVERSAL:
        raise LedgerError(_("A reversal cannot be reversed; post a new correction instead."))
    earlier = Journal.objects.filter(reverses=original).first()
    if earlier is not None and earlier.key != key:
        raise LedgerError(_("This journal has already been reversed."))
    transfers = [
        TransferSpec(debit=t.credit, credit=t.debit, amount=t.amount)
        for t in original.transfers.select_related("debit", "credit")
    ]
    return ledger_post(
        key=key,
        kind=Journal.Kind.REVERSAL,
        transfers=transfers,
        order_id=original.order_id,
        actor=actor,
        memo=memo or f"reverses {original.key}",
        reverses=original,
    )


def replay_or_refuse(existing: Journal, digest: str) -> Journal:
    if existing.request_hash != digest:
        raise IdempotencyConflictError(
            _("This operation was already done with different details (key %(key)s).") % {"key": existing.key}
        )
    existing.is_replay = True
    return existing


def _check_balance(account: Account, delta: Decimal) -> None:
    if account.kind == Account.Kind.WORLD or delta >= 0:
        return
    available = account.balance.amount
    if available + delta >= 0:
        return
    currency = account.currency
    shortfall = Money(-(available + delta), currency)
    if account.kind in Account.USER_KINDS:
        message = _("Not enough money in the wallet: %(available)s available, %(needed)s needed.") % {
            "available": money_text(Money(available, currency)),
            "needed": money_text(Money(-delta, currency)),
        }
    else:
        message = _("Not enough money in the account %(account)s.") % {"account": account}
    raise InsufficientFundsError(
        message, account_id=account.pk, available=Money(available, currency), shortfall=shortfall
    )


def _validate_kind(kind) -> str:
    try:
        return Journal.Kind(kind)
    except ValueError:
        raise LedgerError(_("Unknown kind of operation.")) from None


def _validate_key(key) -> None:
    if not isinstance(key, str) or not key or len(key) > KEY_MAX_LENGTH or not _KEY_RE.match(key):
        raise LedgerError(_("Invalid idempotency key."))


def _validate_transfer(spec) -> TransferSpec:
    if not isinstance(spec, TransferSpec):
        raise LedgerError(_("Invalid transfer."))
    if spec.debit.pk is None or spec.credit.pk is None:
        raise LedgerError(_("Transfers need saved accounts."))
    if spec.debit.pk == spec.credit.pk:
        raise LedgerError(_("A transfer needs two different accounts."))
    amount = validate_amount(spec.amount)
    if not (amount.currency.code == spec.debit.currency == spec.credit.currency):
        raise CurrencyMismatchError(_("A transfer and both its accounts must be in the same currency."))
    return TransferSpec(debit=spec.debit, credit=spec.credit, amount=amount)
