from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from legal.models import LegalAcceptance, LegalDocument

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-pass-for-signup"
SIGNUP = "/accounts/signup/"  # the Russian page
FORM = {"email": "new@example.com", "username": "new_person", "password1": PASSWORD, "password2": PASSWORD}


def test_the_signup_form_has_two_unticked_boxes_linking_the_documents(client):
    page = client.get(SIGNUP).content.decode()
    for name in ("accept_terms", "accept_consent"):
        assert f'type="checkbox" name="{name}"' in page
        box = page[page.index(f'name="{name}"') - 100 : page.index(f'name="{name}"') + 150]
        assert "checked" not in box
    for path in ("/terms/", "/privacy/", "/consent/"):
        assert f'href="{path}" target="_blank"' in page
    # The consent is a box of its own, apart from the terms (152-FZ, art. 9).
    terms_label = page[page.index('for="id_accept_terms"') : page.index('name="accept_consent"')]
    assert "/consent/" not in terms_label and "Я принимаю" in terms_label
    assert "Я даю" in page


def test_the_english_signup_form_links_the_english_pages(client):
    page = client.get("/en" + SIGNUP).content.decode()
    assert 'href="/en/terms/"' in page and 'href="/en/consent/"' in page
    assert "I accept the" in page


BOXES = {"accept_terms": "on", "accept_consent": "on"}


@pytest.mark.parametrize(
    ("ticked", "error"),
    [
        ({}, "Отметьте галочку, чтобы принять правила"),
        ({"accept_consent": "on"}, "Отметьте галочку, чтобы принять правила"),
        ({"accept_terms": "on"}, "Отметьте галочку, чтобы дать согласие на обработку персональных данных"),
    ],
)
def test_signing_up_without_a_box_is_a_clear_error_and_keeps_what_was_typed(client, ticked, error):
    response = client.post(SIGNUP, {**FORM, **ticked})
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert 'value="new@example.com"' in page and 'value="new_person"' in page
    assert not User.objects.filter(email="new@example.com").exists()
    assert not LegalAcceptance.objects.exists()


def test_signing_up_with_the_box_records_each_current_version_with_time_and_address(client):
    before = timezone.now()
    response = client.post(SIGNUP, {**FORM, **BOXES}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    rows = list(LegalAcceptance.objects.filter(user=user).select_related("document"))
    assert {row.document.kind for row in rows} == set(LegalDocument.Kind.values)
    current = {d.kind: d.pk for d in LegalDocument.objects.filter(version=1)}
    for row in rows:
        assert row.document_id == current[row.document.kind]
        assert before <= row.accepted_at <= timezone.now() + timedelta(seconds=1)
        assert row.ip_address == "203.0.113.7"
        assert row.source == LegalAcceptance.Source.SIGNUP


def test_the_account_and_its_acceptances_are_one_transaction(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the acceptance could not be written")

    monkeypatch.setattr("legal.forms.legal_accept_current", broken)
    with pytest.raises(RuntimeError):
        client.post(SIGNUP, {**FORM, **BOXES})
    assert not User.objects.filter(email="new@example.com").exists()


def test_the_social_signup_form_asks_too(rf):
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    from legal.forms import CONSENT_FIELD, TERMS_FIELD, SocialSignupForm

    sociallogin = SocialLogin(user=User(email="social@example.com"), account=SocialAccount(provider="google"))
    form = SocialSignupForm(data={"email": "social@example.com", "username": "social_one"}, sociallogin=sociallogin)
    assert not form.is_valid()
    assert CONSENT_FIELD in form.errors and TERMS_FIELD in form.errors
