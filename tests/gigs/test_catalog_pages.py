"""Catalog pages at scale: keyset pages, capped search pages, estimated counts, cached cards,
and query counts that do not grow with the page size."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from gigs import selectors
from gigs.models import Gig
from tests.factories import CategoryFactory, GigFactory, UserFactory, rub

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(not settings.USING_POSTGRES, reason="full-text search needs PostgreSQL")


def titles(response) -> list[str]:
    return [gig.title for gig in response.context["page"].gigs]


def follow(client, response, direction: str):
    page = response.context["page"]
    token = page.next_token if direction == "after" else page.previous_token
    return client.get(reverse("gigs:catalog"), {**response.wsgi_request.GET.dict(), direction: token})


@pytest.fixture
def thirty(db):
    """30 gigs with distinct prices, popularity and dates, and a few ties to break by id."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        GigFactory(
            title=f"Gig {n:02d}", price_from=rub(500 + (n % 7) * 100), orders_count=n % 5, rating_avg=3 + (n % 3) / 2,
            rating_count=n, published_at=base + timedelta(hours=n // 2),
        )
        for n in range(30)
    ]  # fmt: skip


@pytest.mark.parametrize("sort", ["relevance", "rating", "price_asc", "price_desc", "newest"])
def test_keyset_pages_walk_the_same_order_as_the_full_list_both_ways(client, thirty, sort):
    expected = [gig.title for gig in selectors.gig_catalog(selectors.CatalogQuery(sort=sort))]
    first = client.get(reverse("gigs:catalog"), {"sort": sort})
    second = follow(client, first, "after")
    assert first.context["page"].number == 1 and second.context["page"].number == 2
    assert titles(first) + titles(second) == expected
    assert not second.context["page"].has_next
    back = follow(client, second, "before")
    assert titles(back) == titles(first) and back.context["page"].number == 1


def test_the_pages_links_carry_the_token_and_keep_the_filters(client, thirty):
    response = client.get(reverse("gigs:catalog"), {"sort": "price_asc", "days": "7"})
    token = response.context["page"].next_token
    assert f'href="?after={token}&amp;days=7&amp;sort=price_asc"' in response.content.decode()
    second = client.get(reverse("gigs:catalog"), {"sort": "price_asc", "days": "7", "after": token})
    # Page 2's previous page is the plain first page: no token.
    assert 'href="?days=7&amp;sort=price_asc" data-hx-get' in second.content.decode()


