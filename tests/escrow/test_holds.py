from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from escrow.errors import (
    EscrowStateError,
    IdempotencyConflictError,
    InsufficientFundsError,
    InvalidAmountError,
    LedgerError,
)
from escrow.models import Account, Clearance, Journal
from escrow.selectors import escrow_balance, fee_rate_for, turnover_between
from escrow.services import (
    clearance_release_due,
    escrow_hold,
    escrow_refund,
    escrow_settle,
    escrow_split,
    ledger_reconcile,
)
from tests.factories import SellerFactory, UserFactory

from .factories import balance, ledger_totals, next_order_id, rub, system_balance, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    buyer = UserFactory()
    top_up(buyer, 10000)
    return buyer


def test_hold_then_settle_pays_the_seller_and_the_platform_once(buyer, seller):
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(3000))
    assert balance(buyer) == rub(7000)
    assert escrow_balance(order_id=order) == rub(3000)

    journal = escrow_settle(order_id=order, seller=seller, fee=rub(600))
    assert journal.kind == Journal.Kind.SETTLE and journal.transfers.count() == 2
    assert balance(seller) == rub(2400)
    assert system_balance(Account.Kind.REVENUE) == rub(600)
    assert escrow_balance(order_id=order) == rub(0)

    again = escrow_settle(order_id=order, seller=seller, fee=rub(600))
    assert again.pk == journal.pk and again.is_replay
    assert balance(seller) == rub(2400)
    with pytest.raises(IdempotencyConflictError):
        escrow_settle(order_id=order, seller=seller, fee=rub(500))
    with pytest.raises(IdempotencyConflictError):
        escrow_settle(order_id=order, seller=SellerFactory(), fee=rub(600))
    with pytest.raises(EscrowStateError):
        escrow_refund(order_id=order, buyer=buyer)
    assert ledger_totals() == {"sum": Decimal("0.00"), "drift": []}


def test_refund_returns_everything_and_then_nothing_can_be_settled(buyer, seller):
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub("2500.55"))
    escrow_refund(order_id=order, buyer=buyer)
    assert balance(buyer) == rub(10000)
    assert escrow_balance(order_id=order) == rub(0)
    assert escrow_refund(order_id=order, buyer=buyer).is_replay
    with pytest.raises(EscrowStateError):
        escrow_settle(order_id=order, seller=seller, fee=rub(0))
    assert balance(seller) == rub(0)


def test_a_hold_is_done_once_per_order(buyer):
    order = next_order_id()
    first = escrow_hold(order_id=order, buyer=buyer, amount=rub(1000))
    assert escrow_hold(order_id=order, buyer=buyer, amount=rub(1000)).pk == first.pk
    with pytest.raises(IdempotencyConflictError):
        escrow_hold(order_id=order, buyer=buyer, amount=rub(2000))
    assert escrow_balance(order_id=order) == rub(1000)


def test_a_hold_without_enough_money_reports_what_is_missing(buyer):
    order = next_order_id()
    with pytest.raises(InsufficientFundsError) as caught:
        escrow_hold(order_id=order, buyer=buyer, amount=rub("12500.50"))
    assert caught.value.shortfall == rub("2500.50")
    assert escrow_balance(order_id=order) == rub(0)
    assert balance(buyer) == rub(10000)


def test_split_takes_the_fee_only_on_the_sellers_part(buyer, seller):
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(5000))
    journal = escrow_split(
        order_id=order, buyer=buyer, seller=seller, buyer_part=rub(2000), seller_part=rub(3000), fee=rub(600)
    )
    assert journal.transfers.count() == 3
    assert balance(buyer) == rub(7000)
    assert balance(seller) == rub(2400)
    assert system_balance(Account.Kind.REVENUE) == rub(600)
    assert escrow_balance(order_id=order) == rub(0)
    assert ledger_reconcile(notify=False).ok


