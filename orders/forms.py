from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gigs.forms import MultipleImageField as MultipleFileField
from gigs.forms import MultipleImageInput as MultipleFileInput
from marketplace.parsing import parse_decimal, parse_int

from .models import Dispute


class CheckoutForm(forms.Form):
    package = forms.TypedChoiceField(label=_("Package"), coerce=int, widget=forms.RadioSelect)
    extras = forms.TypedMultipleChoiceField(
        label=_("Extras"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=settings.ORDER_MAX_QUANTITY, initial=1)

    def __init__(self, *args, gig, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [(p.tier, p.name) for p in gig.packages.all()]
        # Read only when asked: an order without extras never needs the gig's list of them.
        self.fields["extras"].choices = lambda: [(e.pk, e.title) for e in gig.extras.all()]


def files_field(label, help_text=""):
    return MultipleFileField(label=label, required=False, widget=MultipleFileInput(attrs={"multiple": True}),
                             help_text=help_text)  # fmt: skip


class DeliverForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the buyer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = files_field(_("Files"), _("Up to 10 files, 50 MB each. Programs are not accepted; pack them into a ZIP."))


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label=_("What should be changed"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong"), min_length=20, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = files_field(_("Evidence"), _("Screenshots or documents, up to 10 files."))


class RequirementsForm(forms.Form):
    """One field per question the gig asks, built from the order's snapshot."""

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            name = f"q{question['id']}"
            required = bool(question.get("required"))
            if question["kind"] == "choice":
                field = forms.ChoiceField(
                    label=question["text"], required=required,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    choices=[(c, c) for c in question.get("choices", [])],
                )  # fmt: skip
            elif question["kind"] == "file":
                field = forms.FileField(label=question["text"], required=required)
            else:
                field = forms.CharField(
                    label=question["text"], required=required, max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )  # fmt: skip
            self.fields[name] = field


class DisputeResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Dispute.Outcome.choices, widget=forms.RadioSelect)
    seller_percent = forms.IntegerField(
        label=_("Seller's share, %"), min_value=1, max_value=99, required=False,
        help_text=_("For a split only. The fee is taken from the seller's share."),
    )  # fmt: skip
    decision = forms.CharField(
        label=_("Written decision (both parties see it)"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Dispute.Outcome.SPLIT and not data.get("seller_percent"):
            self.add_error("seller_percent", _("Give the seller's share for a split."))
        return data


def milestones_field():
    return forms.CharField(
        label=_("Milestones (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Design | 15000 | 7"}),
        help_text=_("For large orders: one per line, “title | amount | days”; the amounts must add up to the price."),
    )


def milestones_from_text(text: str) -> list[dict]:
    """“Design | 15000 | 7” lines into [{"title", "amount", "days"}]; a bad line is a form error."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        amount = parse_decimal(parts[1]) if len(parts) == 3 else None
        days = parse_int(parts[2], minimum=0, maximum=3650) if len(parts) == 3 else None
        if amount is None or days is None:
            raise forms.ValidationError(_("Line %(n)s: write “title | amount | days”.") % {"n": number})
        rows.append({"title": parts[0], "amount": str(amount), "days": days})
    return rows
