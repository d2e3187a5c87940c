"""Races on the payment path, with real threads on PostgreSQL: the hold that writes without
savepoints, and the order thread that is created with its first line."""

import threading
import time

import pytest
from moneyed import Money

from escrow.errors import IdempotencyConflictError
from escrow.models import Account, Journal
from escrow.selectors import escrow_balance, wallet_balances
from escrow.services import escrow_hold, ledger_reconcile
from escrow.services import holds as holds_module
from messaging import services as messaging_services
from messaging.models import Conversation
from orders import services
from orders.models import Order
from tests.concurrency.threads import run_at_once
from tests.factories import UserFactory
from tests.orders import flow
from tests.orders.conftest import top_up

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAUSE = 0.3


def rub(amount) -> Money:
    return Money(amount, "RUB")


def slow_first_post(monkeypatch):
    """The hold that gets the locks first keeps them a moment, so the others queue behind it."""
    real = holds_module.post_locked

    def slow(**kwargs):
        time.sleep(PAUSE)
        return real(**kwargs)

    monkeypatch.setattr(holds_module, "post_locked", slow)


def test_the_same_hold_at_once_moves_the_money_once(monkeypatch):
    buyer = UserFactory()
    top_up(buyer, 5000)
    slow_first_post(monkeypatch)
    started = time.monotonic()
    outcomes = run_at_once(6, lambda i: (escrow_hold(order_id=777, buyer=buyer, amount=rub(1000)), time.monotonic()))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    journals = [o.value[0] for o in outcomes]
    assert len({j.pk for j in journals}) == 1 and sum(not j.is_replay for j in journals) == 1
    # The others waited for the first one (on the escrow account's unique index, then its locks).
    assert all(finished - started >= PAUSE for _journal, finished in (o.value for o in outcomes))
    assert escrow_balance(order_id=777) == rub(1000)
    assert wallet_balances(user=buyer).available == rub(4000)
    assert Account.objects.filter(kind=Account.Kind.ESCROW, order_id=777).count() == 1
    assert ledger_reconcile(notify=False).ok


def test_two_payers_of_one_order_at_once_one_pays_the_other_is_refused(monkeypatch):
    first, second = UserFactory(), UserFactory()
    top_up(first, 5000)
    top_up(second, 5000)
    slow_first_post(monkeypatch)
    payers = [first, second]
    outcomes = run_at_once(2, lambda i: escrow_hold(order_id=778, buyer=payers[i], amount=rub(1000)))
    assert sum(o.ok for o in outcomes) == 1
    assert [type(o.error) for o in outcomes if not o.ok] == [IdempotencyConflictError]
    assert escrow_balance(order_id=778) == rub(1000)
    assert Journal.objects.filter(key="order:778:hold").count() == 1
    assert ledger_reconcile(notify=False).ok


def test_paying_one_order_from_several_tabs_at_once_pays_it_once(gig):
    buyer = UserFactory()
    order = flow.placed(gig, buyer)
    top_up(buyer, 5000)
    outcomes = run_at_once(5, lambda i: services.order_pay(order_id=order.pk, buyer=buyer))
    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(o.error, services.OrderTransitionError) for o in outcomes if not o.ok)
    assert wallet_balances(user=buyer).available == rub(4000)
    assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_REQUIREMENTS
    assert Conversation.objects.get(order=order).messages.count() == 1


def test_a_first_message_and_the_payment_at_once_share_one_thread(gig, monkeypatch):
    buyer = UserFactory()
    order = flow.placed(gig, buyer)
    top_up(buyer, 5000)
    real_start, real_post = messaging_services._order_thread_start, messaging_services._order_thread_post
    posts = []
    guard = threading.Lock()

    def slow_start(**kwargs):
        time.sleep(PAUSE)  # the message creates the thread meanwhile: our insert then loses
        return real_start(**kwargs)

    def counted_post(**kwargs):
        with guard:
            posts.append(kwargs["event"].kind)
        return real_post(**kwargs)

    def late_token(user_id):
        time.sleep(PAUSE / 3)  # the message comes once the payment has looked for the thread
        return real_token(user_id)

    real_token = messaging_services._take_rate_token
    monkeypatch.setattr(messaging_services, "_take_rate_token", late_token)
    monkeypatch.setattr(messaging_services, "_order_thread_start", slow_start)
    monkeypatch.setattr(messaging_services, "_order_thread_post", counted_post)
    calls = [
        lambda: services.order_pay(order_id=order.pk, buyer=buyer),
        lambda: messaging_services.message_send(sender=buyer, body="Starting soon?", order_id=order.pk),
    ]
    outcomes = run_at_once(2, lambda i: calls[i]())
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert posts == ["paid", "paid"], "the thread line did not lose the race and try again"
    thread = Conversation.objects.get(order=order)
    assert sorted(thread.messages.values_list("system_kind", flat=True)) == ["", "paid"]
    thread.refresh_from_db()
    assert thread.last_message_id == thread.messages.latest("id").pk
    assert thread.participants.count() == 2