def test_a_deep_page_costs_a_token_not_an_offset(client, thirty, django_assert_max_num_queries):
    query = selectors.CatalogQuery(sort="newest")
    ordered = list(selectors.gig_catalog(query))
    token = selectors.catalog_token_after(query, ordered[25], 1000)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("gigs:catalog"), {"sort": "newest", "after": token})
    assert titles(response) == [gig.title for gig in ordered[26:]]
    assert response.context["page"].number == 1000
    assert not any(" OFFSET " in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("token", ["zzz", "W10", "W1siYSJdLDJd", "W1sxLDIsM10sMV0", "%" * 400])
def test_a_bad_token_gives_the_first_page(client, thirty, token):
    response = client.get(reverse("gigs:catalog"), {"after": token})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(titles(response)) == settings.CATALOG_PAGE_SIZE


def test_the_count_is_exact_when_small_and_estimated_above_the_threshold(client, thirty, monkeypatch):
    response = client.get(reverse("gigs:catalog"))
    assert response.context["count"] == selectors.ResultCount(30, True)
    assert "30" in response.content.decode()
    monkeypatch.setattr(selectors, "CATALOG_COUNT_EXACT_UP_TO", 10)
    monkeypatch.setattr(selectors, "_estimate", lambda queryset: 12345)
    response = client.get("/catalog/", {"days": "7"})  # another filter set, and the Russian page
    assert response.context["count"] == selectors.ResultCount(12345, False)
    assert "около 12\xa0345 услуг" in response.content.decode()  # grouped as Russian writes it
    # An estimate below what was counted is not shown: the page says "more than" the threshold.
    monkeypatch.setattr(selectors, "_estimate", lambda queryset: 3)
    response = client.get("/catalog/", {"days": "3"})
    assert response.context["count"] == selectors.ResultCount(10, False, at_least=True)
    assert "более 10 услуг" in response.content.decode()
    assert "more than 10 services" in client.get("/en/catalog/", {"days": "3"}).content.decode()


@postgres_only
def test_a_sections_estimate_sees_its_categories(client, monkeypatch):
    from django.db import connection

    big, other = CategoryFactory(slug="big"), CategoryFactory(slug="other")
    GigFactory.create_batch(60, category=big)
    GigFactory.create_batch(240, category=other)
    with connection.cursor() as cursor:
        # The profiles too: the listing leaves out sellers on vacation (an anti-join whose
        # estimate reads their statistics, stale from whatever ran before otherwise).
        cursor.execute("ANALYZE gigs_gig, accounts_profile")
    monkeypatch.setattr(selectors, "CATALOG_COUNT_EXACT_UP_TO", 10)
    count = client.get(reverse("gigs:section", args=[big.parent.slug])).context["count"]
    assert not count.exact and not count.at_least and 45 <= count.value <= 75, count


def test_the_count_is_cached_per_filter_set(thirty, django_assert_num_queries):
    query = selectors.CatalogQuery(sort="rating", days=7)
    first = selectors.catalog_count(query)
    with django_assert_num_queries(0):
        assert selectors.catalog_count(selectors.CatalogQuery(sort="newest", days=7)) == first  # sorts share it
    assert selectors.catalog_count(selectors.CatalogQuery(days=3)) is not None


def test_the_count_is_left_out_when_asked(rf, thirty):
    from django.contrib.auth.models import AnonymousUser

    from gigs.views import catalog_view

    request = rf.get("/catalog/")
    request.user = AnonymousUser()
    body = catalog_view(request, show_count=False).content.decode()
    status = body.split('role="status">', 1)[1].split("</p>", 1)[0]
    assert status.strip() == ""


def test_a_changed_gig_is_never_served_from_an_old_cached_card(client, thirty):
    gig = thirty[29]
    client.get(reverse("gigs:catalog"), {"sort": "rating"})
    Gig.objects.filter(pk=gig.pk).update(title="Renamed gig", updated_at=F("updated_at") + timedelta(seconds=1))
    assert "Renamed gig" in client.get(reverse("gigs:catalog"), {"sort": "rating"}).content.decode()
    Gig.objects.filter(pk=gig.pk).update(rating_count=999)  # reviews move the rating without an edit
    assert "(999)" in client.get(reverse("gigs:catalog"), {"sort": "rating"}).content.decode()


def test_cards_come_from_the_cache_without_reading_sellers_or_images(client, thirty, django_assert_num_queries):
    client.get(reverse("gigs:catalog"))
    # The page of gigs, and who of their sellers is online now (it changes without the cards
    # changing); the count and the cards are cached.
    with django_assert_num_queries(2) as captured:
        client.get(reverse("gigs:catalog"))
    assert "gigs_gig" in captured.captured_queries[0]["sql"]
    assert "last_seen_at" in captured.captured_queries[1]["sql"]


def _buttons(body: str) -> dict[int, str]:
    """Each card's favourite button as the page shows it: gig id -> "saved" / "save"."""
    found = {}
    for form in body.split('class="favorite-form"')[1:]:
        form = form.split("</form>", 1)[0]
        gig_id = int(re.search(r'name="gig" value="(\d+)"', form).group(1))
        found[gig_id] = "saved" if "bi-heart-fill" in form else "save"
    return found


def test_signed_in_people_see_their_own_buttons_with_their_own_tokens(client, thirty):
    from django.test import Client

    from gigs.models import Favorite

    url = "/catalog/?sort=rating"
    shown = client.get(url).context["page"].gigs
    liked, own, other = shown[0], shown[1], shown[2]
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    Favorite.objects.create(user=alice, gig=liked)
    browsers = {}
    for person in (alice, bob, carol):
        browsers[person] = Client(enforce_csrf_checks=True)
        browsers[person].force_login(person)

    def save(person, page: str, gig) -> int:
        """Press the heart of `gig` on `page` as that person's browser would."""
        form = page.split(f'name="gig" value="{gig.pk}"', 1)[0].rsplit("<form", 1)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        return browsers[person].post("/saved/toggle/", {"gig": gig.pk, "csrfmiddlewaretoken": token}).status_code

    alice_page = browsers[alice].get(url).content.decode()
    assert _buttons(alice_page)[liked.pk] == "saved"
    bob_page = browsers[bob].get(url).content.decode()
    assert _buttons(bob_page)[liked.pk] == "save"  # Alice's saved heart is not Bob's
    carol_page = browsers[carol].get(url).content.decode()
    tokens = {page: set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
              for page in (alice_page, bob_page, carol_page)}  # fmt: skip
    assert not tokens[alice_page] & tokens[bob_page] and not tokens[bob_page] & tokens[carol_page]
    assert save(carol, carol_page, other) == 302
    assert save(bob, bob_page, liked) == 302  # his own token: the form works
    assert save(carol, bob_page, liked) == 403  # Bob's token is not Carol's
    assert _buttons(browsers[bob].get(url).content.decode())[liked.pk] == "saved"  # the new save shows at once

    own.seller = bob
    own.save()
    page = browsers[bob].get(url).content.decode()
    assert own.pk not in _buttons(page) and other.pk in _buttons(page)  # no button on his own gig


def measured(client, url, params, django_assert_max_num_queries, most: int):
    """The queries of one cold request (empty cache: every card rendered, every count counted)."""
    cache.clear()
    with django_assert_max_num_queries(most) as captured:
        response = client.get(url, params)
    return response, len(captured.captured_queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "price_desc", "price_min": "500"}, {"q": "Gig"}, {"level": "new", "days": "7"}],
)
def test_catalog_queries_do_not_grow_with_the_page(client, user, django_assert_max_num_queries, params):
    client.force_login(user)
    GigFactory.create_batch(3, with_image=True, title="Gig small")
    # A search walks its text tiers (up to four queries) and counts itself (three without Redis).
    # A cold signed-in request also reads the legal versions (twice), writes the presence and
    # asks who of the page's sellers is online.
    _response, small = measured(
        client, reverse("gigs:catalog"), params, django_assert_max_num_queries, 18 + 7 * ("q" in params)
    )
    GigFactory.create_batch(25, with_image=True, title="Gig large")
    response, _large = measured(client, reverse("gigs:catalog"), params, django_assert_max_num_queries, small)
    assert len(response.context["page"].gigs) == settings.CATALOG_PAGE_SIZE