@pytest.mark.parametrize(
    ("buyer_part", "seller_part", "fee"),
    [(2000, 2000, 0), (3000, 3000, 0), (1000, 4000, 4001), (-1, 5001, 0), ("0.001", 5000, 0)],
    ids=["short", "over", "fee-above-part", "negative", "three-decimals"],
)
def test_split_parts_must_add_up_and_the_fee_fit(buyer, seller, buyer_part, seller_part, fee):
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(5000))
    with pytest.raises(InvalidAmountError):
        escrow_split(
            order_id=order,
            buyer=buyer,
            seller=seller,
            buyer_part=rub(buyer_part),
            seller_part=rub(seller_part),
            fee=rub(fee),
        )
    assert escrow_balance(order_id=order) == rub(5000)


def test_nothing_held_means_nothing_to_settle(seller):
    with pytest.raises(EscrowStateError):
        escrow_settle(order_id=next_order_id(), seller=seller, fee=rub(0))


@pytest.mark.parametrize("order_id", [0, -5, "12", None, True, 1.5])
def test_bad_order_ids_are_refused(buyer, order_id):
    with pytest.raises(LedgerError):
        escrow_hold(order_id=order_id, buyer=buyer, amount=rub(10))


def test_fee_larger_than_the_escrow_is_refused(buyer, seller):
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(100))
    with pytest.raises(InvalidAmountError):
        escrow_settle(order_id=order, seller=seller, fee=rub("100.01"))
    assert escrow_balance(order_id=order) == rub(100)


def test_with_a_clearance_period_earnings_wait_in_pending(settings, buyer, seller):
    settings.ESCROW_CLEARANCE_DAYS = 3
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(1000))
    escrow_settle(order_id=order, seller=seller, fee=rub(200))
    assert balance(seller, Account.Kind.WALLET_PENDING) == rub(800)
    assert balance(seller) == rub(0)
    clearance = Clearance.objects.get(user=seller)
    assert clearance.amount == rub(800)

    assert clearance_release_due() == 0
    later = timezone.now() + timedelta(days=3, minutes=1)
    assert clearance_release_due(now=later) == 1
    assert clearance_release_due(now=later) == 0
    assert balance(seller, Account.Kind.WALLET_PENDING) == rub(0)
    assert balance(seller) == rub(800)
    assert ledger_reconcile(notify=False).ok


def test_turnover_and_fee_rate_follow_the_pair_history(buyer, seller):
    assert turnover_between(buyer_id=buyer.pk, seller_id=seller.pk) == rub(0)
    assert fee_rate_for(buyer_id=buyer.pk, seller_id=seller.pk, amount=rub(1000)) == Decimal("0.2")
    top_up(buyer, 40000)
    for amount in (20000, 10000):
        order = next_order_id()
        escrow_hold(order_id=order, buyer=buyer, amount=rub(amount))
        escrow_settle(order_id=order, seller=seller, fee=rub(0))
    refunded = next_order_id()
    escrow_hold(order_id=refunded, buyer=buyer, amount=rub(5000))
    escrow_refund(order_id=refunded, buyer=buyer)
    other_seller = SellerFactory()
    elsewhere = next_order_id()
    escrow_hold(order_id=elsewhere, buyer=buyer, amount=rub(1000))
    escrow_settle(order_id=elsewhere, seller=other_seller, fee=rub(0))

    assert turnover_between(buyer_id=buyer.pk, seller_id=seller.pk) == rub(30000)
    assert fee_rate_for(buyer_id=buyer.pk, seller_id=seller.pk, amount=rub(1000)) == Decimal("0.12")


def test_a_refund_only_goes_back_to_the_buyer_who_paid(buyer, seller):
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(1000))
    stranger = UserFactory()
    with pytest.raises(EscrowStateError):
        escrow_refund(order_id=order, buyer=stranger)
    with pytest.raises(EscrowStateError):
        escrow_split(
            order_id=order, buyer=stranger, seller=seller, buyer_part=rub(500), seller_part=rub(500), fee=rub(0)
        )
    assert escrow_balance(order_id=order) == rub(1000)
    assert balance(stranger) == rub(0)
