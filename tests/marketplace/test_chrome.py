"""The header and footer: one cached rendering per language for visitors who are not signed
in, with what differs per request (search words, address, CSRF token) put in each time."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from marketplace.templatetags.ui import chrome_key
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow
from tests.orders.conftest import top_up

pytestmark = pytest.mark.django_db


def _search_value(page: str) -> str:
    return re.search(r'id="header-q"[^>]*value="([^"]*)"', page, re.S).group(1)


def _next_values(page: str) -> list[str]:
    return re.findall(r'name="next" value="([^"]*)"', page)


def test_each_request_gets_its_own_search_words_and_address_escaped(client):
    GigFactory()
    client.get(reverse("gigs:catalog"))
    assert caches["local"].get(chrome_key("_header.html", "ru")) is not None  # cached from now on
    page = Client().get(reverse("gigs:catalog"), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert _search_value(page) == "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    # Both language forms (header, footer) come back to this very address.
    assert set(_next_values(page)) == {"/catalog/?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"}
    assert "?next=/catalog/%3Fq%3D%2522%253E%253Cscript" in page  # the log-in link, URL-encoded
    other = Client().get(reverse("gigs:catalog"), {"q": "логотип"}).content.decode()
    assert _search_value(other) == "логотип"
    assert "stand" not in _search_value(other).lower() and "chromeSTANDIN" not in other


def test_every_visitor_gets_an_own_token_that_the_language_switch_accepts(client):
    client.get("/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1  # header and footer forms share the page's token
    response = visitor.post(
        reverse("accounts:language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens.pop()}
    )
    assert response.status_code == 302
    assert '<html lang="en">' in visitor.get("/").content.decode()


def test_a_signed_in_person_gets_their_own_header(client):
    client.get("/")
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    page = signed_in.get("/").content.decode()
    assert person.display_name in page and reverse("account_logout") in page
    assert reverse("account_logout") not in Client().get("/").content.decode()


def test_a_signed_in_header_is_rendered_once_with_counters_counted_every_time(client):
    gig = GigFactory(seller=SellerFactory(), packages=[(1000, 3, 1)])
    buyer = UserFactory()
    client.force_login(buyer)
    client.get("/")
    second = client.get("/")
    assert "_header.html" not in [t.name for t in second.templates]  # kept from the first view
    assert 'text-bg-danger" title' not in second.content.decode()
    top_up(buyer, 100_000)
    flow.delivered(gig, buyer)  # now an order waits for the buyer
    third = client.get("/")
    assert "_header.html" not in [t.name for t in third.templates]
    assert 'text-bg-danger" title="Need your attention">1</span>' in third.content.decode()


def test_a_signed_in_header_follows_the_persons_changes_and_is_theirs_alone(client):
    anna, boris = UserFactory(), UserFactory()
    client.force_login(anna)
    assert anna.display_name in client.get("/").content.decode()
    anna.profile.display_name = "Анна Иванова"
    anna.profile.save()
    page = client.get("/").content.decode()
    assert "Анна Иванова" in page
    other = Client()
    other.force_login(boris)
    page = other.get("/").content.decode()
    assert boris.display_name in page and "Анна Иванова" not in page
