"""Input shape of the catalog filters and the gig editor."""

import hashlib
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.forms import CommaListField, MultipleImageField, MultipleImageInput
from accounts.models import SellerLevel
from marketplace.lazytext import lazy_interpolate

from .models import Category, GigQuestion
from .selectors import DAYS_CHOICES, SORTS


class FavoriteForm(forms.Form):
    gig = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class CatalogFilterForm(forms.Form):
    """The catalog's URL parameters. Bad values are dropped, never an error page."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    price_min = forms.DecimalField(label=_("Price from"), min_value=0, max_digits=12, decimal_places=2, required=False)
    price_max = forms.DecimalField(label=_("Price to"), min_value=0, max_digits=12, decimal_places=2, required=False)
    days = forms.TypedChoiceField(
        label=_("Delivery time"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any"))]
        + [(d, lazy_interpolate(_("Up to %(n)s days"), {"n": d}) if d > 1 else _("Up to 1 day")) for d in DAYS_CHOICES],
    )
    level = forms.ChoiceField(label=_("Seller level"), required=False, choices=[("", _("Any")), *SellerLevel.choices])
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=Decimal,
        empty_value=None,
        required=False,
        choices=[("", _("Any")), ("4.5", _("4.5 and up")), ("4", _("4.0 and up"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("relevance", _("Relevance")),
            ("rating", _("Rating")),
            ("price_asc", _("Price: low to high")),
            ("price_desc", _("Price: high to low")),
            ("newest", _("Newest")),
        ],
    )

    prices_swapped = False

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        # "From 3000 to 500" is read as 500 to 3000 (and the results say so), never as an
        # empty page that nobody can explain.
        if low is not None and high is not None and low > high:
            data["price_min"], data["price_max"] = high, low
            self.prices_swapped = True
        return data

    @classmethod
    def params_of(cls, query_dict) -> dict:
        """`cleaned_or_defaults` of these parameters, kept in the process per query string:
        the result depends on nothing else, and a form costs 0.4 ms to build and clean."""
        filters = query_dict.copy()
        for token in ("after", "before"):
            filters.pop(token, None)
        query = filters.urlencode()
        if len(query) > 2000:  # no catalog link is this long: not worth keeping
            return dict(cls(query_dict).cleaned_or_defaults())
        key = "gigs:catalog-params:v3:" + hashlib.blake2b(query.encode(), digest_size=16).hexdigest()
        params = caches["local"].get(key)
        if params is None:
            params = cls(query_dict).cleaned_or_defaults()
            caches["local"].set(key, params, 300)
        return dict(params)

    def cleaned_or_defaults(self) -> dict:
        """The valid parameters; an invalid one is treated as absent."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        data["q"] = " ".join((data.get("q") or "").split())
        data["sort"] = data.get("sort") if data.get("sort") in SORTS else "relevance"
        data["level"] = data.get("level") or ""
        data["prices_swapped"] = self.prices_swapped
        return data


