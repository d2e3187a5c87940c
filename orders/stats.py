"""A seller's order stats, defined once (README, "Seller stats").

The profile's figures, the level table, the nightly recomputation, the search score and the
request comparison all read what these definitions count, so no two pages can disagree:

- **done**: completed with the seller paid in full: accepted by the buyer, accepted
  automatically, or released to the seller by staff after a dispute;
- **not done**: paid, then not delivered as agreed: cancelled by the seller, by the buyer
  because the seller was late, by mutual agreement, refunded by staff after a dispute, or
  split by staff after a dispute. An unpaid order and the buyer's free change of mind in
  the first minutes after paying count for nothing;
- **completion rate** = done / (done + not done); **on time** = done and delivered before the
  deadline / done; **purchases** (the buyer's side) = completed orders of any kind.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from .models import Order

S, C, K = Order.Status, Order.CancelKind, Order.CompletionKind

DONE = Q(status=S.COMPLETED) & ~Q(completion_kind=K.SPLIT)
NOT_DONE = (Q(status=S.CANCELLED, paid_at__isnull=False) & ~Q(cancel_kind__in=[C.UNPAID, C.BUYER_FREE])) | Q(
    status=S.COMPLETED, completion_kind=K.SPLIT
)
LATE = DONE & Q(was_late=True)
PURCHASE = Q(status=S.COMPLETED)


def rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if whole else None


@dataclass(frozen=True)
class SalesCounts:
    done: int
    not_done: int
    late: int

    @property
    def completion_rate(self) -> Decimal | None:
        return rate(self.done, self.done + self.not_done)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.done - self.late, self.done)


def seller_sales(*, seller_id: int) -> SalesCounts:
    counts = Order.objects.filter(seller_id=seller_id).aggregate(
        done=Count("id", filter=DONE), not_done=Count("id", filter=NOT_DONE), late=Count("id", filter=LATE)
    )
    return SalesCounts(done=counts["done"], not_done=counts["not_done"], late=counts["late"])


def purchases_count(*, buyer_id: int) -> int:
    return Order.objects.filter(PURCHASE, buyer_id=buyer_id).count()
