"""The turnover kept per buyer-seller pair (the base of the fee tiers): the ledger moves it at
settlement, and it always equals what the journals say, which the fee rate used to compute
with a four-join aggregate at every placement (kept below as the reference)."""

import contextlib
import importlib
import random
import threading
import time
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum

from escrow.errors import InsufficientFundsError
from escrow.models import Account, Journal, PairTurnover, Transfer
from escrow.selectors import fee_rate_for, turnover_between
from escrow.services import (
    escrow_hold,
    escrow_refund,
    escrow_settle,
    escrow_split,
    ledger_reconcile,
    ledger_reverse,
)
from escrow.services import turnover as turnover_module
from escrow.services.turnover import pair_turnover_move, pair_turnovers_from_ledger
from marketplace.money import round_amount
from tests.concurrency.threads import run_at_once
from tests.factories import SellerFactory, UserFactory

from .factories import next_key, next_order_id, rub, top_up

pytestmark = pytest.mark.django_db


def ledger_turnover(buyer, seller, currency: str = "RUB") -> Decimal:
    """`turnover_between` as it was before the pair rows: the aggregate over the ledger."""
    held_by_buyer = Journal.objects.filter(
        kind=Journal.Kind.HOLD, transfers__debit__user=buyer, transfers__debit__kind=Account.Kind.WALLET
    ).values("order_id")
    pays_seller = Transfer.objects.filter(journal=OuterRef("journal"), credit__user=seller)
    total = (
        Transfer.objects.filter(
            journal__kind__in=[Journal.Kind.SETTLE, Journal.Kind.SPLIT],
            journal__order_id__in=held_by_buyer,
            journal__reversed_by__isnull=True,
            debit__kind=Account.Kind.ESCROW,
            amount_currency=currency,
        )
        .exclude(credit__user=buyer)
        .filter(Exists(pays_seller))
        .aggregate(total=Sum("amount"))["total"]
    )
    return round_amount(Decimal(total or 0), currency)


def kept(buyer, seller) -> Decimal:
    return turnover_between(buyer_id=buyer.pk, seller_id=seller.pk).amount


def held(buyer, amount) -> int:
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(amount))
    return order


@pytest.fixture
def buyer(db):
    buyer = UserFactory()
    top_up(buyer, 100_000)
    return buyer


def test_a_settlement_counts_the_whole_total_fee_included_once(buyer, seller):
    order = held(buyer, 3000)
    escrow_settle(order_id=order, seller=seller, fee=rub(600))
    assert kept(buyer, seller) == Decimal("3000.00") == ledger_turnover(buyer, seller)
    assert escrow_settle(order_id=order, seller=seller, fee=rub(600)).is_replay
    assert kept(buyer, seller) == Decimal("3000.00")
    assert PairTurnover.objects.count() == 1
    assert kept(seller, buyer) == 0  # the other way round is another pair


def test_a_split_counts_only_the_sellers_part_and_a_refund_nothing(buyer, seller):
    split = held(buyer, 5000)
    escrow_split(order_id=split, buyer=buyer, seller=seller, buyer_part=rub(2000), seller_part=rub(3000), fee=rub(600))
    refunded = held(buyer, 4000)
    escrow_refund(order_id=refunded, buyer=buyer)
    still_held = held(buyer, 7000)
    assert still_held and kept(buyer, seller) == Decimal("3000.00") == ledger_turnover(buyer, seller)
    assert fee_rate_for(buyer_id=buyer.pk, seller_id=seller.pk, amount=rub(1000)) == Decimal("0.2")


def test_earnings_that_wait_for_clearance_count_the_same(settings, buyer, seller):
    settings.ESCROW_CLEARANCE_DAYS = 7
    order = held(buyer, 2500)
    escrow_settle(order_id=order, seller=seller, fee=rub(500))
    assert kept(buyer, seller) == Decimal("2500.00") == ledger_turnover(buyer, seller)


def test_a_reversed_settlement_stops_counting(buyer, seller):
    order = held(buyer, 2000)
    settle = escrow_settle(order_id=order, seller=seller, fee=rub(400))
    other = held(buyer, 1000)
    escrow_settle(order_id=other, seller=seller, fee=rub(200))
    assert kept(buyer, seller) == Decimal("3000.00")
    ledger_reverse(journal_id=settle.pk, key=next_key("fix"))
    assert kept(buyer, seller) == Decimal("1000.00") == ledger_turnover(buyer, seller)
    # A reversal of something that never counted changes nothing.
    refunded = held(buyer, 500)
    refund = escrow_refund(order_id=refunded, buyer=buyer)
    ledger_reverse(journal_id=refund.pk, key=next_key("fix"))
    assert kept(buyer, seller) == Decimal("1000.00")
    assert ledger_reconcile(notify=False).ok


