"""Whole pages cached for visitors who are not signed in.

A page that is the same for every anonymous visitor (the gig page) is rendered once per
language and kept for a minute; the owner of the data forgets it when the data changes
(`page_cache_forget`), so the minute only bounds what nobody forgets (a seller's new
avatar, a counter). What differs per visitor stays out of the cached copy:

- the CSRF token: the page is rendered with a placeholder in its place, and each response
  gets the visitor's own token (the header's and footer's language forms post with it);
- flash messages, a query string, a signed-in person, anything but GET: not served from the
  cache and not stored.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PAGE_CACHE_SECONDS = 60
CSRF_PLACEHOLDER = "__page-cache-csrf-token__"


def _key(name: str, ident, language: str) -> str:
    return f"page:{name}:{ident}:{language}"


def page_cacheable(request) -> bool:
    if request.method != "GET" or request.GET or request.user.is_authenticated:
        return False
    return not len(get_messages(request))


def page_cache_get(request, name: str, ident) -> HttpResponse | None:
    """The cached page for this anonymous request, with its own CSRF token; None on a miss."""
    if not page_cacheable(request):
        return None
    entry = cache.get(_key(name, ident, get_language()))
    if entry is None or entry.get("path") != request.path or entry.get("host") != request.get_host():
        return None
    return _response(request, entry["html"], entry.get("content_type"))


def page_cache_render(request, name: str, ident, render_page) -> HttpResponse:
    """Render the page with `render_page(context_extra)` and keep it for the next visitors."""
    if not page_cacheable(request):
        return render_page({})
    response = render_page({"csrf_token": CSRF_PLACEHOLDER})
    if response.status_code != 200:
        return response
    html = response.content.decode(response.charset)
    cache.set(
        _key(name, ident, get_language()),
        {"path": request.path, "host": request.get_host(), "html": html, "content_type": response["Content-Type"]},
        PAGE_CACHE_SECONDS,
    )
    return _response(request, html, response["Content-Type"])


def page_cache_forget(name: str, ident) -> None:
    cache.delete_many([_key(name, ident, code) for code, _label in settings.LANGUAGES])


def _response(request, html: str, content_type: str | None) -> HttpResponse:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html, content_type=content_type)
