"""Races on orders, with real threads and row locks on PostgreSQL.

Each race is run many times; a control run without the row lock shows that the test
really sees the race it guards against.
"""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from moneyed import Money

from escrow.models import Journal
from escrow.selectors import escrow_balance, wallet_balances
from orders import services
from orders.models import Order, OrderEvent
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow
from tests.orders.conftest import assert_escrow_invariants

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FAR = timezone.now() + timedelta(days=30)
COMPLETIONS = (OrderEvent.Kind.ACCEPTED, OrderEvent.Kind.AUTO_COMPLETED)


@pytest.fixture(autouse=True)
def _needs_postgres(settings):
    if not settings.USING_POSTGRES:
        pytest.skip("needs PostgreSQL: SQLite has no row locks")


def run_together(*calls):
    """Start the calls in threads released by one barrier; return what each raised or returned."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def runner(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def slow_locks(monkeypatch, *, lock: bool):
    """Hold each order a moment after reading it, so the two sides overlap for sure.
    With lock=False the rows are read without FOR UPDATE: the control run."""
    real_lock, real_free = services._lock_order, services._lock_order_if_free

    def plain(order_id):
        return Order.objects.filter(pk=order_id).first()

    def lock_order(order_id):
        order = real_lock(order_id) if lock else plain(order_id)
        time.sleep(0.05)
        return order

    def lock_if_free(order_id):
        order = real_free(order_id) if lock else plain(order_id)
        time.sleep(0.05)
        return order

    monkeypatch.setattr(services, "_lock_order", lock_order)
    monkeypatch.setattr(services, "_lock_order_if_free", lock_if_free)


def delivered_orders(n):
    seller = SellerFactory()
    gig = GigFactory(seller=seller, packages=[(1000, 3, 1)])
    buyers = [UserFactory() for _ in range(n)]
    return gig, [flow.delivered(gig, buyer) for buyer in buyers]


def completions(order):
    return OrderEvent.objects.filter(order=order, kind__in=COMPLETIONS).count()


def test_accept_and_auto_complete_race_settles_once(monkeypatch):
    slow_locks(monkeypatch, lock=True)
    gig, orders = delivered_orders(50)
    for order in orders:
        run_together(
            lambda o=order: services.order_accept(order_id=o.pk, buyer=o.buyer),
            lambda o=order: services.order_auto_complete(order_id=o.pk, now=FAR),
        )
    for order in orders:
        order.refresh_from_db()
        assert order.status == Order.Status.COMPLETED
        assert completions(order) == 1
        assert escrow_balance(order_id=order.pk).amount == 0
        assert Journal.objects.filter(order_id=order.pk, kind=Journal.Kind.SETTLE).count() == 1
    assert wallet_balances(user=gig.seller).available == Money(Decimal(800 * 50), "RUB")
    assert_escrow_invariants()


@pytest.mark.no_lock_trace
def test_control_without_the_row_lock_the_race_double_completes(monkeypatch):
    slow_locks(monkeypatch, lock=False)
    gig, orders = delivered_orders(10)
    for order in orders:
        run_together(
            lambda o=order: services.order_accept(order_id=o.pk, buyer=o.buyer),
            lambda o=order: services.order_auto_complete(order_id=o.pk, now=FAR),
        )
    doubled = sum(1 for order in orders if completions(order) > 1)
    # Without the lock both sides complete the same order: the race is real and the test sees it.
    assert doubled > 0
    # The ledger's idempotency key is the second line of defence: the money still moved once.
    assert wallet_balances(user=gig.seller).available == Money(Decimal(800 * 10), "RUB")
    assert_escrow_invariants()


def test_dispute_and_auto_complete_race_never_both(monkeypatch):
    slow_locks(monkeypatch, lock=True)
    _gig, orders = delivered_orders(20)
    for order in orders:
        run_together(
            lambda o=order: services.dispute_open(order_id=o.pk, actor=o.buyer, reason="Not what we agreed on, sorry."),
            lambda o=order: services.order_auto_complete(order_id=o.pk, now=FAR),
        )
    for order in orders:
        order.refresh_from_db()
        held = escrow_balance(order_id=order.pk).amount
        if order.status == Order.Status.DISPUTED:
            assert held == order.total.amount and completions(order) == 0
        else:
            assert order.status == Order.Status.COMPLETED
            assert held == 0 and completions(order) == 1
            assert not order.events.filter(kind=OrderEvent.Kind.DISPUTE_OPENED).exists()
    assert_escrow_invariants()


def test_two_sweeps_at_once_settle_each_order_exactly_once():
    gig, orders = delivered_orders(200)
    results = run_together(lambda: services.orders_sweep(now=FAR), lambda: services.orders_sweep(now=FAR))
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["auto_completed"] for r in results) == 200
    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        assert order.status == Order.Status.COMPLETED
        assert completions(order) == 1
    assert Journal.objects.filter(kind=Journal.Kind.SETTLE).count() == 200
    assert wallet_balances(user=gig.seller).available == Money(Decimal(800 * 200), "RUB")
    assert_escrow_invariants()


def test_two_card_top_ups_and_a_balance_payment_of_one_order_at_once_pay_it_once(monkeypatch):
    """Two tabs each sent the buyer to pay the missing 600 ₽ by card, and a third pressed
    "Pay from balance": both webhooks and the click arrive together. The order row, locked
    first by each, lets one pay; the other top-up stays in the wallet; nothing deadlocks."""
    import json

    from escrow.providers.sandbox import SIGNATURE_HEADER, sign
    from escrow.services import payment_start, wallet_top_up, webhook_receive

    slow_locks(monkeypatch, lock=True)
    gig = GigFactory(seller=SellerFactory(), packages=[(1000, 3, 1)])
    buyer = UserFactory()
    order = flow.placed(gig, buyer)
    wallet_top_up(user=buyer, amount=Money(400, "RUB"), key="race:first-400")
    payments = [payment_start(user=buyer, amount=Money(600, "RUB"), order_id=order.pk).payment for _ in range(2)]

    def webhook(payment):
        data = {"payment_id": payment.provider_payment_id, "amount": "600.00", "currency": "RUB"}
        body = json.dumps({"id": f"evt_{payment.pk}", "type": "payment.succeeded", "data": data}).encode()
        return lambda: webhook_receive(provider_name="sandbox", body=body, headers={SIGNATURE_HEADER: sign(body)})

    def pay_from_balance():
        return services.order_pay(order_id=order.pk, buyer=buyer)

    results = run_together(webhook(payments[0]), webhook(payments[1]), pay_from_balance)
    assert not any(isinstance(r, Exception) and not isinstance(r, services.DomainError) for r in results), results
    order.refresh_from_db()
    assert order.status != Order.Status.PENDING_PAYMENT
    assert Journal.objects.filter(key=f"order:{order.pk}:hold").count() == 1
    assert escrow_balance(order_id=order.pk) == Money(1000, "RUB")
    assert wallet_balances(user=buyer).available == Money(600, "RUB")  # 400 + 600 + 600 - 1 000
    assert_escrow_invariants()
