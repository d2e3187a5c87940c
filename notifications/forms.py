from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Notification
from .services import EMAIL_KINDS

K = Notification.Kind

# The settings page's sections: each emailed kind once.
GROUPS = [
    (_("Orders"), [K.ORDER_NEW, K.ORDER_REQUIREMENTS, K.ORDER_DELIVERED, K.ORDER_REVISION, K.ORDER_COMPLETED,
                   K.ORDER_CANCELLATION, K.DISPUTE_OPENED, K.DISPUTE_RESOLVED]),
    (_("Requests and offers"), [K.REQUEST_STATUS, K.OFFER_RECEIVED, K.INVITATION, K.OFFER_ANSWERED]),
    (_("Gigs"), [K.GIG_APPROVED, K.GIG_REJECTED]),
    (_("Wallet"), [K.WITHDRAWAL_PAID, K.WITHDRAWAL_REJECTED]),
]  # fmt: skip


class EmailPreferenceForm(forms.Form):
    """One checkbox per emailed kind; a checked box means "email me"."""

    email_on = forms.MultipleChoiceField(
        choices=[(kind.value, kind.label) for kind in EMAIL_KINDS], required=False, widget=forms.CheckboxSelectMultiple
    )

    def groups(self):
        """[(section, [checkbox, ...])] for the template, in GROUPS' order."""
        boxes = {box.data["value"]: box for box in self["email_on"]}
        return [(title, [boxes[kind.value] for kind in kinds]) for title, kinds in GROUPS]

    def email_off(self) -> list[str]:
        on = set(self.cleaned_data["email_on"])
        return [kind.value for kind in EMAIL_KINDS if kind.value not in on]