def test_section_and_category_pages_query_counts_do_not_grow(client, django_assert_max_num_queries):
    logo = CategoryFactory(slug="logo")
    GigFactory.create_batch(3, category=logo)
    urls = [
        reverse("gigs:section", args=[logo.parent.slug]),
        reverse("gigs:category", args=[logo.parent.slug, logo.slug]),
    ]
    small = [measured(client, url, {}, django_assert_max_num_queries, 16)[1] for url in urls]
    GigFactory.create_batch(25, category=logo)
    for url, most in zip(urls, small, strict=True):
        response, _large = measured(client, url, {}, django_assert_max_num_queries, most)
        assert len(response.context["page"].gigs) == 24


def test_section_and_category_are_found_in_the_cached_tree_which_a_category_save_forgets(
    client, django_assert_num_queries
):
    logo = CategoryFactory(slug="logo")
    GigFactory(category=logo, title="Logo gig")
    url = reverse("gigs:category", args=[logo.parent.slug, logo.slug])
    client.get(url)
    with django_assert_num_queries(2) as captured:  # the page of gigs and who is online: no category lookups
        assert client.get(url).status_code == 200
    assert "gigs_category" not in captured.captured_queries[0]["sql"]
    icons = CategoryFactory(slug="icons", parent=logo.parent)  # a new category is found at once
    assert client.get(reverse("gigs:category", args=[logo.parent.slug, icons.slug])).status_code == 200
    logo.slug = "logos"
    logo.save()
    assert client.get(url).status_code == 404
    assert b"Logo gig" in client.get(reverse("gigs:category", args=[logo.parent.slug, "logos"])).content


