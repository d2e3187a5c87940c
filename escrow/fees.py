"""The platform fee: marginal tiers over the turnover between one buyer and one seller.

With the default tiers (20% up to 30 000, 12% up to 300 000, 7.5% above), an order of
10 000 after 25 000 of earlier turnover pays 20% on 5 000 and 12% on 5 000: a blended
rate of 16%. The order snapshots that rate when it is placed (`RATE_DECIMAL_PLACES` keeps
the fee from the stored rate within a kopeck of the exact tiered fee for any real order),
and the fee is always computed from the stored rate with `fee_for`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from moneyed import Money

from marketplace.money import round_money

from . import conf
from .errors import InvalidAmountError

# Enough places that amount * rate is within half a kopeck of the exact tiered fee
# for orders up to 10 000 000 (the rate is an exact ratio rounded to this many places).
RATE_DECIMAL_PLACES = 10
RATE_MAX_DIGITS = RATE_DECIMAL_PLACES + 1  # a rate is at most 1
_RATE_QUANTUM = Decimal(1).scaleb(-RATE_DECIMAL_PLACES)


@dataclass(frozen=True)
class FeeTier:
    up_to: Decimal | None  # the turnover where this tier ends; None: it never ends
    rate: Decimal


@dataclass(frozen=True)
class FeePolicy:
    tiers: tuple[FeeTier, ...]

    def __post_init__(self):
        if not self.tiers or self.tiers[-1].up_to is not None:
            raise ValueError("The last fee tier must have no upper bound.")
        bounds = [tier.up_to for tier in self.tiers[:-1]]
        if any(b is None for b in bounds) or bounds != sorted(bounds) or any(b <= 0 for b in bounds):
            raise ValueError("Fee tier bounds must be positive and ascending.")
        if any(not (0 <= tier.rate <= 1) for tier in self.tiers):
            raise ValueError("Fee rates must be between 0 and 1.")

    @classmethod
    def from_settings(cls) -> "FeePolicy":
        return cls(
            tiers=tuple(
                FeeTier(up_to=None if up_to is None else Decimal(str(up_to)), rate=Decimal(str(rate)))
                for up_to, rate in conf.fee_tiers()
            )
        )

    def rate_for(self, *, amount: Money | Decimal, turnover: Money | Decimal = Decimal(0)) -> Decimal:
        """The blended rate for an order of `amount` when the buyer and seller already did
        `turnover` together: each part of [turnover, turnover + amount] pays its tier's rate."""
        amount = _decimal(amount)
        turnover = _decimal(turnover)
        if amount < 0 or turnover < 0:
            raise InvalidAmountError(_("Amounts cannot be negative."))
        if amount == 0:
            return self._tier_at(turnover).rate.quantize(_RATE_QUANTUM)
        start, end = turnover, turnover + amount
        exact_fee = Decimal(0)
        lower = Decimal(0)
        for tier in self.tiers:
            upper = end if tier.up_to is None else tier.up_to
            overlap = min(upper, end) - max(lower, start)
            if overlap > 0:
                exact_fee += overlap * tier.rate
            if tier.up_to is None or tier.up_to >= end:
                break
            lower = tier.up_to
        # A rate, not an amount: amounts are rounded only in marketplace.money.
        return (exact_fee / amount).quantize(_RATE_QUANTUM, rounding=ROUND_HALF_UP)

    def _tier_at(self, turnover: Decimal) -> FeeTier:
        for tier in self.tiers:
            if tier.up_to is None or turnover < tier.up_to:
                return tier
        return self.tiers[-1]


def fee_for(amount: Money, rate: Decimal) -> Money:
    """The fee on `amount` at `rate`, rounded half up to the currency's minor unit."""
    if not isinstance(amount, Money):
        raise InvalidAmountError(_("An amount must be given as money."))
    try:
        valid = isinstance(rate, Decimal) and rate.is_finite() and 0 <= rate <= 1
    except InvalidOperation:
        valid = False
    if not valid:
        raise InvalidAmountError(_("A fee rate must be between 0 and 1."))
    return round_money(amount * rate)


def fee_split(amount: Money, rate: Decimal) -> tuple[Money, Money]:
    """(fee, payout): the payout is what is left, so the two always add up to `amount`."""
    fee = fee_for(amount, rate)
    return fee, amount - fee


def _decimal(value: Money | Decimal | int | str) -> Decimal:
    try:
        amount = value.amount if isinstance(value, Money) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidAmountError(_("Enter a valid amount.")) from None
    if not amount.is_finite():
        raise InvalidAmountError(_("Enter a valid amount."))
    return amount


@dataclass(frozen=True)
class SplitAmounts:
    """Where an order's escrow goes when staff split it: `buyer_refund + seller_part == total`,
    and the fee is taken on the seller's part only (`seller_payout = seller_part - fee`)."""

    buyer_refund: Money
    seller_part: Money
    fee: Money
    seller_payout: Money


def split_amounts(total: Money, *, seller_percent: int, rate: Decimal) -> SplitAmounts:
    """The one computation of a split: the dispute page's preview and `dispute_resolve`
    (which moves the money with `escrow_split`) both call it, so they cannot disagree."""
    if not isinstance(seller_percent, int) or not 0 <= seller_percent <= 100:
        raise InvalidAmountError(_("The seller's share must be from 0 to 100 percent."))
    seller_part = round_money(total * Decimal(seller_percent) / Decimal(100))
    fee, payout = fee_split(seller_part, rate)
    return SplitAmounts(buyer_refund=total - seller_part, seller_part=seller_part, fee=fee, seller_payout=payout)
