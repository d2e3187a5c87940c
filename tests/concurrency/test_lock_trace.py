"""The lock-order check itself (tests/locktrace.py), which every test on PostgreSQL runs:
it must catch each way the rule was broken before (the issues' deadlocks), and nothing
else."""

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Profile, User
from escrow.models import Account, Withdrawal
from escrow.services import withdrawal_request
from orders.models import Order
from tests.escrow.factories import card_method, rub, seller_with_money, top_up
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def tracer(_lock_order):
    """The test's tracer, emptied before the test looks and after (so teardown passes)."""
    _lock_order.violations.clear()
    yield _lock_order
    _lock_order.violations.clear()


def rules(tracer) -> list[str]:
    return sorted({v.rule for v in tracer.violations})


def test_the_old_withdrawal_decision_lock_is_caught(tracer):
    seller = seller_with_money(3000)
    withdrawal = withdrawal_request(user=seller, amount=rub(1000), payout_method=card_method(seller))
    tracer.violations.clear()
    with transaction.atomic():
        Withdrawal.objects.select_for_update().select_related("user").get(pk=withdrawal.pk)
    assert rules(tracer) == ["only what is meant", "strength"]
    assert any("accounts_user" in v.detail for v in tracer.violations if v.rule == "only what is meant")
    # ...and the decision's next step, the accounts (rank 30) after the user row (rank 60):
    tracer.violations.clear()
    with transaction.atomic():
        Withdrawal.objects.select_for_update().select_related("user").get(pk=withdrawal.pk)
        Account.objects.select_for_update(no_key=True).filter(user=seller).first()
    assert "order" in rules(tracer)


def test_the_fixed_lock_passes(tracer):
    seller = seller_with_money(3000)
    withdrawal = withdrawal_request(user=seller, amount=rub(1000), payout_method=card_method(seller))
    with transaction.atomic():
        Withdrawal.objects.select_for_update(no_key=True, of=("self",)).select_related("user").get(pk=withdrawal.pk)
    assert tracer.violations == []


def test_profiles_out_of_id_order_are_caught(tracer):
    buyer, seller = UserFactory(), SellerFactory()
    assert seller.pk > buyer.pk
    with transaction.atomic():
        Profile.objects.filter(pk=seller.pk).update(orders_completed=F("orders_completed") + 1)
        Profile.objects.filter(pk=buyer.pk).update(purchases_count=F("purchases_count") + 1)
    assert rules(tracer) == ["order"]
    assert f"ids [{buyer.pk}] locked after ids [{seller.pk}]" in str(tracer.violations[0])


def test_an_order_locked_after_the_money_is_caught_and_a_relock_is_not(tracer):
    gig = GigFactory(packages=[(1000, 3, 1)])
    buyer = UserFactory()
    top_up(buyer, 10)
    order, other = flow.placed(gig, buyer), flow.placed(gig, buyer)
    account = Account.objects.get(user=buyer)
    with transaction.atomic():
        Order.objects.select_for_update(no_key=True, of=("self",)).get(pk=order.pk)
        Account.objects.select_for_update(no_key=True).get(pk=account.pk)
        Order.objects.filter(pk=order.pk).update(updated_at=timezone.now())  # the row it holds: fine
    assert tracer.violations == []
    with transaction.atomic():
        Order.objects.select_for_update(no_key=True, of=("self",)).get(pk=order.pk)
        Account.objects.select_for_update(no_key=True).get(pk=account.pk)
        Order.objects.filter(pk=other.pk).update(updated_at=timezone.now())  # a new order after the money
    assert rules(tracer) == ["order"]


def test_an_update_that_matches_nothing_locks_nothing(tracer):
    user = UserFactory()
    with transaction.atomic():
        Profile.objects.filter(pk=user.pk).update(purchases_count=F("purchases_count") + 1)
        User.objects.filter(pk=user.pk).update(first_name="A")
        Profile.objects.filter(pk=user.pk + 10_000).update(purchases_count=0)  # no such row
    assert tracer.violations == []
