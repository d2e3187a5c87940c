"""Where a "come back here" parameter (`next`, a return address) may send someone: only to a
path on this site. Every view that reads such a parameter goes through `local_path`.

Refused: other sites (`https://evil.example/x`, `//evil.example/x`), a scheme without a host
(`https:evil.example/x`, `javascript:...`), a backslash (browsers read `/\\evil.example` as
`//evil.example`), control characters (a NUL, a newline that would split the header), and
anything that is not a path from the root.
"""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def local_path(value) -> str:
    """`value` when it is a path of this site ("/orders/42/?tab=files#m5"), else ""."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value.startswith("/") or len(value) > MAX_LENGTH or "\\" in value:
        return ""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return ""  # "//host/...", "/\tjavascript:..." and the like
    return value


def redirect_back(value, fallback, *args, **kwargs):
    """A redirect to `value` when it is a local path, else to `fallback` (a URL name or path,
    with its arguments, as `django.shortcuts.redirect` takes them)."""
    target = local_path(value)
    return redirect(target) if target else redirect(fallback, *args, **kwargs)
