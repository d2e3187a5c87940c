"""Reads of legal documents, and the cheap check of whether a person has accepted the
versions that bind them.

The check runs on every signed-in page (legal/middleware.py), so it costs two reads of the
shared cache and none of the database: the binding version of each kind is kept in the
shared cache under the "legal" generation (moved by `legal_document_publish`), and what the
person has accepted is remembered in their session after one query."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404

from marketplace import fragments

from .models import LegalAcceptance, LegalDocument

# The group whose generation moves when a version is published.
GENERATION = "legal"
# Session key: (user id, {kind: the highest version number accepted}).
SESSION_KEY = "legal_accepted"
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Binding:
    """For one kind: the latest version that asked for acceptance, and the current one."""

    kind: str
    version: int  # accepting this version or any later one satisfies the kind
    current_id: int


def legal_document_current(*, kind: str) -> LegalDocument:
    document = LegalDocument.objects.filter(kind=kind, published_at__isnull=False).order_by("-version").first()
    if document is None:
        raise Http404("No published version")
    return document


def legal_documents_current() -> list[LegalDocument]:
    """The current version of each kind that has one, in the order of `Kind`."""
    found = {}
    for document in LegalDocument.objects.filter(published_at__isnull=False).order_by("kind", "-version"):
        found.setdefault(document.kind, document)
    return [found[kind] for kind in LegalDocument.Kind.values if kind in found]


def legal_document_version(*, kind: str, version: int) -> LegalDocument:
    try:
        return LegalDocument.objects.get(kind=kind, version=version, published_at__isnull=False)
    except LegalDocument.DoesNotExist:
        raise Http404("No such version") from None


def legal_document_history(*, kind: str) -> list[LegalDocument]:
    return list(
        LegalDocument.objects.filter(kind=kind, published_at__isnull=False)
        .order_by("-version")
        .only("id", "kind", "version", "published_at", "title_ru", "title_en")
    )


def _bindings_from_database() -> tuple[Binding, ...]:
    rows = LegalDocument.objects.filter(published_at__isnull=False).values_list(
        "id", "kind", "version", "requires_acceptance"
    )
    current: dict[str, tuple[int, int]] = {}  # kind: (version, id)
    required: dict[str, int] = {}  # kind: the latest version that asked for acceptance
    for pk, kind, version, requires_acceptance in rows:
        if version > current.get(kind, (0, 0))[0]:
            current[kind] = (version, pk)
        if requires_acceptance and version > required.get(kind, 0):
            required[kind] = version
    return tuple(
        Binding(kind=kind, version=required[kind], current_id=current[kind][1])
        for kind in LegalDocument.Kind.values
        if kind in required
    )


def legal_bindings(request=None) -> tuple[Binding, ...]:
    """What everyone must have accepted, from the shared cache (the database on a miss).

    The key holds the generation, so a version published through any process is seen by the
    next request of every other one; a request that read the old rows before the publication
    committed writes under the old generation, which nobody reads any more."""
    key = f"legal:bindings:{fragments.generation(GENERATION, request=request)}"
    rows = cache.get(key)
    if rows is None:
        bindings = _bindings_from_database()
        cache.set(key, [(b.kind, b.version, b.current_id) for b in bindings], CACHE_SECONDS)
        return bindings
    return tuple(Binding(*row) for row in rows)


def legal_accepted_versions(*, user) -> dict[str, int]:
    """The highest version of each kind this person has accepted, in one query."""
    rows = (
        LegalAcceptance.objects.filter(user=user, document__published_at__isnull=False)
        .values("document__kind")
        .annotate(version=Max("document__version"))
    )
    return {row["document__kind"]: row["version"] for row in rows}


def _unmet(bindings, accepted: dict[str, int]) -> list[Binding]:
    return [binding for binding in bindings if accepted.get(binding.kind, 0) < binding.version]


def legal_pending(request) -> list[Binding]:
    """The kinds the signed-in person still has to accept; [] when none.

    The session remembers what they accepted, so once they are up to date this is two
    cache reads; the database is asked only when the remembered versions fall short (a new
    version was published, or this is the first page of the session)."""
    bindings = legal_bindings(request)
    if not bindings:
        return []
    user = request.user
    remembered = request.session.get(SESSION_KEY)
    if remembered and remembered[0] == user.pk and not _unmet(bindings, remembered[1]):
        return []
    accepted = legal_accepted_versions(user=user)
    request.session[SESSION_KEY] = (user.pk, accepted)
    return _unmet(bindings, accepted)


def legal_documents_to_accept(request) -> list[LegalDocument]:
    """The current versions of the kinds the person has to accept, for the accept page."""
    pending = legal_pending(request)
    if not pending:
        return []
    documents = LegalDocument.objects.in_bulk([binding.current_id for binding in pending])
    return [documents[binding.current_id] for binding in pending if binding.current_id in documents]


def request_ip(request) -> str | None:
    """The address a person acts from, as allauth's rate limits see it (its proxy settings)."""
    from allauth.account.adapter import get_adapter

    try:
        value = get_adapter(request).get_client_ip(request)
    except Exception:  # allauth refuses when it cannot tell; the acceptance is kept without it
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
