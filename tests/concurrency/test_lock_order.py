"""The lock order (DESIGN.md) under real concurrency: services that share rows run against
each other with a barrier and a pause injected between their statements, on PostgreSQL.

A deadlock here would not lose money (PostgreSQL rolls the victim back), and the services
now run a deadlocked transaction again (marketplace/dbretry.py), so "no error" alone could
hide one: each test also asserts that no retry was needed, and each comes with a control
run that restores the old locking and shows the deadlock the test would catch."""

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Profile
from escrow.models import Account, Clearance, Withdrawal
from escrow.services import (
    clearance_release_due,
    escrow_hold,
    escrow_settle,
    ledger_reconcile,
    withdrawal_mark_paid,
    withdrawal_reject,
    withdrawal_request,
)
from escrow.services import withdrawals as withdrawals_module
from marketplace.dbretry import BusyError
from orders import services as order_services
from reviews.services import ReviewData, review_submit
from tests.escrow.factories import StaffFactory, balance, card_method, next_order_id, rub, system_balance, top_up
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow

from .threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def retries(caplog):
    """The deadlocks the services had to retry, as marketplace.dbretry logged them."""
    caplog.set_level(logging.WARNING, logger="marketplace.dbretry")

    def deadlocks():
        return [
            r.getMessage() for r in caplog.records if r.name == "marketplace.dbretry" and "deadlock" in r.getMessage()
        ]

    return deadlocks


@contextmanager
def pause_after(table: str, seconds: float, *, times: int = 1):
    """In this thread, sleep after the first `times` statements that lock rows of `table`
    (UPDATE, or SELECT ... FOR ...): the other side gets to take its first lock meanwhile."""
    left = [times]

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        locks = sql.startswith(f'UPDATE "{table}"') or (f'FROM "{table}"' in sql and " FOR " in sql)
        if locks and left[0] > 0:
            left[0] -= 1
            time.sleep(seconds)
        return result

    with connection.execute_wrapper(wrapper):
        yield


def old_withdrawal_lock(withdrawal_id):
    # The decision's lock before the fix: select_related without `of` also locks the user row FOR UPDATE.
    return Withdrawal.objects.select_for_update().select_related("user").filter(pk=withdrawal_id).first()


# --- withdrawals: staff deciding while the seller asks for more ---------------------------------


def _withdrawal_rounds(rounds: int):
    seller = SellerFactory()
    top_up(seller, 1_000_000)
    method = card_method(seller)
    staff = StaffFactory()
    requested = rejected = 0
    errors = []
    for round_no in range(rounds):
        waiting = [
            withdrawal_request(user=seller, amount=rub(1000), payout_method=method, key=f"w{round_no}-pre-{i}")
            for i in range(4)
        ]

        def act(index, waiting=waiting, round_no=round_no):
            if index < 4:
                with pause_after("escrow_withdrawal", 0.02):
                    if index % 2:
                        return withdrawal_reject(withdrawal_id=waiting[index].pk, actor=staff, reason="Wrong card")
                    return withdrawal_mark_paid(withdrawal_id=waiting[index].pk, actor=staff)
            with pause_after("escrow_account", 0.02):
                return withdrawal_request(
                    user=seller, amount=rub(1000), payout_method=method, key=f"w{round_no}-new-{index}"
                )

        errors += [o.error for o in run_at_once(8, act) if not o.ok]
        requested += 8
        rejected += 2
    return seller, requested, rejected, errors


def test_deciding_withdrawals_while_the_seller_requests_more_never_deadlocks(retries):
    seller, requested, rejected, errors = _withdrawal_rounds(5)
    assert errors == []
    assert retries() == []
    assert balance(seller) == rub(1_000_000 - 1000 * requested + 1000 * rejected)
    assert system_balance(Account.Kind.PAYOUTS) == rub(1000 * 4 * 5)  # the 4 new requests of each round wait
    assert ledger_reconcile(notify=False).ok


@pytest.mark.no_lock_trace
def test_control_the_old_decision_lock_deadlocks_with_requests(monkeypatch, retries):
    monkeypatch.setattr(withdrawals_module, "_lock_withdrawal", old_withdrawal_lock)
    *_, errors = _withdrawal_rounds(3)
    # Locked that way the user row waits for the accounts a request holds, while the request
    # waits for the user row to insert its rows: PostgreSQL kills one and the service runs it
    # again; what still fails after the retries is a readable BusyError, never a 500.
    assert retries(), "the control run saw no deadlock: the race test cannot see one either"
    assert all(isinstance(error, BusyError) for error in errors), errors
    assert ledger_reconcile(notify=False).ok


# --- the clearance sweep and withdrawals ---------------------------------------------------------


def _cleared_earnings(seller, count, amount=1000):
    buyer = UserFactory()
    top_up(buyer, amount * count)
    for _ in range(count):
        order_id = next_order_id()
        escrow_hold(order_id=order_id, buyer=buyer, amount=rub(amount))
        escrow_settle(order_id=order_id, seller=seller, fee=rub(0))


