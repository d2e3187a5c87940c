from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from .services import profile_ensure


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The language the person signed up in becomes their saved language.
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_ensure(user=user)
        return user

    def send_mail(self, template_prefix, email, context):
        # Our emails end with the site's own address (templates/account/email/base_message.txt).
        return super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})

    def get_login_redirect_url(self, request):
        # Back to the language the person reads in, whatever the log-in page's address was:
        # their choice follows them to a new device.
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "language", None)
        if language and language != translation.get_language():
            url = translate_url(url, language)
        return url


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        profile_ensure(user=user)
        return user
