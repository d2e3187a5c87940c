import pytest
from django.utils import timezone

from legal.models import LegalDocument
from legal.services import legal_document_publish


@pytest.fixture
def publish_new_version(admin_user):
    """Publish a new version of `kind` as staff would: a draft, then the publish service."""

    def publish(kind="terms", *, requires_acceptance=True, body_ru="Новый текст.", changes_ru="", changes_en=""):
        draft = LegalDocument.objects.create(
            kind=kind,
            title_ru="Новые правила",
            title_en="New rules",
            body_ru=body_ru,
            body_en="New text.",
            changes_ru=changes_ru,
            changes_en=changes_en,
            requires_acceptance=requires_acceptance,
        )
        return legal_document_publish(document_id=draft.pk, actor=admin_user)

    return publish


@pytest.fixture
def now():
    return timezone.now()
