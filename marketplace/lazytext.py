"""Translatable text built at import time (form choices, help texts, flash messages in tables).

`gettext_lazy(...) % values` is evaluated at once, in whatever language is active when the
module is imported; `lazy_interpolate` waits until the text is shown, so it comes out in the
language of the request that shows it.
"""

from django.utils.functional import lazy


def _interpolate(message, values: dict) -> str:
    return str(message) % values


lazy_interpolate = lazy(_interpolate, str)
