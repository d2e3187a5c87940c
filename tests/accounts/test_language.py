"""The language is in the address: Russian at /..., English at /en/... Switching is a link."""

import re

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, GigFactory, UserFactory

pytestmark = pytest.mark.django_db


def _switch_links(page: str) -> dict[str, str]:
    nav = page.split('class="language-switch', 1)[1].split("</nav>", 1)[0]
    return {code: href for href, code in re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav)}


def test_default_language_is_russian_whatever_the_browser_or_a_cookie_says(client):
    client.cookies["django_language"] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "") and "Cookie" not in response.get("Vary", "")


def test_the_english_site_is_under_en(client):
    response = client.get("/en/")
    assert response["Content-Language"] == "en"
    page = response.content.decode()
    assert '<html lang="en">' in page and "How it works" in page
    assert 'href="/en/catalog/"' in page  # every link stays in English
    assert client.get("/de/").status_code == 404
    assert client.get("/ru/").status_code == 404  # Russian has no prefix


def test_the_switch_links_to_this_very_page_in_the_other_language_without_a_form(client):
    gig = GigFactory()
    page = client.get(f"/gig/{gig.pk}/{gig.slug}/?ref=mail").content.decode()
    path = f"/gig/{gig.pk}/{gig.slug}/?ref=mail"
    assert _switch_links(page) == {"ru": path, "en": "/en" + path}
    assert "csrfmiddlewaretoken" not in page  # a visitor's page holds no token at all
    english = client.get(_switch_links(page)["en"].replace("&amp;", "&")).content.decode()
    assert '<html lang="en">' in english
    assert _switch_links(english)["ru"] == f"/gig/{gig.pk}/{gig.slug}/?ref=mail"


def test_every_page_names_its_other_language_for_search_engines(client):
    page = client.get("/catalog/").content.decode()
    assert '<link rel="alternate" hreflang="ru" href="http://testserver/catalog/">' in page
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/catalog/">' in page
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/catalog/">' in page


def test_a_page_that_does_not_exist_links_to_the_other_languages_home(client):
    page = client.get("/no-such-page/").content.decode()
    assert _switch_links(page)["en"] == "/en/"


def test_a_signed_in_person_keeps_the_language_they_read_in_on_another_device(client):
    user = UserFactory(language="ru")
    client.force_login(user)
    assert client.get("/en/catalog/")["Content-Language"] == "en"
    assert User.objects.get(pk=user.pk).language == "en"  # their emails are in English from now on

    other_device = Client()
    response = other_device.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/"  # back to their language
    assert other_device.get(response["Location"])["Content-Language"] == "en"

    client.get("/catalog/")
    assert User.objects.get(pk=user.pk).language == "ru"


def test_reading_a_partial_or_a_file_does_not_change_the_saved_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.get("/catalog/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalog-results")
    client.get("/healthz")
    assert User.objects.get(pk=user.pk).language == "en"


def test_a_request_leaves_the_threads_language_as_it_was(client):
    from django.utils import translation

    with translation.override("en"):
        client.get("/catalog/")  # a Russian page
        assert translation.get_language() == "en"
