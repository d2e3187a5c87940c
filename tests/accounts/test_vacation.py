"""Vacation mode: the seller's gigs leave the catalog, search, suggestions, home and their
profile for others, checkout refuses them, orders already placed go on, and all comes back
when the seller returns."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Profile
from accounts.services import profile_vacation_set
from marketplace.errors import DomainError
from orders import services as order_services
from orders.models import Order
from tests.factories import GigFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(person) -> Client:
    browser = Client()
    browser.force_login(person)
    return browser


@pytest.fixture
def away():
    """A seller with a gig the catalog finds, and another seller's gig beside it."""
    seller = SellerFactory()
    gig = GigFactory(seller=seller, title="I will paint a watercolour portrait", tags=["watercolour"])
    other = GigFactory(title="I will paint a watercolour landscape", tags=["watercolour"], category=gig.category)
    return seller, gig, other


def _pages(gig, other) -> dict[str, str]:
    visitor = Client()
    return {
        "catalog": visitor.get(reverse("gigs:catalog")).content.decode(),
        "search": visitor.get(reverse("gigs:catalog"), {"q": "watercolour"}).content.decode(),
        "category": visitor.get(
            reverse("gigs:category", args=[gig.category.parent.slug, gig.category.slug])
        ).content.decode(),
        "suggest": visitor.get(reverse("gigs:suggest"), {"q": "watercol"}).content.decode(),
        "home": visitor.get(reverse("home")).content.decode(),
        "profile": visitor.get(reverse("accounts:profile", args=[gig.seller.username])).content.decode(),
    }


def test_the_vacation_settings_page_turns_it_on_and_off(away):
    seller, _gig, _other = away
    browser = _signed_in(seller)
    assert browser.get(reverse("accounts:vacation")).status_code == 200
    until = timezone.localdate() + datetime.timedelta(days=10)
    response = browser.post(
        reverse("accounts:vacation"),
        {"on_vacation": "on", "vacation_until": until.isoformat(), "vacation_note": "Hiking in Altai"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=seller)
    assert profile.on_vacation and profile.vacation_until == until and profile.vacation_note == "Hiking in Altai"
    assert AccountEvent.objects.filter(user=seller, kind=AccountEvent.Kind.VACATION_STARTED).exists()
    browser.post(reverse("accounts:vacation"), {"vacation_note": "forgotten"})
    profile.refresh_from_db()
    assert not profile.on_vacation and profile.vacation_note == "" and profile.vacation_until is None
    assert AccountEvent.objects.filter(user=seller, kind=AccountEvent.Kind.VACATION_ENDED).exists()


def test_a_return_date_in_the_past_is_refused(away):
    seller, _gig, _other = away
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = _signed_in(seller).post(
        reverse("accounts:vacation"), {"on_vacation": "on", "vacation_until": yesterday.isoformat()}
    )
    assert response.status_code == 200 and "in the past" in response.content.decode()
    assert not Profile.objects.get(user=seller).on_vacation
    with pytest.raises(DomainError):
        profile_vacation_set(user=seller, on=True, until=yesterday)


def test_someone_who_does_not_sell_cannot_go_on_vacation():
    person = UserFactory()
    response = _signed_in(person).post(reverse("accounts:vacation"), {"on_vacation": "on"})
    assert response.status_code == 200 and "Only freelancers" in response.content.decode()
    assert not Profile.objects.get(user=person).on_vacation


def test_the_vacation_page_needs_a_log_in():
    response = Client().get(reverse("accounts:vacation"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_while_away_the_gigs_vanish_everywhere_and_come_back_after(away):
    seller, gig, other = away
    before = _pages(gig, other)
    for name, page in before.items():
        assert gig.title in page, name
    until = timezone.localdate() + datetime.timedelta(days=3)
    profile_vacation_set(user=seller, on=True, note="Back soon", until=until)
    during = _pages(gig, other)
    for name, page in during.items():
        assert gig.title not in page, name
        if name != "profile":
            assert other.title in page, name
    assert "Back soon" in during["profile"] and "On vacation until" in during["profile"]
    # The seller still sees their own gigs on their profile.
    own = _signed_in(seller).get(reverse("accounts:profile", args=[seller.username])).content.decode()
    assert gig.title in own
    profile_vacation_set(user=seller, on=False)
    after = _pages(gig, other)
    for name, page in after.items():
        assert gig.title in page, name
    assert "On vacation" not in after["profile"]


def test_the_gig_page_says_so_instead_of_the_order_button(away):
    seller, gig, _other = away
    url = reverse("gigs:detail", args=[gig.pk, gig.slug])
    visitor = Client()
    checkout = reverse("orders:checkout", args=[gig.pk])
    assert checkout in visitor.get(url).content.decode()  # cached now, in every fragment
    profile_vacation_set(user=seller, on=True, until=datetime.date(2099, 1, 5))
    page = visitor.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The seller is on vacation until 5 January 2099." in text and checkout not in text
    profile_vacation_set(user=seller, on=False)
    assert checkout in visitor.get(url).content.decode()


def test_checkout_is_refused_with_a_message(away):
    seller, gig, _other = away
    buyer = UserFactory()
    browser = _signed_in(buyer)
    profile_vacation_set(user=seller, on=True)
    url = reverse("orders:checkout", args=[gig.pk])
    assert "The seller is on vacation" in browser.get(url).content.decode()
    response = browser.post(url, {"package": 1, "quantity": 1})
    assert response.status_code == 200 and "The seller is on vacation" in response.content.decode()
    assert not Order.objects.exists()
    with pytest.raises(DomainError, match="on vacation"):
        order_services.order_place(buyer=buyer, gig_id=gig.pk, package_tier=1, extra_ids=[])
    profile_vacation_set(user=seller, on=False)
    assert browser.post(url, {"package": 1, "quantity": 1}).status_code == 302
    assert Order.objects.filter(gig=gig, buyer=buyer).exists()


def test_orders_placed_before_go_on(away):
    seller, gig, _other = away
    buyer = UserFactory()
    order = order_services.order_place(buyer=buyer, gig_id=gig.pk, package_tier=1, extra_ids=[])
    profile_vacation_set(user=seller, on=True)
    page = _signed_in(buyer).get(reverse("orders:detail", args=[order.pk]))
    assert page.status_code == 200 and gig.title in page.content.decode()
    assert _signed_in(seller).get(reverse("orders:detail", args=[order.pk])).status_code == 200