def test_clearance_sweeps_racing_withdrawals_never_deadlock(settings, retries):
    settings.ESCROW_CLEARANCE_DAYS = 1
    later = timezone.now() + timedelta(days=1, minutes=1)
    seller = SellerFactory()
    method = card_method(seller)
    top_up(seller, 100_000)
    for round_no in range(5):
        _cleared_earnings(seller, 8)

        def act(index, round_no=round_no):
            if index < 4:
                with pause_after("escrow_clearance", 0.02):
                    return clearance_release_due(now=later, limit=2)
            with pause_after("escrow_account", 0.02):
                return withdrawal_request(
                    user=seller, amount=rub(1000), payout_method=method, key=f"clear-{round_no}-{index:04d}"
                )

        outcomes = run_at_once(8, act)
        assert all(o.ok for o in outcomes), [repr(o.error) for o in outcomes if not o.ok]
        clearance_release_due(now=later)
    assert retries() == []
    assert not Clearance.objects.filter(released_journal__isnull=True).exists()
    assert balance(seller, Account.Kind.WALLET_PENDING) == rub(0)
    assert balance(seller) == rub(100_000 + 5 * 8 * 1000 - 5 * 4 * 1000)
    assert ledger_reconcile(notify=False).ok


def _sweep_while_a_decision_holds_its_lock(settings):
    """Staff's decision holds its locks (the withdrawal's row; before the fix, the user's too)
    while the sweep runs: how many of the seller's due clearances the sweep releases."""
    settings.ESCROW_CLEARANCE_DAYS = 1
    seller = SellerFactory()
    top_up(seller, 5000)
    withdrawal = withdrawal_request(user=seller, amount=rub(2000), payout_method=card_method(seller))
    _cleared_earnings(seller, 3)
    holding, release = threading.Event(), threading.Event()

    def decide():
        try:
            with transaction.atomic():
                withdrawals_module._lock_withdrawal(withdrawal.pk)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=decide)
    thread.start()
    try:
        assert holding.wait(30)
        return clearance_release_due(now=timezone.now() + timedelta(days=1, minutes=1))
    finally:
        release.set()
        thread.join(30)


def test_the_sweep_releases_a_sellers_clearances_while_staff_decide_on_their_withdrawal(settings):
    assert _sweep_while_a_decision_holds_its_lock(settings) == 3


@pytest.mark.no_lock_trace
def test_control_with_the_user_row_locked_the_sweep_skipped_the_seller(settings, monkeypatch):
    monkeypatch.setattr(withdrawals_module, "_lock_withdrawal", old_withdrawal_lock)
    real = Clearance.objects.select_for_update

    # The sweep's lock before the fix: the clearance and, through select_related, its user.
    def old_clearance_lock(**kwargs):
        kwargs.pop("of", None)
        kwargs.pop("no_key", None)
        return real(**kwargs)

    monkeypatch.setattr(Clearance.objects, "select_for_update", old_clearance_lock, raising=False)
    assert _sweep_while_a_decision_holds_its_lock(settings) == 0


# --- completing an order while a review of the same pair is published --------------------------


def _pairs(n):
    """n (order to accept, completed order with the buyer's review in) for n buyer/seller
    pairs, each seller created after their buyer (so the seller's id is the higher one), the
    two orders on two gigs of the seller (so the gig row does not serialise them)."""
    pairs = []
    for _ in range(n):
        buyer = UserFactory()
        seller = SellerFactory()
        first, second = (GigFactory(seller=seller, packages=[(1000, 3, 1)]) for _ in range(2))
        to_accept = flow.delivered(first, buyer)
        reviewed = flow.completed(second, buyer)
        data = ReviewData(rating=5, text="Great work, thanks", communication=5, quality=5, on_time=5)
        review_submit(order_id=reviewed.pk, author=buyer, data=data)
        assert seller.pk > buyer.pk
        pairs.append((to_accept, reviewed))
    return pairs


def _complete_while_publishing(pairs):
    for to_accept, reviewed in pairs:

        def act(index, to_accept=to_accept, reviewed=reviewed):
            if index == 0:
                # Completion: a pause between its two profile updates.
                with pause_after("accounts_profile", 0.1):
                    return order_services.order_accept(order_id=to_accept.pk, buyer=to_accept.buyer)
            # Publishing locks both profiles in one statement: it comes once completion has its first.
            with pause_after("gigs_gig", 0.05):
                data = ReviewData(rating=5, text="A pleasant buyer")
                return review_submit(order_id=reviewed.pk, author=reviewed.seller, data=data)

        outcomes = run_at_once(2, act)
        assert all(o.ok for o in outcomes), [repr(o.error) for o in outcomes if not o.ok]


def test_completing_an_order_while_a_review_of_the_pair_is_published_never_deadlocks(retries):
    pairs = _pairs(12)
    _complete_while_publishing(pairs)
    assert retries() == []
    for to_accept, _ in pairs:
        seller, buyer = Profile.objects.get(pk=to_accept.seller_id), Profile.objects.get(pk=to_accept.buyer_id)
        assert (seller.orders_completed, buyer.purchases_count) == (2, 2)
        assert (seller.rating_count, buyer.buyer_rating_count) == (1, 1)


@pytest.mark.no_lock_trace
def test_control_seller_then_buyer_deadlocks_with_the_review(monkeypatch, retries):
    def seller_then_buyer(order):
        Profile.objects.filter(pk=order.seller_id).update(orders_completed=F("orders_completed") + 1)
        Profile.objects.filter(pk=order.buyer_id).update(purchases_count=F("purchases_count") + 1)

    monkeypatch.setattr(order_services, "_stats_refresh", seller_then_buyer)
    _complete_while_publishing(_pairs(6))
    assert retries(), "the control run saw no deadlock: the race test cannot see one either"
