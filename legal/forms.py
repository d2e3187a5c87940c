"""The sign-up forms (allauth's, for email and for social sign-up) with the consent box:
unticked, required, with links to the three documents; accepting records the current
versions in the same transaction as the new account."""

from allauth.account.forms import SignupForm as AccountSignupForm
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .models import LegalAcceptance
from .selectors import request_ip
from .services import legal_accept_current

CONSENT_FIELD = "accept_legal"


def consent_field() -> forms.BooleanField:
    field = forms.BooleanField(
        required=True,
        error_messages={
            "required": gettext_lazy(
                "Tick the box to accept the terms and to consent to the processing of your personal data: "
                "without it we cannot create an account."
            )
        },
    )
    # Built per form, in the page's language: the links point at this language's pages and
    # open in a new tab, so reading them loses nothing typed into the form.
    link = '<a href="{}" target="_blank" rel="noopener">{}</a>'
    field.label = format_html(
        _("I accept the {terms} and the {privacy} and give my {consent}"),
        terms=format_html(link, reverse("legal:terms"), pgettext("sign-up box", "terms of service")),
        privacy=format_html(link, reverse("legal:privacy"), pgettext("sign-up box", "privacy policy")),
        consent=format_html(
            link, reverse("legal:consent"), pgettext("sign-up box", "consent to the processing of my personal data")
        ),
    )
    return field


class _ConsentMixin:
    def _add_consent(self):
        self.fields[CONSENT_FIELD] = consent_field()

    def signup(self, request, user):
        # allauth calls this right after saving the user, inside `save` below.
        legal_accept_current(user=user, ip=request_ip(request), source=LegalAcceptance.Source.SIGNUP)

    def save(self, request):
        # The account and its acceptances commit together, or neither does.
        with transaction.atomic():
            return super().save(request)


class SignupForm(_ConsentMixin, AccountSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_consent()


class SocialSignupForm(_ConsentMixin, SocialSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_consent()


class AcceptForm(forms.Form):
    """The accept page's button: it names the versions the page showed, so a version
    published while someone read the page is not accepted unread."""

    documents = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, documents, **kwargs):
        self.expected = ",".join(str(document.pk) for document in documents)
        super().__init__(*args, initial={"documents": self.expected}, **kwargs)

    def clean_documents(self):
        value = self.cleaned_data["documents"]
        if value != self.expected:
            raise forms.ValidationError(_("A newer version was published while you were reading. Please read it."))
        return value
