"""Money helpers. The one place where amounts are rounded."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from moneyed import Currency, Money, get_currency


def currency_exponent(currency: str | Currency) -> int:
    """Digits after the point in the currency's minor unit: RUB 2, JPY 0, KWD 3."""
    cur = currency if isinstance(currency, Currency) else get_currency(str(currency))
    sub_unit = cur.sub_unit or 100
    return len(str(sub_unit)) - 1


def round_amount(amount: Decimal, currency: str | Currency) -> Decimal:
    """Round half up to the currency's minor unit (kopecks for RUB)."""
    quantum = Decimal(1).scaleb(-currency_exponent(currency))
    return amount.quantize(quantum, rounding=ROUND_HALF_UP)


def round_money(money: Money) -> Money:
    return Money(round_amount(money.amount, money.currency), money.currency)


def marketplace_money(amount: Decimal | int | str) -> Money:
    return Money(Decimal(amount), settings.MARKETPLACE_CURRENCY)
