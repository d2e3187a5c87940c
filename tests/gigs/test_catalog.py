import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import SellerLevel
from gigs.models import Gig
from tests.factories import CategoryFactory, GigFactory, SellerFactory, rub

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(not settings.USING_POSTGRES, reason="full-text search needs PostgreSQL")


def titles(response) -> list[str]:
    return [gig.title for gig in response.context["page"].object_list]


@pytest.fixture
def shelf():
    """Gigs that differ in exactly one property each."""
    logo = CategoryFactory(slug="logo")
    web = CategoryFactory(slug="websites")
    pro = SellerFactory()
    pro.profile.seller_level = SellerLevel.PROFESSIONAL
    pro.profile.save()
    return {
        "cheap": GigFactory(title="Cheap logo", category=logo, price_from=rub(500), days_min=7, rating_avg=4.1,
                            orders_count=5),
        "fast": GigFactory(title="Fast logo", category=logo, price_from=rub(2000), days_min=1, rating_avg=4.6,
                           orders_count=50),
        "pricey": GigFactory(title="Premium website", category=web, price_from=rub(90000), days_min=14,
                             rating_avg=5.0, seller=pro, orders_count=1),
        "hidden": GigFactory(title="Paused logo", category=logo, status=Gig.Status.PAUSED),
    }  # fmt: skip


def test_catalog_lists_only_active_gigs(client, shelf):
    assert sorted(titles(client.get(reverse("gigs:catalog")))) == ["Cheap logo", "Fast logo", "Premium website"]


def test_category_and_section_pages_with_breadcrumbs_and_counts(client, shelf):
    logo = shelf["cheap"].category
    response = client.get(reverse("gigs:category", args=[logo.parent.slug, logo.slug]))
    assert titles(response) == ["Fast logo", "Cheap logo"]
    assert 'class="breadcrumb' in response.content.decode()
    section = client.get(reverse("gigs:section", args=[logo.parent.slug]))
    assert section.status_code == 200
    assert client.get(reverse("gigs:category", args=[logo.parent.slug, "nope"])).status_code == 404
    assert client.get("/catalog/no-section/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"price_min": "1000"}, {"Fast logo", "Premium website"}),
        ({"price_max": "2000"}, {"Cheap logo", "Fast logo"}),
        ({"price_min": "1000", "price_max": "5000"}, {"Fast logo"}),
        ({"days": "1"}, {"Fast logo"}),
        ({"days": "7"}, {"Cheap logo", "Fast logo"}),
        ({"level": "professional"}, {"Premium website"}),
        ({"rating": "4.5"}, {"Fast logo", "Premium website"}),
        ({"rating": "4"}, {"Cheap logo", "Fast logo", "Premium website"}),
    ],
)
def test_each_filter(client, shelf, params, expected):
    assert set(titles(client.get(reverse("gigs:catalog"), params))) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["Cheap logo", "Fast logo", "Premium website"]),
        ("price_desc", ["Premium website", "Fast logo", "Cheap logo"]),
        ("rating", ["Premium website", "Fast logo", "Cheap logo"]),
        ("relevance", ["Fast logo", "Cheap logo", "Premium website"]),  # popularity without a query
    ],
)
def test_each_sort(client, shelf, sort, expected):
    assert titles(client.get(reverse("gigs:catalog"), {"sort": sort})) == expected


def test_newest_sort(client):
    from datetime import UTC, datetime

    GigFactory(title="Old", published_at=datetime(2025, 1, 1, tzinfo=UTC))
    GigFactory(title="New", published_at=datetime(2026, 6, 1, tzinfo=UTC))
    assert titles(client.get(reverse("gigs:catalog"), {"sort": "newest"})) == ["New", "Old"]


