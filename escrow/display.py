"""Money as people read it: "1 500 ₽", "1 500,50 ₽" (Russian), "1,500.50 ₽" (English)."""

from decimal import Decimal

from django.utils.formats import number_format
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
