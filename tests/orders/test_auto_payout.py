"""Which sellers' small withdrawals go out without staff (ESCROW_SELLER_CLEAN): enough
completed orders as the seller, no dispute open on their orders, none lost lately."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import services
from orders.selectors import seller_clean_for_auto_payout

from . import flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(settings):
    settings.PAYOUT_AUTO_MIN_ORDERS = 2
    settings.PAYOUT_AUTO_CLEAN_DAYS = 90


def test_enough_completed_orders_make_a_clean_history(rules, gig, buyer):
    seller = gig.seller_id
    flow.completed(gig, buyer)
    assert not seller_clean_for_auto_payout(user_id=seller)
    flow.completed(gig, buyer)
    assert seller_clean_for_auto_payout(user_id=seller)


def test_an_open_dispute_or_a_lost_one_makes_it_unclean(rules, gig, buyer, django_user_model):
    seller = gig.seller_id
    flow.completed(gig, buyer)
    flow.completed(gig, buyer)
    disputed = flow.disputed(gig, buyer)
    assert not seller_clean_for_auto_payout(user_id=seller)  # open
    staff = django_user_model.objects.create_user(username="arbiter", password="x", is_staff=True, is_superuser=True)
    services.dispute_resolve(order_id=disputed.pk, actor=staff, outcome="refund", decision="Not delivered as agreed.")
    assert not seller_clean_for_auto_payout(user_id=seller)  # lost within 90 days
    from orders.models import Dispute

    Dispute.objects.filter(order=disputed).update(resolved_at=timezone.now() - timedelta(days=91))
    assert seller_clean_for_auto_payout(user_id=seller)  # long ago
    won = flow.disputed(gig, buyer)
    services.dispute_resolve(order_id=won.pk, actor=staff, outcome="release", decision="Delivered as agreed.")
    assert seller_clean_for_auto_payout(user_id=seller)  # released to the seller: not lost
