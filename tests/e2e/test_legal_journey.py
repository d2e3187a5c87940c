"""Consent in a real browser: sign-up refuses to go on without the consent box (keeping what was typed),
then a new person signs up ticking it; staff publish new terms and a signed-in person is
sent to the accept page, accepts with one button and is back where they were going."""

import pytest

from accounts.models import User
from legal.models import LegalAcceptance, LegalDocument
from legal.services import legal_document_publish
from tests.e2e.conftest import last_email_link
from tests.e2e.test_journey import PASSWORD, fill_signup
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_asks_for_the_consent_and_records_it(people):
    nina = people("legal-signup")
    page = nina.page
    fill_signup(nina, "nina@example.com", "nina_writes")
    terms_box, consent_box = page.locator("input[name=accept_terms]"), page.locator("input[name=accept_consent]")
    assert not terms_box.is_checked() and not consent_box.is_checked()
    label = page.locator("label[for=id_accept_terms]")
    consent_label = page.locator("label[for=id_accept_consent]")
    assert "согласие на обработку моих персональных данных" in consent_label.inner_text()
    assert consent_label.locator("a[href='/consent/']").count() == 1
    nina.shot("signup-with-consent")

    # The terms ticked, the consent not: a clear error, nothing typed is lost, no account.
    terms_box.check()
    nina.submit("main form")
    error = page.locator("#id_accept_consent_error")
    assert "Отметьте галочку, чтобы дать согласие" in error.inner_text()
    assert page.locator("#id_accept_terms_error").count() == 0
    assert page.input_value("input[name=email]") == "nina@example.com"
    assert page.input_value("input[name=username]") == "nina_writes"
    assert not User.objects.filter(email="nina@example.com").exists()
    nina.shot("signup-without-consent")

    # The documents open in a new tab; the form stays as it is.
    with page.context.expect_page() as opened:
        label.locator("a[href='/terms/']").click()
    terms = opened.value
    terms.wait_for_load_state()
    assert "Правила сервиса" in terms.locator("h1").inner_text()
    terms.close()

    page.fill("input[name=password1]", PASSWORD)  # passwords are not sent back, as ever
    page.fill("input[name=password2]", PASSWORD)
    assert page.locator("input[name=accept_terms]").is_checked()  # what was ticked stays ticked
    page.locator("input[name=accept_consent]").check()
    nina.submit("main form")
    nina.go(last_email_link("nina@example.com", "/accounts/confirm-email/"))
    nina.submit("main form")
    assert "nina_writes" in page.locator("header").inner_text()
    user = User.objects.get(email="nina@example.com")
    kinds = set(LegalAcceptance.objects.filter(user=user).values_list("document__kind", flat=True))
    assert kinds == set(LegalDocument.Kind.values)

    nina.go("/terms/")
    assert "Редакция 1, действует с" in page.locator("main").inner_text()
    nina.shot("terms-page")
    nina.go("/en/consent/")
    assert "I freely, of my own will" in page.locator("main").inner_text()
    nina.shot("consent-page-en")


def test_a_new_version_is_accepted_once_and_the_person_goes_on(people):
    UserFactory(username="oleg_buys", email="oleg@example.com", password=PASSWORD, language="ru")
    UserFactory(username="vera_buys", email="vera@example.com", password=PASSWORD, language="ru")
    oleg, vera = people("legal-oleg"), people("legal-vera")
    for person, email in ((oleg, "oleg@example.com"), (vera, "vera@example.com")):
        person.go("/accounts/login/")
        person.page.fill("input[name=login]", email)
        person.page.fill("input[name=password]", PASSWORD)
        person.submit("main form")
        person.go("/orders/")
        assert person.page.url.endswith("/orders/")

    staff = UserFactory(username="lawyer", is_staff=True, is_superuser=True)
    current = LegalDocument.objects.get(kind="terms", version=1)
    draft = LegalDocument.objects.create(
        kind="terms",
        title_ru=current.title_ru,
        title_en=current.title_en,
        body_ru=current.body_ru + "\n\n## 12. Сроки ответа\n\nИсполнитель отвечает на сообщения в течение суток.",
        body_en=current.body_en,
        changes_ru="Добавлен раздел 12: исполнитель отвечает на сообщения в течение суток.",
        changes_en="Section 12 added: freelancers answer messages within a day.",
    )
    legal_document_publish(document_id=draft.pk, actor=staff)

    oleg.go("/orders/")
    page = oleg.page
    assert "/legal/accept/" in page.url
    main = page.locator("main").inner_text()
    assert "Мы обновили документы" in main and "Добавлен раздел 12" in main and "Редакция 2" in main
    oleg.shot("accept-new-terms")
    oleg.submit("main form[action='/legal/accept/']")
    assert page.url.endswith("/orders/")
    assert "Спасибо" in page.locator("body").inner_text()
    oleg.go("/settings/")
    assert page.url.endswith("/settings/")

    # Vera is asked too, on her own next page, and not before she opens one.
    assert not LegalAcceptance.objects.filter(user__username="vera_buys", document=draft).exists()
    vera.go("/settings/")
    assert "/legal/accept/" in vera.page.url
    vera.page.locator("main form button[type=submit]").click()
    vera.page.wait_for_url("**/settings/")
    assert LegalAcceptance.objects.filter(user__username="vera_buys", document=draft).exists()