def test_gig_page_and_saved_list_queries_do_not_grow(client, user, django_assert_max_num_queries):
    from gigs.models import Favorite

    client.force_login(user)
    gig = GigFactory()
    for other in GigFactory.create_batch(3, seller=gig.seller, with_image=True):
        Favorite.objects.create(user=user, gig=other)
    detail, saved = reverse("gigs:detail", args=[gig.pk, gig.slug]), reverse("gigs:saved")
    detail_small = measured(client, detail, {}, django_assert_max_num_queries, 26)[1]
    saved_small = measured(client, saved, {}, django_assert_max_num_queries, 26)[1]
    for other in GigFactory.create_batch(25, seller=gig.seller, with_image=True):
        Favorite.objects.create(user=user, gig=other)
    assert len(measured(client, detail, {}, django_assert_max_num_queries, detail_small)[0].context["more"]) == 4
    response = measured(client, saved, {}, django_assert_max_num_queries, saved_small)[0]
    assert len(response.context["page"].object_list) == 24


def test_gig_page_fragments_follow_an_edit(client):
    # Signed in: the page is rendered (a visitor's whole-page copy is in test_page_cache.py),
    # and its cached fragments are keyed on updated_at.
    client.force_login(UserFactory())
    gig = GigFactory(description="The first description of this gig, long enough to be a real one, really.")
    url = reverse("gigs:detail", args=[gig.pk, gig.slug])
    assert "The first description" in client.get(url).content.decode()
    Gig.objects.filter(pk=gig.pk).update(
        description="A second description, long enough as well, written after an edit of the gig.",
        updated_at=F("updated_at") + timedelta(seconds=1),
    )
    page = client.get(url).content.decode()
    assert "A second description" in page and "The first description" not in page


@postgres_only
def test_ranked_pages_follow_the_rank_and_a_token_past_the_end_gives_the_first_page(client):
    best = GigFactory(title="Logo logo logo", description="A logo, a logo and a logo." + "." * 90)
    GigFactory.create_batch(30, title="Shop sign", description="A logo for a shop sign." + "." * 90)
    first = client.get(reverse("gigs:catalog"), {"q": "logo"})
    assert first.context["page"].gigs[0].pk == best.pk  # ranked in the database, best first
    stale = selectors._token_encode([5000], 9)
    response = client.get(reverse("gigs:catalog"), {"q": "logo", "after": stale})
    assert response.context["page"].number == 1 and response.context["page"].gigs[0].pk == best.pk


@postgres_only
def test_search_count_is_exact_below_the_threshold(client):
    GigFactory.create_batch(3, title="Translation into German", description="Careful translation work." + "." * 90)
    GigFactory(title="Logo", description="Nothing to see here." + "." * 90)
    response = client.get(reverse("gigs:catalog"), {"q": "translation"})
    assert response.context["count"] == selectors.ResultCount(3, True)
    assert set(titles(response)) == {"Translation into German"}


def test_the_token_is_opaque_and_round_trips(thirty):
    query = selectors.CatalogQuery(sort="price_desc")
    gig = list(selectors.gig_catalog(query))[5]
    token = selectors.catalog_token_after(query, gig, 2)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    page = selectors.catalog_page(query, after=token)
    assert page.number == 2
    assert page.gigs[0].pk == list(selectors.gig_catalog(query))[6].pk
    assert urlsplit(f"/?after={token}").query == f"after={token}"
