import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_default_language_is_russian_whatever_the_browser_says(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()


def test_anonymous_switch_sets_cookie_and_changes_page(client):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "/u/x/"})
    assert response.status_code == 302
    assert response["Location"] == "/u/x/"
    assert client.cookies["lang"].value == "en"
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert "How it works" in page.content.decode()


def test_switch_sticks_for_logged_in_user_on_another_device(client):
    from tests.factories import UserFactory

    user = UserFactory(language="ru")
    client.force_login(user)
    assert client.get("/")["Content-Language"] == "ru"
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "en"

    from django.test import Client

    other_device = Client()  # no language cookie
    other_device.force_login(user)
    assert other_device.get("/")["Content-Language"] == "en"

    client.post(reverse("accounts:language"), {"language": "ru", "next": "/"})
    assert other_device.get("/")["Content-Language"] == "ru"
    assert "Как это работает" in other_device.get("/").content.decode()


def test_switch_refuses_unknown_language_and_foreign_redirect(client):
    assert client.post(reverse("accounts:language"), {"language": "xx"}).status_code == 400
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
