"""Two staff members publish two drafts of the same document at the same moment (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.utils import timezone

from legal import services
from legal.models import LegalDocument
from legal.services import LegalError, legal_document_publish
from tests.concurrency.threads import run_at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_postgres():
    if not settings.USING_POSTGRES:
        pytest.skip("real parallel transactions need PostgreSQL")


def test_two_drafts_published_at_once_never_share_a_number(monkeypatch):
    staff = UserFactory(is_staff=True)
    drafts = [
        LegalDocument.objects.create(
            kind="terms", title_ru=f"Правила {i}", title_en="Rules", body_ru="Текст", body_en="x"
        )
        for i in range(2)
    ]
    both_have_counted = threading.Barrier(2)

    class SlowClock:
        # Called right after each has read the highest version: both read 1, both want 2.
        @staticmethod
        def now():
            both_have_counted.wait(timeout=30)
            return timezone.now()

    monkeypatch.setattr(services, "timezone", SlowClock)
    outcomes = run_at_once(2, lambda i: legal_document_publish(document_id=drafts[i].pk, actor=staff))

    assert sum(o.ok for o in outcomes) == 1
    assert [type(o.error) for o in outcomes if not o.ok] == [LegalError]  # "try again", not a 500
    versions = sorted(LegalDocument.objects.filter(kind="terms").values_list("version", flat=True), key=str)
    assert versions == [1, 2, None]  # the loser is still a draft, to publish again
