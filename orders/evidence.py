"""The files both parties gave about an order, for staff settling its dispute.

Orders know their own files (requirement answers, deliveries, dispute evidence). Apps built
on top of orders (messaging: the attachments in the order's thread) add theirs by
registering a source from their AppConfig.ready(): orders must not import them (DESIGN.md).
Every link is an access-checked download (the files are in private storage), never a
storage URL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Order


@dataclass(frozen=True)
class EvidenceFile:
    uploaded_by_id: int | None
    name: str
    size: int
    url: str
    source: str  # where the file was given: "Delivery #2", "Message", ...
    created_at: datetime


@dataclass(frozen=True)
class PartyEvidence:
    label: str
    user: object
    files: list[EvidenceFile]


_sources: list[Callable[[Order], list[EvidenceFile]]] = []


def order_evidence_source_register(source: Callable[[Order], list[EvidenceFile]]) -> None:
    if source not in _sources:
        _sources.append(source)


def _order_files(order: Order) -> list[EvidenceFile]:
    answered = set(order.answers.exclude(file=None).values_list("file_id", flat=True))
    found = []
    for item in order.files.select_related("delivery").order_by("created_at", "pk"):
        if item.delivery_id:
            source = _("Delivery #%(n)s") % {"n": item.delivery.number}
        elif item.pk in answered:
            source = _("Requirements")
        else:
            source = _("Dispute evidence")
        url = reverse("admin:orders_order_file", args=[order.pk, item.pk])
        found.append(EvidenceFile(item.uploaded_by_id, item.name, item.size, url, source, item.created_at))
    return found


def order_evidence_by_party(*, order: Order) -> list[PartyEvidence]:
    """The buyer's files, then the seller's, oldest first; files by anyone else are left out."""
    files = [*_order_files(order)]
    for source in _sources:
        files.extend(source(order))
    files.sort(key=lambda f: f.created_at)
    return [
        PartyEvidence(_("Buyer"), order.buyer, [f for f in files if f.uploaded_by_id == order.buyer_id]),
        PartyEvidence(_("Seller"), order.seller, [f for f in files if f.uploaded_by_id == order.seller_id]),
    ]
