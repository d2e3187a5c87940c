"""Every write of legal documents and acceptances."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import fragments
from marketplace.errors import DomainError

from .models import LegalAcceptance, LegalDocument
from .selectors import GENERATION, legal_documents_current


class LegalError(DomainError):
    pass


@transaction.atomic
def legal_document_save_draft(*, document: LegalDocument, actor) -> LegalDocument:
    """Create or change a draft. A published version is never changed: its text is what
    people accepted; a correction is a new version."""
    if document.pk is not None:
        stored = LegalDocument.objects.select_for_update(no_key=True).get(pk=document.pk)
        if stored.is_published:
            raise LegalError(_("A published version cannot be changed: write a new version instead."))
    elif document.created_by_id is None and actor is not None:
        document.created_by = actor
    if document.is_published:
        raise LegalError(_("A published version cannot be changed: write a new version instead."))
    document.save()
    return document


@transaction.atomic
def legal_document_publish(*, document_id: int, actor) -> LegalDocument:
    """Number the draft as the next version of its kind and publish it now. When it requires
    acceptance, everyone signed in is asked to accept it on their next page."""
    document = LegalDocument.objects.select_for_update(no_key=True).get(pk=document_id)
    if document.is_published:
        raise LegalError(_("This version is already published."))
    if not (document.title_ru.strip() and document.title_en.strip() and document.body_ru.strip()):
        raise LegalError(_("Write the title in both languages and the Russian text before publishing."))
    latest = LegalDocument.objects.filter(kind=document.kind).aggregate(v=Max("version"))["v"] or 0
    document.version = latest + 1
    document.published_at = timezone.now()
    document.published_by = actor
    try:
        # Two drafts of one kind published at once would take the same number: the unique
        # constraint lets one through, the other is told to try again.
        with transaction.atomic():
            document.save(update_fields=["version", "published_at", "published_by"])
    except IntegrityError:
        raise LegalError(_("Another version was published at the same moment. Please try again.")) from None
    # Every process's next request reads the new binding versions (legal/selectors.py).
    fragments.generation_bump(GENERATION)
    return document


@transaction.atomic
def legal_accept(
    *, user, documents: Iterable[LegalDocument], ip: str | None, source: str = LegalAcceptance.Source.PROMPT
) -> list[LegalAcceptance]:
    """Record that `user` accepted these published versions now, from `ip`. Accepting a
    version twice keeps the first record (its time is when they first agreed)."""
    now = timezone.now()
    rows = [
        LegalAcceptance(user=user, document=document, accepted_at=now, ip_address=ip, source=source)
        for document in documents
        if document.is_published
    ]
    if not rows:
        return []
    # ignore_conflicts: a double click, or two tabs, accept the same version once.
    LegalAcceptance.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def legal_accept_current(*, user, ip: str | None, source: str) -> list[LegalAcceptance]:
    """Accept the current version of every document (sign-up: the form links all three)."""
    return legal_accept(user=user, documents=legal_documents_current(), ip=ip, source=source)
