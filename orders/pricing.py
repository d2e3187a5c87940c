"""The price and delivery time of a choice of package, extras and quantity: one formula for
the checkout's live summary and for the order itself, from one read of the gig."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from moneyed import Money

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
