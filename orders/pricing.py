"""The price and delivery time of a choice of package, extras and quantity: one formula for
the checkout's live summary and for the order itself, from one read of the gig."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from moneyed import Money

from accounts.models import Profile
from escrow.fees import fee_for, split_amounts
from gigs.models import Gig, GigExtra, GigPackage
from marketplace.money import round_money

# What checkout and `order_place` read of a gig (the title is snapshotted, the slug links back):
# not its description or search vector.
ORDERABLE_GIG_FIELDS = ("id", "seller", "title", "slug", "status")


def orderable_gig(*, gig_id: int, with_extras: bool = True) -> Gig | None:
    """An active gig with what an order is made of: its packages and questions, and its
    extras unless the caller knows none were chosen (`gig.extras` is then read when asked)."""
    related = ("packages", "questions", "extras") if with_extras else ("packages", "questions")
    return (
        Gig.objects.only(*ORDERABLE_GIG_FIELDS)
        # In the same read: a seller on vacation takes no orders (order_place says so).
        .annotate(seller_away=Exists(Profile.objects.filter(user_id=OuterRef("seller_id"), on_vacation=True)))
        .prefetch_related(*related)
        .filter(pk=gig_id, status=Gig.Status.ACTIVE)
        .first()
    )


@dataclass
class Quote:
    package: GigPackage
    extras: list[GigExtra]
    quantity: int
    unit: Money
    total: Money
    days: int

    @property
    def delivery_by(self) -> datetime:
        return timezone.now() + timedelta(days=self.days)

    @property
    def urgent(self) -> bool:
        return any(e.is_urgent for e in self.extras)

    @property
    def days_without_urgent(self) -> int:
        """What the same choice would take without its urgent extras: the checkout shows both."""
        return delivery_days(
            package_days=self.package.delivery_days,
            extras=[e for e in self.extras if not e.is_urgent],
            quantity=self.quantity,
        )


def delivery_days(*, package_days: int, extras: list[GigExtra], quantity: int) -> int:
    """The order's delivery time, the one rule for checkout, the order and its revisions.

    One unit takes the package's days plus each extra's added days; an urgent extra sets that
    time to its own days instead (never longer than without it; the fastest if several are
    chosen). Each further unit adds half of one unit's time, rounded up: a second copy of the
    same work is not another full term (3 days x 3 units = 3 + 3 = 6 days)."""
    one = package_days + sum(e.extra_days for e in extras)
    urgent = [e.urgent_days for e in extras if e.urgent_days is not None]
    if urgent:
        one = min(one, *urgent)
    return one + ((quantity - 1) * one + 1) // 2


def quote(*, gig: Gig, package: GigPackage, extras: list[GigExtra], quantity: int) -> Quote:
    unit = package.price + sum((e.price for e in extras), Money(0, package.price.currency))
    return Quote(
        package=package,
        extras=extras,
        quantity=quantity,
        unit=unit,
        total=round_money(unit * quantity),
        days=delivery_days(package_days=package.delivery_days, extras=extras, quantity=quantity),
    )


@dataclass(frozen=True)
class Payout:
    """What the seller gets for an order: `gross` before the platform's fee, `net` after."""

    gross: Money
    fee: Money
    net: Money
    final: bool  # paid out (the order is completed); otherwise what acceptance will pay


def seller_payout(order) -> Payout | None:
    """The figures the wallet will show, for the order and sales pages: final for a completed
    order (the fee that was taken, on the seller's part of a split), expected for a running one
    (the fee rate snapshotted at placement), None for an unpaid or cancelled order."""
    status = order.Status
    if order.status == status.COMPLETED and order.fee is not None:
        if order.completion_kind == order.CompletionKind.SPLIT:
            gross = split_amounts(
                order.total, seller_percent=order.dispute.seller_percent, rate=order.fee_rate
            ).seller_part
        else:
            gross = order.total
        return Payout(gross=gross, fee=order.fee, net=gross - order.fee, final=True)
    if order.paid_at is None or order.status == status.CANCELLED:
        return None
    fee = fee_for(order.total, order.fee_rate)
    return Payout(gross=order.total, fee=fee, net=order.total - fee, final=False)
