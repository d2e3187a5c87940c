"""The gig page's copy for visitors who are not signed in, the view counter and the header menu."""

import re
import threading

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gigs import services
from gigs.models import Gig
from marketplace.cache import redis_client
from marketplace.pagecache import CSRF_PLACEHOLDER
from tests.factories import GigFactory, UserFactory

pytestmark = pytest.mark.django_db
with_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="counts views in Redis: needs REDIS_URL")


def _url(gig):
    return reverse("gigs:detail", args=[gig.pk, gig.slug])


def _selects(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_visitor_gets_the_second_view_from_the_cache_without_reading_the_database(client):
    gig = GigFactory(with_image=True)
    first, first_selects = _selects(client, _url(gig))
    second, second_selects = _selects(Client(), _url(gig))
    assert first_selects  # rendered once
    assert second_selects == []  # then served as it was
    assert second.content.decode().replace(_token(second.content.decode()), "") == first.content.decode().replace(
        _token(first.content.decode()), ""
    )
    services.gig_views_flush()
    gig.refresh_from_db()
    assert gig.views_count == 2  # a view served from the cache still counts


def test_every_visitor_gets_an_own_csrf_token_that_works(client):
    gig = GigFactory()
    client.get(_url(gig))  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(_url(gig)).content.decode()
    assert CSRF_PLACEHOLDER not in page
    token = _token(page)
    other = Client().get(_url(gig)).content.decode()
    assert _token(other) != token
    response = visitor.post(
        reverse("accounts:language"), {"language": "en", "next": _url(gig), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    english = visitor.get(_url(gig)).content.decode()
    assert '<html lang="en">' in english  # a copy per language
    assert '<html lang="ru">' in Client().get(_url(gig)).content.decode()


def test_an_edit_is_seen_by_the_next_visitor(client):
    gig = GigFactory(title="Logo in one day for your business")
    assert "Logo in one day" in client.get(_url(gig)).content.decode()
    gig.title = "Logo in two days for your business"
    gig.save()
    assert "Logo in two days" in Client().get(_url(gig)).content.decode()


def test_a_paused_gig_is_not_served_from_the_cache(client):
    gig = GigFactory()
    client.get(_url(gig))
    services.gig_pause(seller=gig.seller, gig_id=gig.pk)
    assert Client().get(_url(gig)).status_code == 404


def test_a_signed_in_person_a_query_string_and_flash_messages_get_a_fresh_page(client):
    gig = GigFactory()
    client.get(_url(gig))
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    _response, selects = _selects(signed_in, _url(gig))
    assert selects and person.display_name in _response.content.decode()
    _response, selects = _selects(Client(), _url(gig) + "?utm_source=mail")
    assert selects
    Gig.objects.filter(pk=gig.pk).update(title="Changed behind the cache's back")
    # A visitor with a message waiting gets it, on a page rendered for them.
    visitor = Client()
    saved = Message(messages.SUCCESS, "Saved to your list.")
    visitor.cookies["messages"] = CookieStorage(HttpRequest())._encode([saved])
    page = visitor.get(_url(gig)).content.decode()
    assert "Saved to your list." in page and "Changed behind the cache" in page


def test_the_wrong_slug_still_redirects_when_the_page_is_cached(client):
    gig = GigFactory()
    client.get(_url(gig))
    response = Client().get(reverse("gigs:detail", args=[gig.pk, "old-slug"]))
    assert response.status_code == 301 and response["Location"] == _url(gig)


def test_the_owner_never_gets_the_visitors_copy_nor_counts_a_view(client):
    gig = GigFactory()
    client.get(_url(gig))
    owner = Client()
    owner.force_login(gig.seller)
    page = owner.get(_url(gig)).content.decode()
    assert gig.seller.display_name in page and "accounts/logout" in page
    services.gig_views_flush()
    gig.refresh_from_db()
    assert gig.views_count == 1


def test_the_header_menu_follows_a_category_rename(client):
    gig = GigFactory()
    category = gig.category
    assert category.name_ru in client.get("/").content.decode()
    category.name_ru = "Переименованная категория"
    category.save()
    assert "Переименованная категория" in Client().get(reverse("gigs:catalog")).content.decode()


@with_redis
def test_views_wait_in_redis_until_the_flush():
    gig = GigFactory()
    for _ in range(3):
        services.gig_register_view(gig_id=gig.pk)
    gig.refresh_from_db()
    assert gig.views_count == 0  # no write on a read
    assert int(redis_client().hget(services.GIG_VIEWS_KEY, str(gig.pk))) == 3
    assert services.gig_views_flush() == 1
    gig.refresh_from_db()
    assert gig.views_count == 3
    assert services.gig_views_flush() == 0  # nothing counted twice


@with_redis
@pytest.mark.django_db(transaction=True)
def test_views_counted_during_flushes_are_all_kept():
    gig = GigFactory()
    stop = threading.Event()
    counted = 0

    def view():
        nonlocal counted
        while not stop.is_set():
            services.gig_register_view(gig_id=gig.pk)
            counted += 1

    viewer = threading.Thread(target=view)
    viewer.start()
    try:
        for _ in range(20):
            services.gig_views_flush()
    finally:
        stop.set()
        viewer.join()
        connection.close()
    services.gig_views_flush()
    gig.refresh_from_db()
    assert counted > 0 and gig.views_count == counted


@with_redis
def test_a_failed_flush_puts_the_counts_back(monkeypatch):
    gig = GigFactory()
    services.gig_register_view(gig_id=gig.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.Gig.objects, "filter", broken)
    with pytest.raises(RuntimeError):
        services.gig_views_flush()
    monkeypatch.undo()
    services.gig_views_flush()
    gig.refresh_from_db()
    assert gig.views_count == 1


def test_a_listing_is_rendered_once_and_follows_every_change_of_its_gigs(client):
    gigs = GigFactory.create_batch(3, title="Logo in one day for your business")
    url = reverse("gigs:catalog")
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    again = response.content.decode()
    # The listing's query still runs (new data is never missed); the results are not rendered again.
    assert any("gigs_gig" in q["sql"] for q in queries.captured_queries)
    assert "gigs/_catalog_results.html" not in [t.name for t in response.templates]
    assert again.count("Logo in one day") == first.count("Logo in one day") == 3
    gigs[0].title = "Banner in two days for your business"
    gigs[0].save()
    changed = Client().get(url).content.decode()
    assert "Banner in two days" in changed and changed.count("Logo in one day") == 2


def test_a_signed_in_person_gets_their_favourite_buttons_on_a_cached_listing(client):
    gig = GigFactory()
    client.get(reverse("gigs:catalog"))
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    page = signed_in.get(reverse("gigs:catalog")).content.decode()
    assert reverse("gigs:favorite", args=[gig.pk]) in page
    assert reverse("gigs:favorite", args=[gig.pk]) not in Client().get(reverse("gigs:catalog")).content.decode()
