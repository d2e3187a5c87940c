"""The price and delivery time of a choice of package, extras and quantity: one formula for
the checkout's live summary and for the order itself."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from moneyed import Money

from gigs.models import Gig, GigExtra, GigPackage
from marketplace.money import round_money


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
