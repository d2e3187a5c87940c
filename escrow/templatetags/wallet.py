from django import template

from ..display import money_text as _money_text

register = template.Library()


@register.filter
def money_text(value) -> str:
    """{{ balance|money_text }} -> "1 500,50 ₽"."""
    return _money_text(value)
