from django import template

from ..display import money_text as _money_text
from ..display import rate_text as _rate_text

register = template.Library()


@register.filter
def money_text(value) -> str:
    """{{ balance|money_text }} -> "1 500,50 ₽"."""
    return _money_text(value)


@register.filter
def rate_text(value) -> str:
    """{{ order.fee_rate|rate_text }} -> "20 %"."""
    return _rate_text(value)
