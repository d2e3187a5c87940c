"""Races on offers, with real threads and row locks on PostgreSQL.

Each race runs several rounds; the locks are slowed down a little so that the two sides
surely overlap, and a control run without the row lock shows that the test really sees
the race it guards against.
"""

import time
from decimal import Decimal

import pytest

from buyer_requests import services
from buyer_requests.models import BuyerRequest, Offer
from orders.models import Order
from tests.buyer_requests.conftest import active, offer_data, offered
from tests.concurrency.threads import run_at_once
from tests.factories import CategoryFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 8


def slow_locks(monkeypatch, *, lock: bool):
    """Hold each lock a moment. With lock=False the rows are read without FOR UPDATE (the control)."""
    real_request, real_freelancer = services._lock_request, services._lock_freelancer

    def lock_request(request_id):
        found = real_request(request_id) if lock else BuyerRequest.objects.filter(pk=request_id).first()
        time.sleep(0.05)
        return found

    def lock_freelancer(user_id):
        if lock:
            profile = real_freelancer(user_id)
        else:
            from accounts.models import Profile

            profile = Profile.objects.get(pk=user_id)
        time.sleep(0.05)
        return profile

    def lock_offer_with_request(offer_id):
        if lock:
            return real_lock_offer(offer_id)
        offer = Offer.objects.filter(pk=offer_id).first()
        time.sleep(0.05)
        return BuyerRequest.objects.filter(pk=offer.request_id).first(), offer

    real_lock_offer = services._lock_offer_with_request
    monkeypatch.setattr(services, "_lock_request", lock_request)
    monkeypatch.setattr(services, "_lock_freelancer", lock_freelancer)
    if not lock:
        monkeypatch.setattr(services, "_lock_offer_with_request", lock_offer_with_request)


def _quota_edge_round():
    """A freelancer with one offer left sends two at once, to two requests."""
    client = UserFactory()
    category = CategoryFactory()
    first = active(client, category, title="First request at the quota edge")
    second = active(client, category, title="Second request at the quota edge")
    freelancer = SellerFactory()
    targets = [first, second]
    outcomes = run_at_once(
        2, lambda i: services.offer_send(request_id=targets[i].pk, freelancer=freelancer, data=offer_data())
    )
    return freelancer, outcomes


def test_two_offers_at_once_at_the_quota_edge_only_one_passes(monkeypatch, settings):
    settings.REQUESTS_OFFER_QUOTAS = {"new": 1}
    slow_locks(monkeypatch, lock=True)
    for _round in range(ROUNDS):
        freelancer, outcomes = _quota_edge_round()
        assert Offer.objects.filter(freelancer=freelancer).count() == 1
        assert sum(o.ok for o in outcomes) == 1
        assert [type(o.error) for o in outcomes if not o.ok] == [services.OfferQuotaExceeded]


def test_control_without_the_freelancer_lock_the_quota_is_overrun(monkeypatch, settings):
    settings.REQUESTS_OFFER_QUOTAS = {"new": 1}
    slow_locks(monkeypatch, lock=False)
    overrun = 0
    for _round in range(ROUNDS):
        freelancer, _outcomes = _quota_edge_round()
        overrun += Offer.objects.filter(freelancer=freelancer).count() > 1
    # Without the lock both offers pass: the race is real and the test above sees it.
    assert overrun > 0


def _request_with_offers(n):
    client = UserFactory()
    buyer_request = active(client, CategoryFactory())
    offers = [offered(buyer_request, SellerFactory(), price=Decimal(1000 + i)) for i in range(n)]
    return client, buyer_request, offers


def test_accepting_the_same_offer_twice_at_once_makes_one_order(monkeypatch):
    slow_locks(monkeypatch, lock=True)
    for _round in range(ROUNDS):
        client, _buyer_request, [offer] = _request_with_offers(1)
        outcomes = run_at_once(2, lambda _i, o=offer, c=client: services.offer_accept(offer_id=o.pk, client=c))
        assert sum(o.ok for o in outcomes) == 1, [o.error for o in outcomes]
        assert all(isinstance(o.error, services.RequestError) for o in outcomes if not o.ok)
        assert Order.objects.filter(buyer=client).count() == 1
        offer.refresh_from_db()
        assert offer.status == Offer.Status.ACCEPTED and offer.order_id is not None


def test_control_without_the_request_lock_the_same_offer_makes_two_orders(monkeypatch):
    slow_locks(monkeypatch, lock=False)
    doubled = 0
    for _round in range(ROUNDS):
        client, _buyer_request, [offer] = _request_with_offers(1)
        run_at_once(2, lambda _i, o=offer, c=client: services.offer_accept(offer_id=o.pk, client=c))
        doubled += Order.objects.filter(buyer=client).count() > 1
    assert doubled > 0


def test_accepting_two_offers_of_one_request_at_once_makes_one_order(monkeypatch):
    slow_locks(monkeypatch, lock=True)
    for _round in range(ROUNDS):
        client, buyer_request, offers = _request_with_offers(2)
        outcomes = run_at_once(2, lambda i, o=offers, c=client: services.offer_accept(offer_id=o[i].pk, client=c))
        assert sum(o.ok for o in outcomes) == 1, [o.error for o in outcomes]
        assert all(isinstance(o.error, services.RequestError) for o in outcomes if not o.ok)
        assert Order.objects.filter(buyer=client).count() == 1
        statuses = sorted(Offer.objects.filter(request=buyer_request).values_list("status", flat=True))
        assert statuses == [Offer.Status.ACCEPTED, Offer.Status.DECLINED]
        buyer_request.refresh_from_db()
        assert buyer_request.status == BuyerRequest.Status.CLOSED and buyer_request.is_hired


def test_without_the_request_lock_the_database_still_refuses_a_second_hire(monkeypatch):
    """The partial unique index is the second line of defence: even with no row lock the
    second accept of a single-hire request fails and its order is rolled back."""
    slow_locks(monkeypatch, lock=False)
    for _round in range(ROUNDS):
        client, buyer_request, offers = _request_with_offers(2)
        outcomes = run_at_once(2, lambda i, o=offers, c=client: services.offer_accept(offer_id=o[i].pk, client=c))
        assert sum(o.ok for o in outcomes) >= 1
        assert Order.objects.filter(buyer=client).count() == 1
        assert Offer.objects.filter(request=buyer_request, status=Offer.Status.ACCEPTED).count() == 1
