"""The turnover between a buyer and a seller, the base of the fee tiers, kept per pair.

What counts (one rule, for the row kept here and for the reconciliation that recomputes
it from the ledger): in every settle or split journal of an order that has not been
reversed, each transfer out of the order's escrow account that does not go back to a
buyer (a wallet that paid the order's hold) counts towards the pair (that buyer, any other
person the journal pays). For a settle that is the whole total, the fee included; for a
split, the seller's part with its fee; a refund never counts.

`ledger_post` calls `pair_turnover_move` for the settle or split it posts (and for the
reversal of one, with the sign turned), in its transaction and after its account locks, so
the row moves with the journal that explains it. Two settlements of one pair at once add
up: the UPDATE is an increment of a row it locks, and the first one's INSERT makes the
second wait on the unique index and then increment the row it finds.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, QuerySet, Value
from django.db.models.functions import Round
from moneyed import Money

from ..models import Account, Journal, PairTurnover, Transfer

PAIR_TURNOVER_KINDS = (Journal.Kind.SETTLE, Journal.Kind.SPLIT)
_PLACES = PairTurnover._meta.get_field("amount").decimal_places
_AMOUNT = DecimalField(max_digits=PairTurnover._meta.get_field("amount").max_digits, decimal_places=_PLACES)

# (debit account kind, credit account's user id or None, amount, currency) of one transfer.
TransferRow = tuple[str, int | None, Decimal, str]


def pair_turnover_parts(*, payers: Iterable[int], transfers: Iterable[TransferRow]) -> dict[tuple, Decimal]:
    """What one settle or split journal adds to each (buyer id, seller id, currency), given the
    users whose wallets paid the order's hold (`payers`) and the journal's transfers."""
    payers = set(payers)
    transfers = list(transfers)
    paid = {user_id for _kind, user_id, _amount, _currency in transfers if user_id is not None}
    parts: dict[tuple, Decimal] = defaultdict(Decimal)
    for buyer_id in payers:
        sellers = paid - {buyer_id}
        for debit_kind, user_id, amount, currency in transfers:
            if debit_kind != Account.Kind.ESCROW or user_id == buyer_id:
                continue
            for seller_id in sellers:
                parts[(buyer_id, seller_id, str(currency))] += amount
    return dict(parts)


def order_payers(order_id: int) -> set[int]:
    """The users whose wallets paid the order's hold (one, unless the ledger was misused)."""
    return set(
        Transfer.objects.filter(
            journal__kind=Journal.Kind.HOLD, journal__order_id=order_id, debit__kind=Account.Kind.WALLET
        ).values_list("debit__user_id", flat=True)
    )


def pair_turnover_move(*, order_id: int, transfers: list[tuple[Account, Account, Money]], sign: int) -> None:
    """Add (sign 1) or take back (sign -1) what a settle or split journal of `order_id` with
    these (debit, credit, amount) transfers counts towards each pair. The accounts must be
    the locked rows: their kind and owner decide what counts."""
    rows = [(debit.kind, credit.user_id, amount.amount, amount.currency.code) for debit, credit, amount in transfers]
    parts = pair_turnover_parts(payers=order_payers(order_id), transfers=rows)
    # One fixed order, should one journal ever touch several pairs.
    for (buyer_id, seller_id, currency), amount in sorted(parts.items()):
        if amount:
            _move(buyer_id=buyer_id, seller_id=seller_id, currency=currency, delta=sign * amount)


def _move(*, buyer_id: int, seller_id: int, currency: str, delta: Decimal) -> None:
    # A plain QuerySet: django-money's manager cannot rewrite a Round() (rounded for SQLite,
    # which adds decimals in floating point).
    row = QuerySet(PairTurnover).filter(buyer_id=buyer_id, seller_id=seller_id, amount_currency=currency)
    change = {"amount": Round(F("amount") + Value(delta, output_field=_AMOUNT), _PLACES)}
    if row.update(**change):
        return
    try:
        # The pair's first settlement. A savepoint: another first settlement of the pair may
        # insert the row before us; then we wait on the unique index and add to its row.
        with transaction.atomic():
            PairTurnover.objects.create(buyer_id=buyer_id, seller_id=seller_id, amount=Money(delta, currency))
    except IntegrityError:
        # Lost that race (or a reversal with no row to take from: the CHECK refuses it).
        if not row.update(**change):
            raise


def pair_turnovers_from_ledger() -> dict[tuple[int, int, str], Decimal]:
    """Every pair's turnover recomputed from the journals, by the same rule: what the
    reconciliation compares the kept rows with. {(buyer id, seller id, currency): amount}."""
    payers: dict[int, set[int]] = defaultdict(set)
    holds = Transfer.objects.filter(
        journal__kind=Journal.Kind.HOLD, journal__order_id__isnull=False, debit__kind=Account.Kind.WALLET
    ).values_list("journal__order_id", "debit__user_id")
    for order_id, user_id in holds.iterator(chunk_size=5000):
        payers[order_id].add(user_id)
    releases = (
        Transfer.objects.filter(
            journal__kind__in=PAIR_TURNOVER_KINDS, journal__order_id__isnull=False, journal__reversed_by__isnull=True
        )
        .order_by("journal_id", "id")
        .values_list("journal_id", "journal__order_id", "debit__kind", "credit__user_id", "amount", "amount_currency")
    )
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for _journal_id, group in groupby(releases.iterator(chunk_size=5000), key=itemgetter(0)):
        group = list(group)
        rows = [(kind, user_id, Decimal(amount), currency) for _j, _o, kind, user_id, amount, currency in group]
        for pair, amount in pair_turnover_parts(payers=payers.get(group[0][1], ()), transfers=rows).items():
            totals[pair] += amount
    return {pair: amount for pair, amount in totals.items() if amount}
