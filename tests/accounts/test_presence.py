""" "Online" and "last seen": written at most every few minutes, shown outside every cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.presence import online_ids, presence_touch
from tests.factories import GigFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _seen(user, minutes_ago):
    Profile.objects.filter(pk=user.pk).update(last_seen_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_opening_a_page_marks_a_person_seen_at_most_every_two_minutes(client, django_assert_num_queries):
    person = UserFactory()
    client.force_login(person)
    client.get(reverse("home"))
    first = Profile.objects.get(pk=person.pk).last_seen_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    _seen(person, 1)
    client.get(reverse("home"))  # within two minutes: not written again
    assert Profile.objects.get(pk=person.pk).last_seen_at < first
    cache.delete(f"presence:{person.pk}")
    assert presence_touch(user_id=person.pk) and not presence_touch(user_id=person.pk)
    client.logout()
    client.get(reverse("home"))  # a visitor is nobody


def test_online_means_seen_in_the_last_five_minutes():
    here, gone, never = UserFactory(), UserFactory(), UserFactory()
    _seen(here, 4)
    _seen(gone, 6)
    assert online_ids([here.pk, gone.pk, never.pk]) == {here.pk}


def test_cards_and_the_gig_page_say_who_is_online_for_every_viewer(client):
    online, away = SellerFactory(), SellerFactory()
    online_gig = GigFactory(seller=online, title="Gig of the online seller")
    away_gig = GigFactory(seller=away, title="Gig of the away seller")
    _seen(online, 1)
    _seen(away, 180)
    for viewer in (None, UserFactory()):
        if viewer:
            client.force_login(viewer)
        page = client.get(reverse("gigs:catalog")).content.decode()
        cards = page.split('<article class="card gig-card')
        card = {g.title: next(c for c in cards if g.title in c) for g in (online_gig, away_gig)}
        assert "gig-card-online" in card["Gig of the online seller"]
        assert "gig-card-online" not in card["Gig of the away seller"]
        detail = client.get(reverse("gigs:detail", args=[away_gig.pk, away_gig.slug])).content.decode()
        assert "Last seen 3\u00a0hours ago" in detail and "presence-online" not in detail
    # The seller comes back: the same cached card and seller card now say "Online".
    _seen(away, 0)
    page = client.get(reverse("gigs:catalog")).content.decode()
    card = next(c for c in page.split('<article class="card gig-card') if "Gig of the away seller" in c)
    assert "gig-card-online" in card
    detail = client.get(reverse("gigs:detail", args=[away_gig.pk, away_gig.slug])).content.decode()
    assert "presence-online" in detail


def test_the_profile_shows_online_or_the_last_visit(client):
    seller = SellerFactory()
    _seen(seller, 2)
    page = client.get(reverse("accounts:profile", args=[seller.username])).content.decode()
    assert "presence-online" in page
    _seen(seller, 60 * 24 * 2)
    page = client.get(reverse("accounts:profile", args=[seller.username])).content.decode()
    assert "presence-online" not in page and "2\u00a0days ago" in page
