from django.conf import settings
from django.utils import translation

from .presence import presence_touch
from .services import user_set_language


class LanguageMiddleware:
    """The page's language is in its address: `/en/...` is English, every other address
    Russian (`i18n_patterns` without a prefix for the default). Nothing else is consulted:
    not a cookie, not the browser's Accept-Language, not the account. So two visitors of one
    address always get the same page, and the response varies on nothing but the address.

    A signed-in person's account remembers the language of the pages they read (their
    emails are written in it, and logging in on another device takes them back to it:
    `accounts.adapters.AccountAdapter.get_login_redirect_url`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # The page is rendered inside get_response; the language of the thread is left as it
        # was, so nothing after the response (a test, an eager task) inherits the page's.
        with translation.override(language):
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.language != language
            and request.method == "GET"
            and response.status_code == 200
            and not request.headers.get("HX-Request")
            and response.get("Content-Type", "").startswith("text/html")
        ):
            user_set_language(user=user, language=language)
        response.headers.setdefault("Content-Language", language)
        return response


class PresenceMiddleware:
    """A signed-in person opening anything is "online" (accounts.presence)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            presence_touch(user_id=user.pk)
        return response
