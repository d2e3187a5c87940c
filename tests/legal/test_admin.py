import pytest
from django.urls import reverse

from legal.models import LegalAcceptance, LegalDocument
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def test_a_new_version_starts_from_the_current_text_and_is_published_by_the_action(staff_client):
    current = LegalDocument.objects.get(kind="terms", version=1)
    add = reverse("admin:legal_legaldocument_add")
    page = staff_client.get(add + "?kind=terms").content.decode()
    assert current.title_ru in page and "Безопасная сделка" in page

    data = {
        "kind": "terms",
        "requires_acceptance": "on",
        "title_ru": current.title_ru,
        "title_en": current.title_en,
        "body_ru": current.body_ru + "\n\n## 12. Новый раздел\n\nТекст.",
        "body_en": current.body_en,
        "changes_ru": "Добавлен раздел 12.",
        "changes_en": "Section 12 added.",
    }
    assert staff_client.post(add, data).status_code == 302
    draft = LegalDocument.objects.get(kind="terms", version__isnull=True)
    assert draft.published_at is None
    assert staff_client.get("/terms/").content.decode().count("Новый раздел") == 0  # a draft is not shown

    changelist = reverse("admin:legal_legaldocument_changelist")
    response = staff_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.published_at is not None
    assert "Новый раздел" in staff_client.get("/terms/").content.decode()
    current.refresh_from_db()
    assert "Новый раздел" not in current.body_ru  # the old text is untouched


def test_a_published_version_cannot_be_edited_or_deleted(staff_client):
    document = LegalDocument.objects.get(kind="consent", version=1)
    change = reverse("admin:legal_legaldocument_change", args=[document.pk])
    page = staff_client.get(change).content.decode()
    assert 'name="body_ru"' not in page  # read-only
    staff_client.post(change, {"kind": "consent", "title_ru": "x", "title_en": "x", "body_ru": "x", "body_en": "x"})
    document.refresh_from_db()
    assert document.title_ru != "x"
    delete = reverse("admin:legal_legaldocument_delete", args=[document.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert LegalDocument.objects.filter(pk=document.pk).exists()


def test_publishing_an_already_published_version_changes_nothing(staff_client):
    document = LegalDocument.objects.get(kind="privacy", version=1)
    changelist = reverse("admin:legal_legaldocument_changelist")
    staff_client.post(changelist, {"action": "publish", "_selected_action": [document.pk]})
    assert LegalDocument.objects.filter(kind="privacy").count() == 1
    document.refresh_from_db()
    assert document.version == 1


def test_the_acceptance_records_are_listed_for_staff_and_read_only(staff_client):
    person = UserFactory(username="recorded")
    url = reverse("admin:legal_legalacceptance_changelist")
    page = staff_client.get(url + "?q=recorded").content.decode()
    assert "recorded" in page
    row = LegalAcceptance.objects.filter(user=person).first()
    change = reverse("admin:legal_legalacceptance_change", args=[row.pk])
    assert 'name="ip_address"' not in staff_client.get(change).content.decode()


def test_people_who_are_not_staff_do_not_reach_it(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:legal_legaldocument_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]
