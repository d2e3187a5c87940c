import pytest

from legal.models import LegalAcceptance, LegalDocument
from legal.selectors import legal_bindings
from legal.services import LegalError, legal_accept, legal_document_publish, legal_document_save_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_migration_publishes_version_one_of_each_document():
    documents = LegalDocument.objects.order_by("kind")
    assert [(d.kind, d.version, d.requires_acceptance) for d in documents] == [
        ("consent", 1, True),
        ("privacy", 1, True),
        ("terms", 1, True),
    ]
    assert all(d.published_at and d.body_ru and d.body_en for d in documents)


def test_versions_are_numbered_per_kind_on_publication(publish_new_version):
    assert publish_new_version("terms").version == 2
    assert publish_new_version("terms").version == 3
    assert publish_new_version("consent").version == 2


def test_a_published_version_is_never_changed(admin_user):
    document = LegalDocument.objects.get(kind="terms", version=1)
    document.body_ru = "Подменённый текст"
    with pytest.raises(LegalError):
        legal_document_save_draft(document=document, actor=admin_user)
    with pytest.raises(LegalError):
        legal_document_publish(document_id=document.pk, actor=admin_user)
    document.refresh_from_db()
    assert document.body_ru != "Подменённый текст"


def test_a_draft_needs_its_titles_and_russian_text(admin_user):
    draft = legal_document_save_draft(
        document=LegalDocument(kind="privacy", title_ru="", title_en="Policy", body_ru="x", body_en="x"),
        actor=admin_user,
    )
    assert draft.created_by == admin_user
    with pytest.raises(LegalError):
        legal_document_publish(document_id=draft.pk, actor=admin_user)


def test_accepting_twice_keeps_the_first_record():
    person = UserFactory(legal_accepted=False)
    document = LegalDocument.objects.get(kind="terms", version=1)
    legal_accept(user=person, documents=[document], ip="192.0.2.1")
    first = LegalAcceptance.objects.get(user=person)
    legal_accept(user=person, documents=[document], ip="192.0.2.2")
    assert list(LegalAcceptance.objects.filter(user=person)) == [first]
    assert LegalAcceptance.objects.get(user=person).ip_address == "192.0.2.1"


def test_the_binding_versions_follow_publication_through_the_cache(publish_new_version):
    before = {b.kind: b.version for b in legal_bindings()}
    assert before == {"terms": 1, "privacy": 1, "consent": 1}
    publish_new_version("terms")
    publish_new_version("privacy", requires_acceptance=False)
    after = {b.kind: (b.version, b.current_id) for b in legal_bindings()}
    assert after["terms"][0] == 2
    # A version that does not ask for acceptance is shown as current, yet version 1 still binds.
    assert after["privacy"] == (1, LegalDocument.objects.get(kind="privacy", version=2).pk)
