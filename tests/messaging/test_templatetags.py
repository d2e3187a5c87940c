"""The writing area: its empty fields are cached per language; the forms around them (their
addresses, the other person's username, a CSRF token that works) are rendered for each page."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from messaging.models import Message
from tests.factories import UserFactory
from tests.images import upload
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db

COMPOSER_FIELDS = "messaging/_composer_fields.html"


@pytest.fixture(autouse=True)
def _empty_local_cache():
    caches["local"].clear()
    yield
    caches["local"].clear()


def form(html: str, action: str) -> str:
    match = re.search(rf'<form[^>]* action="{re.escape(action)}".*?</form>', html, re.S)
    assert match, action
    return match.group()


def token(form_html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', form_html).group(1)


def test_each_conversation_gets_its_own_addresses_and_a_working_token(buyer, seller):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    first = send(seller, body="Hello", recipient=buyer).conversation
    second = send(UserFactory(username="olga"), body="Hi there", recipient=buyer).conversation
    for conversation, other in ((first, "anna"), (second, "olga")):
        url = reverse("messaging:detail", args=[conversation.pk])
        response = strict.get(url)
        composer = form(response.content.decode(), url)
        assert f'name="to" value="{other}"' in composer
        assert strict.post(url, {"body": f"Thanks, {other}", "csrfmiddlewaretoken": token(composer)}).status_code == 302
        assert Message.objects.filter(conversation=conversation, body=f"Thanks, {other}").exists()
    assert COMPOSER_FIELDS not in [t.name for t in response.templates]  # the second page reused the fields
    assert "messaging/_composer.html" in [t.name for t in response.templates]  # not the form around them


def test_a_freelancer_sends_an_offer_from_a_direct_conversation_only(buyer, gig):
    seller = gig.seller
    direct = send(buyer, body="Hello", recipient=seller).conversation
    order_thread = send(buyer, body="About the order", order_id=flow.paid(gig, buyer).pk).conversation
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(seller)
    html = strict.get(reverse("messaging:detail", args=[direct.pk])).content.decode()
    action = reverse("messaging:offer_send", args=[direct.pk])
    data = {"title": "Logo", "description": "A logo.", "price": "4500", "delivery_days": "5", "revisions": "1",
            "milestones": "", "csrfmiddlewaretoken": token(form(html, action))}  # fmt: skip
    assert strict.post(action, data).status_code == 302
    assert direct.custom_offers.get().title == "Logo"
    assert "Send a custom offer" not in strict.get(reverse("messaging:detail", args=[order_thread.pk])).content.decode()
    client = Client()
    client.force_login(buyer)  # not a freelancer
    assert "Send a custom offer" not in client.get(reverse("messaging:detail", args=[direct.pk])).content.decode()


def test_a_form_sent_back_keeps_its_text_and_errors(client, conversation, buyer, settings):
    client.force_login(buyer)
    url = reverse("messaging:detail", args=[conversation.pk])
    client.get(url)  # the clean writing area, now cached
    program = upload(b"MZ" + b"\0" * 100, "setup.exe", "application/x-msdownload")
    response = client.post(url, {"body": "My carefully written brief", "files": [program]})
    html = response.content.decode()
    assert response.status_code == 400 and "My carefully written brief" in html and "programs and scripts" in html
    assert "My carefully written brief" not in client.get(url).content.decode()
    settings.MESSAGING_MAX_LENGTH = 10
    assert 'maxlength="10"' in client.get(url).content.decode()  # the clean area follows the setting