def test_the_fee_tier_moves_with_the_pair_turnover(buyer, seller):
    for amount in (20000, 10000):
        escrow_settle(order_id=held(buyer, amount), seller=seller, fee=rub(0))
    assert fee_rate_for(buyer_id=buyer.pk, seller_id=seller.pk, amount=rub(1000)) == Decimal("0.12")
    assert fee_rate_for(buyer_id=buyer.pk, seller_id=SellerFactory().pk, amount=rub(1000)) == Decimal("0.2")


def test_a_random_history_keeps_every_pair_equal_to_the_ledger_aggregate(settings):
    rng = random.Random(20261122)
    sellers = [SellerFactory() for _ in range(3)]
    buyers = [UserFactory() for _ in range(3)] + sellers[:1]  # a seller who also buys
    for person in buyers:
        top_up(person, 1_000_000)
    reversible: list[Journal] = []  # releases a correction may undo (not earnings waiting for clearance)
    for _ in range(70):
        buyer = rng.choice(buyers)
        seller = rng.choice([s for s in sellers if s != buyer])
        amount = rng.randint(500, 40000)
        order = held(buyer, amount)
        settings.ESCROW_CLEARANCE_DAYS = rng.choice([0, 0, 3])
        outcome = rng.choice(["settle", "settle", "split", "refund", "hold"])
        if outcome == "settle":
            journal = escrow_settle(order_id=order, seller=seller, fee=rub(rng.randint(0, amount)))
        elif outcome == "split":
            seller_part = rng.randint(1, amount - 1)
            journal = escrow_split(
                order_id=order, buyer=buyer, seller=seller, buyer_part=rub(amount - seller_part),
                seller_part=rub(seller_part), fee=rub(rng.randint(0, seller_part)),
            )  # fmt: skip
        elif outcome == "refund":
            journal = escrow_refund(order_id=order, buyer=buyer)
        else:
            continue
        if outcome == "refund" or settings.ESCROW_CLEARANCE_DAYS == 0:
            reversible.append(journal)
        if reversible and rng.random() < 0.2:
            # If the money has moved on since, the reversal is refused and nothing moves.
            with contextlib.suppress(InsufficientFundsError):
                ledger_reverse(journal_id=reversible.pop(rng.randrange(len(reversible))).pk, key=next_key("fix"))
    assert Journal.objects.filter(kind=Journal.Kind.REVERSAL, reverses__kind__in=["settle", "split"]).count() >= 2
    people = {*buyers, *sellers}
    pairs = [(b, s) for b in people for s in people if b != s]
    assert sum(ledger_turnover(b, s) > 0 for b, s in pairs) >= 6
    from_ledger = pair_turnovers_from_ledger()
    for b, s in pairs:
        assert kept(b, s) == ledger_turnover(b, s) == from_ledger.get((b.pk, s.pk, "RUB"), Decimal(0)), (b, s)
    report = ledger_reconcile(notify=False)
    assert report.ok, report.problems


def test_the_reconciliation_reports_a_turnover_that_drifted(buyer, seller):
    escrow_settle(order_id=held(buyer, 3000), seller=seller, fee=rub(0))
    assert ledger_reconcile(notify=False).ok
    PairTurnover.objects.filter(buyer=buyer, seller=seller).update(amount=Decimal("2999.00"))
    problems = ledger_reconcile(notify=False).problems
    assert problems == [
        f"The turnover of buyer #{buyer.pk} with seller #{seller.pk} is 2999.00 RUB, "
        "but their settled orders add up to 3000.00."
    ]


