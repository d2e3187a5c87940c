"""The header search box: suggestions as you type (categories, popular searches, gigs; the
last word a prefix), and the searches counted for them without keeping anyone's data."""

import pytest
from django.conf import settings
from django.urls import reverse

from gigs import selectors, services
from gigs.models import SearchTerm
from gigs.ranking import gig_scores_refresh
from tests.factories import CategoryFactory, GigFactory

pytestmark = pytest.mark.django_db


def _gig(title, **kwargs):
    gig = GigFactory(title=title, **kwargs)
    gig_scores_refresh(gig_ids=[gig.pk])
    return gig


def test_the_word_being_typed_is_a_prefix(client):
    logo = _gig("Разработаю уникальный логотип для бизнеса")
    _gig("Напишу текст для лендинга")
    response = client.get(reverse("gigs:suggest"), {"q": "уникальный лого"})
    page = response.content.decode()
    assert response.status_code == 200 and logo.title in page and "лендинга" not in page
    assert [g.pk for g in selectors.search_suggestions("Логот").gigs] == [logo.pk]  # capitals too
    assert selectors.search_suggestions("л").empty  # one letter: too early to suggest
    tax = _gig("Помогу выбрать систему налогообложения")
    assert tax.pk not in [g.pk for g in selectors.search_suggestions("лого").gigs]  # a word's start, not its middle


def test_categories_by_name_in_the_pages_language(client):
    CategoryFactory(name_ru="Логотипы и брендинг", name_en="Logos and branding")
    english = client.get("/en" + reverse("gigs:suggest").removeprefix("/en"), {"q": "logos"}).content.decode()
    russian = client.get(reverse("gigs:suggest").removeprefix("/en"), {"q": "логот"}).content.decode()
    assert "Logos and branding" in english and "Логотипы и брендинг" in russian


def test_popular_searches_are_the_ones_searched_often_that_found_something(client):
    _gig("Сделаю сайт на WordPress")
    for _ in range(3):
        client.get(reverse("gigs:catalog"), {"q": "Сайт на   WordPress"})
    client.get(reverse("gigs:catalog"), {"q": "сайт на wordpress"}, headers={"HX-Request": "true"})
    client.get(reverse("gigs:catalog"), {"q": "сайт нигде-не-встречается"})  # only some of the words found: not counted
    if settings.REDIS_URL:
        services.search_terms_flush()
    assert SearchTerm.objects.get(query="сайт на wordpress").count == 4
    assert not SearchTerm.objects.filter(query__contains="нигде").exists()
    assert selectors.search_suggestions("сайт на").queries == ["сайт на wordpress"]
    SearchTerm.objects.create(query="сайт на tilda", count=2)  # searched twice: not yet shown to others
    assert selectors.search_suggestions("сайт на").queries == ["сайт на wordpress"]


def test_a_search_with_an_email_or_a_phone_is_not_kept():
    for q in ("ivan@example.com логотип", "логотип +7 912 345 67 89"):
        services.search_register(q=q)
    if settings.REDIS_URL:
        services.search_terms_flush()
    assert not SearchTerm.objects.exists()
