"""The accept page: a signed-in person who has not accepted a binding version is sent there
from the pages they open, and back afterwards. Two people: Alice accepted, Bob has not."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legal.models import LegalAcceptance, LegalDocument
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCEPT = reverse("legal:accept")


@pytest.fixture
def alice():
    return UserFactory(username="alice")


@pytest.fixture
def bob():
    return UserFactory(username="bob", legal_accepted=False)


def _signed_in(person):
    browser = Client()
    browser.force_login(person)
    return browser


@pytest.fixture
def browsers(alice, bob):
    return _signed_in(alice), _signed_in(bob)


def test_who_has_not_accepted_is_sent_to_the_accept_page_and_who_has_is_not(browsers):
    alice, bob = browsers
    assert alice.get("/orders/").status_code == 200
    response = bob.get("/orders/?page=2")
    assert response.status_code == 302
    assert response["Location"] == ACCEPT + "?next=%2Forders%2F%3Fpage%3D2"


def test_accepting_records_the_versions_and_returns_to_the_page(browsers, bob):
    _, browser = browsers
    page = browser.get(ACCEPT + "?next=/orders/").content.decode()
    for document in LegalDocument.objects.all():
        assert document.title_ru in page
    response = browser.post(ACCEPT, {"documents": _ids(page), "next": "/orders/"}, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302 and response["Location"] == "/orders/"
    rows = LegalAcceptance.objects.filter(user=bob)
    assert rows.count() == 3
    assert {row.ip_address for row in rows} == {"198.51.100.4"}
    assert {row.source for row in rows} == {LegalAcceptance.Source.PROMPT}
    assert browser.get("/orders/").status_code == 200


def _ids(page: str) -> str:
    marker = 'name="documents" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_new_required_version_asks_everyone_again_with_what_changed(browsers, alice, publish_new_version):
    alice_browser, _ = browsers
    assert alice_browser.get("/orders/").status_code == 200
    new = publish_new_version("terms", body_ru="Правила, редакция два.", changes_ru="Изменили раздел о спорах.")
    response = alice_browser.get("/orders/")
    assert response.status_code == 302 and response["Location"].startswith(ACCEPT)
    page = alice_browser.get(response["Location"]).content.decode()
    assert "Изменили раздел о спорах." in page and "Правила, редакция два." in page
    assert "Редакция 2, действует с" in page
    assert "Политика конфиденциальности" not in page.split("<main", 1)[-1].split("</main>")[0]  # only the new one
    alice_browser.post(ACCEPT, {"documents": str(new.pk), "next": "/orders/"})
    assert LegalAcceptance.objects.filter(user=alice, document=new).exists()
    assert alice_browser.get("/orders/").status_code == 200


def test_a_version_that_does_not_ask_for_acceptance_lets_everyone_on(browsers, publish_new_version):
    alice, _ = browsers
    publish_new_version("privacy", requires_acceptance=False)
    assert alice.get("/orders/").status_code == 200


def test_a_form_being_sent_goes_through_and_only_the_next_page_asks(browsers, bob):
    _, browser = browsers
    response = browser.post("/settings/", {"display_name": "Bob B.", "time_zone": "Europe/Moscow"})
    assert response.status_code == 302 and response["Location"] == "/settings/"
    bob.refresh_from_db()
    assert bob.profile.display_name == "Bob B."
    assert browser.get("/settings/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/terms/", "/en/privacy/", "/consent/1/", "/accounts/logout/", "/accounts/email/", "/healthz"]
)
def test_the_documents_and_leaving_are_never_stopped(browsers, path):
    _, bob = browsers
    assert bob.get(path).status_code == 200


def test_htmx_requests_are_not_stopped(browsers):
    _, bob = browsers
    assert bob.get("/messages/unread/", HTTP_HX_REQUEST="true").status_code == 200


def test_staff_reach_the_admin_to_fix_a_version():
    staff = UserFactory(is_staff=True, is_superuser=True, legal_accepted=False)
    browser = _signed_in(staff)
    assert browser.get("/admin/legal/legaldocument/").status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_the_return_address_is_only_ever_a_path_of_this_site(browsers, target):
    _, browser = browsers
    page = browser.get(ACCEPT).content.decode()
    response = browser.post(ACCEPT, {"documents": _ids(page), "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_version_published_while_reading_is_not_accepted_unread(browsers, bob, publish_new_version):
    _, browser = browsers
    shown = _ids(browser.get(ACCEPT).content.decode())
    publish_new_version("terms")
    response = browser.post(ACCEPT, {"documents": shown, "next": "/orders/"})
    assert response.status_code == 200
    assert "Новые правила" in response.content.decode()
    assert not LegalAcceptance.objects.filter(user=bob).exists()


def test_the_accept_page_with_nothing_to_accept_goes_back(browsers):
    alice, _ = browsers
    response = alice.get(ACCEPT + "?next=/orders/sales/")
    assert response.status_code == 302 and response["Location"] == "/orders/sales/"


def test_a_visitor_is_asked_to_sign_in_first(client):
    response = client.get(ACCEPT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(ACCEPT, {"documents": "1,2,3"})
    assert response.status_code == 302 and not LegalAcceptance.objects.exists()


def test_once_up_to_date_the_check_asks_the_database_nothing(browsers):
    alice, _ = browsers
    alice.get("/orders/")  # the first page of the session reads what she accepted
    with CaptureQueriesContext(connection) as queries:
        assert alice.get("/orders/").status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "legal_" in q["sql"]]


def test_another_person_in_the_same_session_is_checked_afresh(client, alice, bob):
    client.force_login(alice)
    assert client.get("/orders/").status_code == 200
    client.force_login(bob)
    assert client.get("/orders/").status_code == 302