def test_the_migration_computes_the_rows_from_the_settlements_already_made(buyer, seller):
    other_buyer = UserFactory()
    top_up(other_buyer, 10000)
    escrow_settle(order_id=held(buyer, 3000), seller=seller, fee=rub(300))
    escrow_split(
        order_id=held(other_buyer, 4000), buyer=other_buyer, seller=seller, buyer_part=rub(1000),
        seller_part=rub(3000), fee=rub(300),
    )  # fmt: skip
    escrow_refund(order_id=held(buyer, 500), buyer=buyer)
    reversed_settle = escrow_settle(order_id=held(buyer, 700), seller=seller, fee=rub(0))
    ledger_reverse(journal_id=reversed_settle.pk, key=next_key("fix"))
    before = sorted(PairTurnover.objects.values_list("buyer_id", "seller_id", "amount_currency", "amount"))
    PairTurnover.objects.all().delete()

    migration = importlib.import_module("escrow.migrations.0003_pair_turnover")
    migration.backfill(apps, None)
    after = sorted(PairTurnover.objects.values_list("buyer_id", "seller_id", "amount_currency", "amount"))
    assert after == [row for row in before if row[3]]
    assert after == [
        (buyer.pk, seller.pk, "RUB", Decimal("3000.00")),
        (other_buyer.pk, seller.pk, "RUB", Decimal("3000.00")),
    ]


def test_the_database_refuses_a_negative_or_one_person_turnover(buyer, seller):
    with pytest.raises(IntegrityError), transaction.atomic():
        PairTurnover.objects.create(buyer=buyer, seller=seller, amount=rub(-1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PairTurnover.objects.create(buyer=buyer, seller=buyer, amount=rub(1))
    PairTurnover.objects.create(buyer=buyer, seller=seller, amount=rub(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PairTurnover.objects.create(buyer=buyer, seller=seller, amount=rub(2))


# --- concurrency, on PostgreSQL -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_settlements_of_one_pair_at_once_add_up_exactly():
    buyer, seller = UserFactory(), SellerFactory()
    top_up(buyer, 100_000)
    orders = [held(buyer, 1000 + 100 * i) for i in range(8)]
    outcomes = run_at_once(8, lambda i: escrow_settle(order_id=orders[i], seller=seller, fee=rub(10 * i)))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert kept(buyer, seller) == sum(Decimal(1000 + 100 * i) for i in range(8)) == ledger_turnover(buyer, seller)
    assert PairTurnover.objects.count() == 1
    assert ledger_reconcile(notify=False).ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_first_turnovers_of_a_pair_at_once_race_for_the_row_and_still_add_up(monkeypatch):
    # Settlements through escrow_settle also queue on the platform's revenue account; this
    # takes that lock away and races the pair row itself: every thread finds no row, one
    # inserts it, the others wait on the unique index, lose, and add to the winner's row.
    buyer, seller = UserFactory(), SellerFactory()
    top_up(buyer, 100_000)
    orders = [held(buyer, 1000) for _ in range(16)]
    escrows = {a.order_id: a for a in Account.objects.filter(kind=Account.Kind.ESCROW)}
    wallet = Account.objects.create(user=seller, kind=Account.Kind.WALLET)
    lost = []
    real_create = PairTurnover.objects.create
    guard = threading.Lock()

    def counting_create(**kwargs):
        try:
            return real_create(**kwargs)
        except IntegrityError:
            with guard:
                lost.append(kwargs["amount"])
            raise

    monkeypatch.setattr(PairTurnover.objects, "create", counting_create)

    def add(order_id, amount):
        with transaction.atomic():
            pair_turnover_move(order_id=order_id, transfers=[(escrows[order_id], wallet, rub(amount))], sign=1)
            time.sleep(0.1)  # hold the row (or the unique index entry) while the others arrive

    first_round = run_at_once(8, lambda i: add(orders[i], 100 + i))
    assert all(o.ok for o in first_round), [o.error for o in first_round]
    assert lost, "no thread lost the race for the first row: the test did not race"
    assert kept(buyer, seller) == sum(Decimal(100 + i) for i in range(8))
    second_round = run_at_once(8, lambda i: add(orders[8 + i], 1000))
    assert all(o.ok for o in second_round)
    assert kept(buyer, seller) == sum(Decimal(100 + i) for i in range(8)) + 8000
    assert PairTurnover.objects.count() == 1


def test_the_move_keeps_one_row_per_pair_and_currency(buyer, seller):
    order = held(buyer, 1000)
    escrow = Account.objects.get(kind=Account.Kind.ESCROW, order_id=order)
    wallet = Account.objects.create(user=seller, kind=Account.Kind.WALLET)
    pair_turnover_move(order_id=order, transfers=[(escrow, wallet, rub(10))], sign=1)
    pair_turnover_move(order_id=order, transfers=[(escrow, wallet, rub(5))], sign=-1)
    assert list(PairTurnover.objects.values_list("amount", flat=True)) == [Decimal("5.00")]
    assert turnover_module.order_payers(order) == {buyer.pk}