def test_bad_parameters_are_ignored_not_an_error(client, shelf):
    response = client.get(
        reverse("gigs:catalog"), {"price_min": "cheap", "days": "99", "sort": "evil", "rating": "x", "page": "zzz"}
    )
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_plain_search_matches_words(client, shelf):
    assert set(titles(client.get(reverse("gigs:catalog"), {"q": "logo"}))) == {"Cheap logo", "Fast logo"}


def test_empty_state_suggests_wider_filters(client, shelf):
    page = client.get(reverse("gigs:catalog"), {"q": "zzzzqqq"}).content.decode()
    assert ("empty-state" in page and "Reset" in page) or "Сбросить" in page


def test_htmx_request_gets_only_the_results(client, shelf):
    response = client.get(
        reverse("gigs:catalog"), {"days": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalog-results"
    )
    body = response.content.decode()
    assert "<html" not in body and "Fast logo" in body and "Cheap logo" not in body
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("gigs:catalog"), {"days": "1"}).content.decode()
    assert "<html" in full and 'data-hx-push-url="true"' in full


def test_catalog_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries, user):
    from django.core.cache import cache

    client.force_login(user)
    GigFactory.create_batch(3, with_image=True)
    cache.clear()  # both pages cold: every card rendered, every count counted
    # + the cold legal check (the binding versions, what the person accepted), the presence
    # write and who of the page's sellers is online.
    with django_assert_max_num_queries(18) as small:
        client.get(reverse("gigs:catalog"))
    GigFactory.create_batch(21, with_image=True)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("gigs:catalog"))
    assert len(response.context["page"].object_list) == 24


@postgres_only
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("логотипы", "Разработаю логотип для кофейни"),
        ("сайтов", "Создание сайта на Django"),
        ("designs", "I will design a modern flyer"),
        ("translation", "I will translate your website"),
        ("логтоип", "Разработаю логотип для кофейни"),  # a typo: trigram fallback
    ],
)
def test_full_text_search_stems_russian_and_english(client, query, title):
    GigFactory(title="Разработаю логотип для кофейни", description="Фирменный знак и шрифты." + "." * 90)
    GigFactory(title="Создание сайта на Django", description="Быстрый и надёжный сайт." + "." * 90)
    GigFactory(title="I will design a modern flyer", description="Print ready flyer." + "." * 90)
    GigFactory(title="I will translate your website", description="Professional translator." + "." * 90)
    found = titles(client.get(reverse("gigs:catalog"), {"q": query}))
    assert found and found[0] == title


@postgres_only
def test_search_ranks_title_matches_above_description_matches(client):
    GigFactory(title="Banner for a shop", description="Also a logo if you want." + "." * 90, orders_count=100)
    GigFactory(title="Logo for a shop", description="Clean vector work." + "." * 90, orders_count=0)
    assert titles(client.get(reverse("gigs:catalog"), {"q": "logo"}))[0] == "Logo for a shop"


def _ru(name, *args) -> str:
    """The Russian page's address (reverse() inside the tests' English override gives /en/...)."""
    with translation.override("ru"):
        return reverse(name, args=args)


def test_price_bounds_given_the_wrong_way_round_are_swapped_and_said_so(client, shelf):
    response = client.get(_ru("gigs:catalog"), {"price_min": "5000", "price_max": "1000"})
    assert set(titles(response)) == {"Fast logo"}  # 1000-5000, not an empty page
    page = response.content.decode()
    assert "Показаны цены от 1\u00a0000\u00a0₽ до 5\u00a0000\u00a0₽" in page
    panel = page.split('name="price_min"', 1)[1]
    assert panel.split(">", 1)[0].count('value="1000"') == 1  # the fields show the bounds used
    # The right way round: no note.
    plain = client.get(_ru("gigs:catalog"), {"price_min": "1000", "price_max": "5000"}).content.decode()
    assert set(titles(client.get(_ru("gigs:catalog"), {"price_min": "1000", "price_max": "5000"}))) == {"Fast logo"}
    assert "Показаны цены от" not in plain
