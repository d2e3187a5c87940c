import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _link_from_last_email(pattern: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^/\s]+((?:/en)?" + pattern + r"[^\s]*)", body)
    assert match, body
    return match.group(1)


def test_signup_verify_login_logout(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "new_person",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "accept_consent": "on",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "new@example.com" in mail.outbox[0].to

    # Mandatory verification: logging in before confirming the email does not let the user in.
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    confirm_path = _link_from_last_email("/accounts/confirm-email/")
    page = client.get(confirm_path)
    assert page.status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("account_login"), {"login": "NEW@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    home = client.get("/")
    assert "new_person" in home.content.decode()


def test_signup_creates_profile_and_saves_language(client):
    client.cookies["lang"] = "en"
    client.post(
        reverse("account_signup"),
        {
            "email": "en@example.com",
            "username": "en_person",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "accept_consent": "on",
        },
    )
    from accounts.models import User

    user = User.objects.get(email="en@example.com")
    assert user.language == "en"
    assert user.profile.pk == user.pk


def test_signup_refuses_bad_username(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ok@example.com",
            "username": "bad name!",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "accept_consent": "on",
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_signup_with_taken_email_makes_no_account_and_does_not_reveal_it(client, django_user_model):
    UserFactory(email="taken@example.com")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "TAKEN@example.com",
            "username": "someone_else",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "accept_consent": "on",
        },
    )
    # The page looks like a normal sign-up (no account enumeration); the owner is told by email.
    assert response.status_code == 302
    assert django_user_model.objects.filter(email__iexact="taken@example.com").count() == 1
    assert not django_user_model.objects.filter(username="someone_else").exists()
    assert mail.outbox and mail.outbox[-1].to == ["taken@example.com"]


def test_password_reset(client):
    user = UserFactory(email="reset@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.com"})
    assert response.status_code == 302
    path = _link_from_last_email("/accounts/password/reset/key/")
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    new_password = "another-strong-pass-77"
    response = client.post(form_path, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_wrong_password_is_rate_limited(client):
    UserFactory(email="victim@example.com")
    messages = []
    for _ in range(7):
        response = client.post(reverse("account_login"), {"login": "victim@example.com", "password": "wrong-pass"})
        messages.append(response.status_code)
    # After five failures for the same email allauth refuses even to check the password.
    response = client.post(reverse("account_login"), {"login": "victim@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in text or "Слишком много" in text


def test_admin_login_goes_through_allauth(client):
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login") + "?next=")
    assert response.status_code == 200


def test_admin_refuses_non_staff(user_client):
    assert user_client.get("/admin/", follow=True).status_code == 403


@pytest.mark.parametrize(
    ("prefix", "greeting", "sentence"),
    [
        ("", "Здравствуйте!", "указал этот адрес при регистрации"),
        ("/en", "Hello!", "gave this address when signing up"),
    ],
)
def test_the_sign_up_email_names_this_site_in_the_readers_language(client, settings, prefix, greeting, sentence):
    """Not "Вас приветствует example.com!": the Sites row follows SITE_URL and MARKETPLACE_NAME
    (kept by every migrate), and the emails are in our own words, in the sign-up's language."""
    from django.contrib.sites.models import Site

    from marketplace.apps import site_from_settings

    settings.SITE_URL, settings.MARKETPLACE_NAME = "https://gigmarket.example", "Gigmarket"
    site_from_settings()
    assert Site.objects.get_current().domain == "gigmarket.example"
    client.post(
        prefix + reverse("account_signup").removeprefix("/en"),
        {
            "email": "new@example.com",
            "username": "new_person",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "accept_consent": "on",
        },
    )
    message = mail.outbox[-1]
    assert "example.com" not in message.body.replace("new@example.com", "").replace("gigmarket.example", "")
    assert greeting in message.body and sentence in message.body
    assert "Gigmarket" in message.body and "https://gigmarket.example" in message.body
    assert "/accounts/confirm-email/" in message.body
