from decimal import Decimal

import pytest
from django.urls import reverse

from messaging import offers
from messaging.models import CustomOffer
from orders.models import Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFER = {"title": "Logo and business card", "description": "Logo, card, brand colours.", "price": "4500",
         "delivery_days": "5", "revisions": "2", "milestones": ""}  # fmt: skip


def test_seller_sends_client_accepts_and_pays(client, conversation, buyer, seller):
    client.force_login(seller)
    response = client.post(reverse("messaging:offer_send", args=[conversation.pk]), OFFER)
    assert response.status_code == 302
    offer = CustomOffer.objects.get()
    client.force_login(buyer)
    page = client.get(reverse("messaging:detail", args=[conversation.pk])).content.decode()
    assert "Logo and business card" in page and "Accept and pay" in page
    response = client.post(reverse("messaging:offer_answer", args=[offer.pk, "accept"]))
    order = Order.objects.get()
    assert response["Location"] == reverse("orders:pay", args=[order.pk])
    assert order.total.amount == Decimal("4500") and order.seller == seller and order.revisions_included == 2
    offer.refresh_from_db()
    assert offer.status == "accepted" and offer.order == order
    # Accepting again changes nothing.
    client.post(reverse("messaging:offer_answer", args=[offer.pk, "accept"]))
    assert Order.objects.count() == 1


def test_offer_with_milestones(client, conversation, buyer, seller):
    client.force_login(seller)
    data = {**OFFER, "price": "40000", "milestones": "Design | 15000 | 5\nBuild | 25000 | 10"}
    client.post(reverse("messaging:offer_send", args=[conversation.pk]), data)
    offer = CustomOffer.objects.get()
    assert [m["title"] for m in offer.milestones] == ["Design", "Build"]
    order = offers.custom_offer_accept(offer_id=offer.pk, buyer=buyer)
    assert order.milestone_count == 2 and order.total.amount == Decimal("15000")


def test_only_sellers_send_and_only_the_client_answers(client, conversation, buyer, seller):
    client.force_login(buyer)  # not a seller
    client.post(reverse("messaging:offer_send", args=[conversation.pk]), OFFER)
    assert not CustomOffer.objects.exists()
    client.force_login(seller)
    client.post(reverse("messaging:offer_send", args=[conversation.pk]), {**OFFER, "price": "100"})
    assert not CustomOffer.objects.exists()  # below the minimum price
    client.post(reverse("messaging:offer_send", args=[conversation.pk]), OFFER)
    offer = CustomOffer.objects.get()
    client.post(reverse("messaging:offer_answer", args=[offer.pk, "accept"]))  # the seller cannot accept
    assert not Order.objects.exists()
    client.force_login(UserFactory())
    assert client.post(reverse("messaging:offer_answer", args=[offer.pk, "accept"])).status_code == 404
    assert client.post(reverse("messaging:offer_send", args=[conversation.pk]), OFFER).status_code == 404


def test_decline_and_withdraw(conversation, buyer, seller):
    data = offers.OfferData("Banner", "One banner", Decimal("900"), 2, 1)
    first = offers.custom_offer_send(seller=seller, conversation_id=conversation.pk, data=data)
    offers.custom_offer_decline(offer_id=first.pk, buyer=buyer, reason="Too expensive")
    second = offers.custom_offer_send(seller=seller, conversation_id=conversation.pk, data=data)
    offers.custom_offer_withdraw(offer_id=second.pk, seller=seller)
    with pytest.raises(offers.OfferError):
        offers.custom_offer_accept(offer_id=second.pk, buyer=buyer)
    assert not Order.objects.exists()
