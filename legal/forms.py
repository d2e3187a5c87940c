"""The sign-up forms (allauth's, for email and for social sign-up) with two unticked,
required boxes: the terms and privacy policy, and, apart from them, the consent to personal
data processing (152-FZ, art. 9 as amended in 2025: the consent is given separately from
the other documents a person accepts). Ticking both records the current versions in the
same transaction as the new account."""

from allauth.account.forms import SignupForm as AccountSignupForm
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import LegalAcceptance
from .selectors import request_ip
from .services import legal_accept_current

TERMS_FIELD = "accept_terms"
CONSENT_FIELD = "accept_consent"
# Opens in a new tab, so reading a document loses nothing typed into the form.
LINK = '<a href="{}" target="_blank" rel="noopener">{}</a>'


def _box(label, error: str) -> forms.BooleanField:
    return forms.BooleanField(required=True, label=label, error_messages={"required": error})


def signup_boxes() -> dict[str, forms.BooleanField]:
    """Built per form, in the page's language: the links point at this language's pages."""
    terms = format_html(
        _("I accept the {terms} and the {privacy}"),
        terms=format_html(LINK, reverse("legal:terms"), pgettext("sign-up box", "terms of service")),
        privacy=format_html(LINK, reverse("legal:privacy"), pgettext("sign-up box", "privacy policy")),
    )
    consent = format_html(
        _("I give my {consent}"),
        consent=format_html(
            LINK, reverse("legal:consent"), pgettext("sign-up box", "consent to the processing of my personal data")
        ),
    )
    return {
        TERMS_FIELD: _box(terms, _("Tick the box to accept the terms: without it we cannot create an account.")),
        CONSENT_FIELD: _box(
            consent,
            _(
                "Tick the box to consent to the processing of your personal data: "
                "without it we cannot create an account."
            ),
        ),
    }


class _ConsentMixin:
    def _add_consent(self):
        self.fields.update(signup_boxes())

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
