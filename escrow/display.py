"""Money and fee rates as people read them: "1 500 ₽", "1 500,50 ₽", "20 %" (Russian), "1,500.50 ₽", "20%" (English)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext
from moneyed import Money

CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€"}


def money_text(value: Money | Decimal | None, currency: str | None = None) -> str:
    if value is None or value == "":
        return ""
    amount = value.amount if isinstance(value, Money) else Decimal(value)
    code = value.currency.code if isinstance(value, Money) else (currency or "")
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{CURRENCY_SIGNS.get(code, code)}".strip()


def rate_text(rate: Decimal | None) -> str:
    """A fee rate as a percent: Decimal("0.2000") -> "20 %", Decimal("0.075") -> "7,5 %"
    (Russian), "7.5%" (English). Blended rates show at most two decimals."""
    if rate is None or rate == "":
        return ""
    percent = (Decimal(rate) * 100).quantize(Decimal("0.01")).normalize()
    places = max(0, -percent.as_tuple().exponent)
    number = number_format(percent, decimal_pos=places, use_l10n=True, force_grouping=True)
    return gettext("%(number)s%%") % {"number": number}
