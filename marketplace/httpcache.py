"""What shared caches (a reverse proxy, a CDN) may keep: a visitor's pages, briefly; nothing else.

A response is public when it cannot be anyone's own: a GET or HEAD answered 200 to a request
that carries no session or flash-message cookie, for nobody signed in, with no cookie set and
no CSRF token used (a page with a form that posts is somebody's). Then it says
`Cache-Control: public, max-age=0, s-maxage=PUBLIC_CACHE_SECONDS` and varies only on what
really changes it: the address (the language is in it), `HX-Request` where a view says so, and
no longer on `Cookie` or `Accept-Language`. Every other response is `private`.

A proxy that keeps the public ones must not serve them to a request with a session cookie
(`deploy/nginx/gigmarket.conf.template` bypasses its cache for those); browsers revalidate
every time (`max-age=0`), so signing in shows the signed-in page at once.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import patch_cache_control, patch_vary_headers

# Varying on these would make every visitor a cache entry of their own; the pages do not
# depend on them (LanguageMiddleware reads the language from the address only).
NOT_VARYING_FOR_VISITORS = {"cookie", "accept-language"}


class SharedCacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response  # the view decided (private files, the health check)
        if is_public(request, response):
            vary = [h for h in _vary(response) if h.lower() not in NOT_VARYING_FOR_VISITORS]
            del response["Vary"]
            if vary:
                patch_vary_headers(response, vary)
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PUBLIC_CACHE_SECONDS)
        else:
            patch_cache_control(response, private=True)
        return response


def is_public(request, response) -> bool:
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.cookies:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token: it is this visitor's
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _vary(response) -> list[str]:
    return [h.strip() for h in response.get("Vary", "").split(",") if h.strip()]