class PriceInput(forms.NumberInput):
    """A price as people write it: a whole amount shows as "1500", not "1500.00" (typed
    values, such as "1500.00" after an error elsewhere, are shown as typed)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return super().format_value(value)


def _category_choices():
    choices = [("", _("Choose a category"))]
    sections: dict[int, tuple[str, list]] = {}
    for category in Category.objects.select_related("parent").order_by("parent__position", "position"):
        if category.parent_id is None:
            continue
        sections.setdefault(category.parent_id, (category.parent.name, []))[1].append((category.pk, category.name))
    choices.extend(sections.values())
    return choices


class GigBasicsForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=80,
        help_text=_("What you will do, in up to 80 characters: “I will design a minimalist logo”."),
    )
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        min_length=100,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "At least 100 characters. Empty lines separate paragraphs, **double asterisks** make bold text, "
            "lines starting with “- ” make a list."
        ),
    )
    tags = CommaListField(
        label=_("Tags"), max_items=5, max_item_length=30, required=False, help_text=_("Up to 5, separated by commas.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()


class PackageForm(forms.Form):
    name = forms.CharField(label=_("Package name"), max_length=40, required=False)
    description = forms.CharField(
        label=_("What is included"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2, required=False, widget=PriceInput)
    delivery_days = forms.IntegerField(label=_("Delivery, days"), min_value=1, max_value=90, required=False)
    revisions = forms.IntegerField(label=_("Revisions"), min_value=0, max_value=20, required=False)

    REQUIRED = ("name", "description", "price", "delivery_days", "revisions")

    def is_used(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.REQUIRED)

    def clean(self):
        data = super().clean()
        if not self.is_used():
            return data
        for name in self.REQUIRED:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("Fill in every field of a package you offer, or leave the package empty."))
        price = data.get("price")
        minimum = Decimal(settings.GIG_MIN_PRICE)
        if price is not None and price < minimum:
            self.add_error(
                "price",
                _("The minimum price is %(min)s %(cur)s.") % {"min": minimum, "cur": settings.MARKETPLACE_CURRENCY},
            )
        if price is not None and price > Decimal(settings.GIG_MAX_PRICE):
            self.add_error("price", _("The maximum price is %(max)s.") % {"max": settings.GIG_MAX_PRICE})
        return data


class BasePackageFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        used = [form for form in self.forms if form.is_used()]
        if not used:
            raise forms.ValidationError(_("Describe at least one package."))
        first_unused = next((i for i, form in enumerate(self.forms) if not form.is_used()), len(self.forms))
        if any(form.is_used() for form in self.forms[first_unused:]):
            raise forms.ValidationError(_("Fill the packages in order: Economy first, then Standard, then Business."))
        prices = [form.cleaned_data["price"] for form in used]
        if prices != sorted(prices):
            raise forms.ValidationError(_("A higher package should not cost less than a lower one."))


PackageFormSet = formset_factory(
    PackageForm, formset=BasePackageFormSet, extra=3, max_num=3, validate_max=True, absolute_max=3
)


class ExtraForm(forms.Form):
    title = forms.CharField(label=_("Extra"), max_length=80, required=False)
    price = forms.DecimalField(
        label=_("Price"), max_digits=12, decimal_places=2, min_value=1, required=False, widget=PriceInput
    )
    extra_days = forms.IntegerField(label=_("Extra days"), min_value=0, max_value=60, required=False)
    urgent_days = forms.IntegerField(
        label=_("Urgent: delivery in, days"),
        min_value=1,
        max_value=89,
        required=False,
        help_text=_("Leave empty for an ordinary extra. Filled in, choosing it sets the whole delivery time."),
    )

    def is_used(self) -> bool:
        return bool(self.cleaned_data.get("title") or self.cleaned_data.get("price"))

    def clean(self):
        data = super().clean()
        if self.is_used():
            if not data.get("title") and "title" not in self.errors:
                self.add_error("title", _("Name the extra."))
            if data.get("price") is None and "price" not in self.errors:
                self.add_error("price", _("Set the price of the extra."))
            if data.get("urgent_days") and data.get("extra_days"):
                self.add_error("extra_days", _("An urgent extra shortens the delivery: it cannot add days as well."))
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Answer type"), choices=GigQuestion.Kind.choices, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        max_length=500,
        required=False,
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def is_used(self) -> bool:
        return bool(self.cleaned_data.get("text"))

    def clean(self):
        data = super().clean()
        options = [c.strip() for c in (data.get("choices") or "").split(",") if c.strip()]
        data["choice_list"] = options
        if self.is_used() and data.get("kind") == GigQuestion.Kind.CHOICE and not 2 <= len(options) <= 10:
            self.add_error("choices", _("Give 2 to 10 options, separated by commas."))
        return data


class FaqForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200, required=False)
    answer = forms.CharField(
        label=_("Answer"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def is_used(self) -> bool:
        return bool(self.cleaned_data.get("question") or self.cleaned_data.get("answer"))

    def clean(self):
        data = super().clean()
        if self.is_used() and not (data.get("question") and data.get("answer")):
            self.add_error("answer", _("Write both the question and the answer, or leave both empty."))
        return data


ExtraFormSet = formset_factory(ExtraForm, extra=0, max_num=10, validate_max=True, absolute_max=10)
QuestionFormSet = formset_factory(QuestionForm, extra=0, max_num=10, validate_max=True, absolute_max=10)
FaqFormSet = formset_factory(FaqForm, extra=0, max_num=10, validate_max=True, absolute_max=10)


class GigImagesForm(forms.Form):
    new_images = MultipleImageField(
        label=_("Add images"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif", "multiple": True}),
        help_text=_("Up to 8 images, JPEG, PNG or WebP, 10 MB each; 1600×1067 px looks best. The first is the cover."),
    )
    delete_images = forms.TypedMultipleChoiceField(coerce=int, required=False)
    cover = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, image_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delete_images"].choices = [(i, i) for i in image_ids]
        self.fields["cover"].choices = [("", "")] + [(i, i) for i in image_ids]

    def clean_new_images(self):
        files = self.cleaned_data.get("new_images") or []
        if len(files) > settings.GIG_MAX_IMAGES:
            raise forms.ValidationError(_("At most %(n)s images.") % {"n": settings.GIG_MAX_IMAGES})
        return files
