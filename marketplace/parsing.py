"""Numbers from requests, parsed strictly: ASCII digits only, finite, within bounds.

Python's `int()` and `str.isdigit()` take "²" and other Unicode digits (`"²".isdigit()` is
true, `int("²")` raises), and `Decimal()` takes "NaN", "sNaN" and "Infinity", which then
raise on the first comparison. Every number read from a query string, a form field parsed
by hand, or a URL goes through here; Django's own form fields already refuse them.
"""

import re
from decimal import Decimal, InvalidOperation

_INT = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,18}(?:[.,][0-9]{0,6})?|[.,][0-9]{1,6})")


def parse_int(value, default=None, *, minimum: int | None = None, maximum: int | None = None):
    """`value` as an int when it is plain ASCII digits within the bounds, else `default`."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return default
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


def parse_decimal(value) -> Decimal | None:
    """A finite decimal from text such as "15 000", "1500.50" or "1500,50"; None otherwise."""
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None
    text = value.replace(" ", "").replace("\u00a0", "")
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
