import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from legal.models import LegalDocument
from legal.seed import seed_documents

pytestmark = pytest.mark.django_db


def _url(name, language="ru", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("kind", LegalDocument.Kind.values)
def test_each_document_has_a_page_in_both_languages(client, kind, language):
    document = LegalDocument.objects.get(kind=kind, version=1)
    response = client.get(_url(f"legal:{kind}", language))
    assert response.status_code == 200
    page = response.content.decode()
    title = document.title_en if language == "en" else document.title_ru
    assert f'<h1 class="h2 mb-2" id="document-title">{title}</h1>' in page
    assert ("Version 1, in force since" if language == "en" else "Редакция 1, действует с") in page
    assert response["Cache-Control"].startswith("public")  # the same for every visitor


def test_the_seeded_terms_state_the_fees_and_timers_the_code_uses(client):
    # The sanitizer writes the no-break spaces of "30 000 ₽" as &nbsp;.
    ru = client.get(_url("legal:terms", "ru")).content.decode().replace("&nbsp;", "\u00a0")
    en = client.get(_url("legal:terms", "en")).content.decode().replace("&nbsp;", "\u00a0")
    assert settings.ESCROW_FEE_TIERS == [("30000", "0.20"), ("300000", "0.12"), (None, "0.075")]
    for text in (
        "20\u00a0% с части оборота до 30\u00a0000\u00a0₽",
        "12\u00a0%",
        "7,5\u00a0% с части оборота свыше 300\u00a0000",
    ):
        assert text in ru
    for text in ("20% of the part of the turnover up to 30\u00a0000\u00a0RUB", "7.5% of the part above 300\u00a0000"):
        assert text in en
    assert "через 3 дня после сдачи" in ru and "3 days after the delivery" in en
    assert "в течение 20 минут после оплаты" in ru and "within 20 minutes of paying" in en
    assert "Если ответа нет 48 часов" in ru and "24 hours" in en
    assert "оплату вне площадки" in ru and "payment outside the marketplace" in en


def test_the_seed_follows_the_settings_it_runs_with(settings):
    settings.ORDER_AUTOCOMPLETE_DAYS = 5.0
    settings.ESCROW_FEE_TIERS = [("10000", "0.15"), (None, "0.05")]
    LegalDocument.objects.filter(kind="terms").delete()
    assert seed_documents(LegalDocument) == 1
    terms = LegalDocument.objects.get(kind="terms")
    assert "через 5 дней после сдачи" in terms.body_ru and "5 days after the delivery" in terms.body_en
    assert "15\u00a0% с части оборота до 10\u00a0000\u00a0₽" in terms.body_ru
    assert "5\u00a0% с части оборота свыше 10\u00a0000\u00a0₽" in terms.body_ru
    assert seed_documents(LegalDocument) == 0  # an existing kind is left alone


def test_the_consent_names_the_operator_purposes_data_and_withdrawal(client):
    page = client.get(_url("legal:consent", "ru")).content.decode()
    assert f"даю согласие {settings.MARKETPLACE_NAME}" in page
    for part in ("Цели обработки", "Перечень данных", "Срок и отзыв", settings.LEGAL_CONTACT_EMAIL, "IP-адрес"):
        assert part in page
    privacy = client.get(_url("legal:privacy", "en")).content.decode()
    assert "databases located in the Russian Federation" in privacy and "152-FZ" in privacy


def test_a_new_version_is_a_new_row_and_the_old_one_stays_at_its_address(client, publish_new_version):
    first = LegalDocument.objects.get(kind="terms", version=1)
    old_body = first.body_ru
    second = publish_new_version("terms", body_ru="## Новое\n\nСовсем новый текст правил.")
    assert second.version == 2 and second.pk != first.pk
    first.refresh_from_db()
    assert first.body_ru == old_body

    current = client.get(_url("legal:terms")).content.decode()
    assert "Совсем новый текст правил." in current and "<h2>Новое</h2>" in current
    assert f'href="{_url("legal:terms_version", version=1)}"' in current  # the list of versions
    old = client.get(_url("legal:terms_version", version=1)).content.decode()
    assert "Это прежняя редакция" in old and "Совсем новый текст" not in old
    assert f'href="{_url("legal:terms")}' in old or 'href="/terms/2/"' in old


@pytest.mark.parametrize("path", ["/terms/9/", "/en/privacy/0/", "/consent/99999999999999999999/", "/terms/x/"])
def test_a_version_that_does_not_exist_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_a_kind_without_any_version_is_a_404(client):
    LegalDocument.objects.filter(kind="privacy").delete()
    assert client.get("/privacy/").status_code == 404


def test_the_text_is_rendered_safely(client, publish_new_version):
    publish_new_version(
        "privacy", body_ru='Абзац <script>alert(1)</script> <a href="javascript:alert(2)">x</a>\n\n- пункт'
    )
    page = client.get("/privacy/").content.decode()
    assert "<script>alert(1)" not in page and "javascript:alert" not in page
    assert "<li>пункт</li>" in page


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_footer_links_the_three_documents(client, language):
    page = client.get(_url("home", language)).content.decode()
    for kind in LegalDocument.Kind.values:
        assert f'href="{_url(f"legal:{kind}", language)}"' in page
