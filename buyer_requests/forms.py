"""Input shape of requests, offers, the board's filters and alerts."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.uploads import UploadRejected, check_uploads
from orders.forms import milestones_field, milestones_from_text

from . import conf, selectors
from .models import BuyerRequest
from .selectors import SORTS


def _grouped_categories(*, with_sections: bool) -> list:
    """Child categories grouped under their section; optionally "whole section" entries too."""
    groups: dict[int, tuple[str, list]] = {}
    for category in selectors.child_categories():
        section = category.parent
        if section.pk not in groups:
            entries = [(section.pk, _("All in “%(name)s”") % {"name": section.name})] if with_sections else []
            groups[section.pk] = (section.name, entries)
        groups[section.pk][1].append((category.pk, category.name))
    return list(groups.values())


class BoardFilterForm(forms.Form):
    """The board's URL parameters. Bad values are dropped, never an error page."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None, required=False)
    budget_min = forms.DecimalField(
        label=_("Budget from"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    budget_max = forms.DecimalField(label=_("Budget to"), min_value=0, max_digits=12, decimal_places=2, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest")),
            ("relevance", _("Relevance")),
            ("budget_desc", _("Budget: high to low")),
            ("budget_asc", _("Budget: low to high")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in selectors.child_categories()}
        for category in list(self.categories.values()):
            self.categories.setdefault(category.parent_id, category.parent)
        self.fields["category"].choices = [("", _("All categories")), *_grouped_categories(with_sections=True)]

    def cleaned_or_defaults(self) -> dict:
        """The valid parameters; an invalid one is treated as absent."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        data["q"] = " ".join((data.get("q") or "").split())
        data["sort"] = data.get("sort") if data.get("sort") in SORTS else "newest"
        data["category"] = self.categories.get(data.get("category"))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RequestForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        min_length=10,
        help_text=_("What you need, in a few words: “A logo for a coffee shop”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        min_length=50,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At least 50 characters: the task, what you already have, what the result should be."),
    )
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    budget_min = forms.DecimalField(
        label=_("From"), max_digits=12, decimal_places=2, help_text=_("For a fixed budget, fill in only this field.")
    )
    budget_max = forms.DecimalField(
        label=_("Up to"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty for a fixed budget."),
    )
    desired_deadline = forms.DateField(
        label=_("Desired deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    visibility = forms.ChoiceField(
        label=_("Who can send offers"),
        choices=BuyerRequest.Visibility.choices,
        initial=BuyerRequest.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
    )
    delete_files = forms.TypedMultipleChoiceField(
        label=_("Remove files"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, existing_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_files = list(existing_files)
        self.fields["category"].choices = [("", _("Choose a category")), *_grouped_categories(with_sections=False)]
        self.fields["delete_files"].choices = [(f.pk, f.name) for f in self.existing_files]
        if not self.existing_files:
            del self.fields["delete_files"]
        self.fields["attachments"].help_text = _(
            "Up to %(n)s files: briefs, examples, sketches. Only you, invited freelancers and those who send "
            "an offer can download them."
        ) % {"n": conf.max_files()}

    def clean_budget_min(self):
        value = self.cleaned_data["budget_min"]
        if value < conf.min_budget():
            raise forms.ValidationError(
                _("The minimum budget is %(min)s %(cur)s.") % {"min": conf.min_budget(), "cur": conf.currency()}
            )
        if value > conf.max_budget():
            raise forms.ValidationError(_("The maximum budget is %(max)s.") % {"max": conf.max_budget()})
        return value

    def clean_desired_deadline(self):
        value = self.cleaned_data.get("desired_deadline")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The desired deadline is in the past."))
        return value

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            check_uploads(files, max_bytes=conf.file_max_bytes(), max_files=conf.max_files())
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message) from None
        return files

    def clean(self):
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The upper end of the budget cannot be below the lower end."))
        if high is not None and high > conf.max_budget() and "budget_max" not in self.errors:
            self.add_error("budget_max", _("The maximum budget is %(max)s.") % {"max": conf.max_budget()})
        kept = len(self.existing_files) - len(data.get("delete_files") or [])
        if "attachments" not in self.errors and kept + len(data.get("attachments") or []) > conf.max_files():
            self.add_error("attachments", _("At most %(n)s files at once.") % {"n": conf.max_files()})
        return data

    @classmethod
    def initial_for(cls, buyer_request: BuyerRequest) -> dict:
        return {
            "title": buyer_request.title,
            "description": buyer_request.description,
            "category": buyer_request.category_id,
            "budget_min": buyer_request.budget_min.amount,
            "budget_max": None if buyer_request.is_fixed_budget else buyer_request.budget_max.amount,
            "desired_deadline": buyer_request.desired_deadline,
            "visibility": buyer_request.visibility,
        }


class OfferForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the client"),
        max_length=3000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How you will do the job, what you need from the client, relevant experience."),
    )
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2)
    delivery_days = forms.IntegerField(label=_("Delivery, days"), min_value=1, max_value=90)
    revisions = forms.IntegerField(label=_("Revisions"), min_value=0, max_value=20, initial=1)
    gig = forms.TypedChoiceField(label=_("Related gig"), coerce=int, empty_value=None, required=False)
    milestones = milestones_field()

    def __init__(self, *args, freelancer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gig"].choices = [("", _("None"))] + [
            (gig.pk, gig.title) for gig in selectors.gigs_for_offer(freelancer=freelancer)
        ]
        self.fields["gig"].help_text = _("Optional: one of your gigs, to show similar work.")

    def clean_price(self):
        value = self.cleaned_data["price"]
        low, high = conf.offer_min_price(), conf.offer_max_price()
        if not low <= value <= high:
            raise forms.ValidationError(
                _("The price is from %(min)s to %(max)s %(cur)s.") % {"min": low, "max": high, "cur": conf.currency()}
            )
        return value

    @classmethod
    def initial_for(cls, offer) -> dict:
        return {
            "message": offer.message,
            "price": offer.price.amount,
            "delivery_days": offer.delivery_days,
            "revisions": offer.revisions,
            "gig": offer.gig_id,
            "milestones": "\n".join(f"{m['title']} | {m['amount']} | {m['days']}" for m in offer.milestones),
        }

    def clean_milestones(self):
        return milestones_from_text(self.cleaned_data.get("milestones"))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The freelancer sees it."),
    )


class InviteForm(forms.Form):
    buyer_request = forms.TypedChoiceField(label=_("Request"), coerce=int)

    def __init__(self, *args, requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer_request"].choices = [(r.pk, r.title) for r in requests]


class AlertsForm(forms.Form):
    categories = forms.TypedMultipleChoiceField(
        label=_("Categories"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = _grouped_categories(with_sections=False)
        self.fields["categories"].choices = [choice for _name, choices in self.groups for choice in choices]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the client sees it)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
