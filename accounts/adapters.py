from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        profile_ensure(user=user)
        return user
