"""The gig page's and the listings' cached fragments, the view counter and the header menu."""

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
from django.utils import translation

from gigs import services
from marketplace.cache import redis_client
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


def test_a_visitor_gets_the_gig_page_from_its_fragments_and_no_csrf_token(client):
    gig = GigFactory(with_image=True)
    first, first_selects = _selects(client, _url(gig))
    second, second_selects = _selects(Client(), _url(gig))
    # Packages, extras, FAQ, images and reviews come from the cached fragments the second time.
    assert len(second_selects) < len(first_selects)
    assert not any("gigs_gigpackage" in sql or "reviews_review" in sql for sql in second_selects)
    assert second.content == first.content  # nothing of the visitor in it: the same bytes
    assert b"csrfmiddlewaretoken" not in second.content and b"X-CSRFToken" not in second.content
    assert second["Cache-Control"] == f"public, max-age=0, s-maxage={settings.PUBLIC_CACHE_SECONDS}"
    services.gig_views_flush()
    gig.refresh_from_db()
    assert gig.views_count == 2  # every view counts


def test_the_english_page_is_its_own_address(client):
    gig = GigFactory()
    with translation.override("ru"):
        russian_url = reverse("gigs:detail", args=[gig.pk, gig.slug])
    russian = client.get(russian_url).content.decode()
    english_url = _url(gig)  # tests reverse in English
    assert english_url == "/en" + russian_url
    english = Client().get(english_url).content.decode()
    assert '<html lang="ru">' in russian and '<html lang="en">' in english
    assert "Заказать" in russian and "Заказать" not in english


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


def test_a_signed_in_person_and_a_visitor_with_a_message_get_pages_of_their_own(client):
    gig = GigFactory()
    client.get(_url(gig))
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    response = signed_in.get(_url(gig))
    assert person.display_name in response.content.decode()
    assert response["Cache-Control"] == "private"
    # A visitor with a message waiting gets it, and nobody else keeps that page.
    visitor = Client()
    saved = Message(messages.SUCCESS, "Saved to your list.")
    visitor.cookies["messages"] = CookieStorage(HttpRequest())._encode([saved])
    response = visitor.get(_url(gig))
    assert "Saved to your list." in response.content.decode()
    assert response["Cache-Control"] == "private"


def test_a_new_image_or_a_reply_reaches_the_cached_page(client):
    gig = GigFactory(with_image=True)
    image = gig.images.first()
    client.get(_url(gig))
    image.image = "gigs/new-picture.jpg"  # saved without the gig: its updated_at stays
    image.save()
    assert "new-picture.jpg" in Client().get(_url(gig)).content.decode()


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
    assert "Переименованная категория" in Client().get("/catalog/").content.decode()


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


def test_a_signed_in_person_gets_their_own_favourite_buttons_and_a_visitor_none(client):
    gig = GigFactory()
    client.get(reverse("gigs:catalog"))
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    response = signed_in.get(reverse("gigs:catalog"))
    assert f'name="gig" value="{gig.pk}"' in response.content.decode()
    assert "gigs/_catalog_results.html" in [t.name for t in response.templates]  # rendered for them
    visitor_page = Client().get(reverse("gigs:catalog")).content.decode()
    assert reverse("gigs:favorite") not in visitor_page
    assert "csrfmiddlewaretoken" not in visitor_page
