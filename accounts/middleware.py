from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class UserLanguageMiddleware:
    """Pick the page language: the signed-in user's saved choice, else the language
    cookie, else Russian. The browser's Accept-Language is not consulted on purpose:
    the site is Russian unless the person switched it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            language = user.language
        if language is None:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = cookie if cookie in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
