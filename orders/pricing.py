"""The price and delivery time of a choice of package, extras and quantity: one formula for
the checkout's live summary and for the order itself, from one read of the gig."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from moneyed import Money

from accounts.models import Profile
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


def quote(*, gig: Gig, package: GigPackage, extras: list[GigExtra], quantity: int) -> Quote:
    unit = package.price + sum((e.price for e in extras), Money(0, package.price.currency))
    return Quote(
        package=package,
        extras=extras,
        quantity=quantity,
        unit=unit,
        total=round_money(unit * quantity),
        days=package.delivery_days + sum(e.extra_days for e in extras),
    )
