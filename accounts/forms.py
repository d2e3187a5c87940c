from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from marketplace.lazytext import lazy_interpolate

from .models import PORTFOLIO_MAX_IMAGES, PortfolioItem
from .timezones import time_zone_choices


class CommaListField(forms.CharField):
    """A list of short items typed as "Python, Django, SQL"."""

    def __init__(self, *, max_items: int, max_item_length: int = 40, **kwargs):
        self.max_items = max_items
        self.max_item_length = max_item_length
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        items, seen = [], set()
        for raw in text.split(","):
            item = " ".join(raw.split())
            if item and item.lower() not in seen:
                seen.add(item.lower())
                items.append(item)
        return items

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_items:
            raise forms.ValidationError(_("At most %(n)s items, separated by commas.") % {"n": self.max_items})
        for item in value:
            if len(item) > self.max_item_length:
                raise forms.ValidationError(
                    _("“%(item)s” is too long: at most %(n)s characters per item.")
                    % {"item": item[:20] + "…", "n": self.max_item_length}
                )


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    headline = forms.CharField(
        label=_("Headline"),
        max_length=120,
        required=False,
        help_text=_("One line about what you do best, e.g. “Logo designer, 8 years in branding”."),
    )
    bio = forms.CharField(
        label=_("About me"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    skills = CommaListField(
        label=_("Skills"), max_items=20, required=False, help_text=_("Separate with commas: Figma, Logo, Branding")
    )
    languages = CommaListField(
        label=_("Languages I speak"),
        max_items=10,
        required=False,
        help_text=_("Separate with commas: Russian, English"),
    )
    # Callables: the lists are built in the language of the page that shows them.
    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: [("", "—"), *countries], required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=lazy_interpolate(
            _("JPEG, PNG, WebP or GIF, up to %(mb)s MB. It is cropped to a square."),
            {"mb": settings.AVATAR_MAX_BYTES // (1024 * 1024)},
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove the current avatar"), required=False)

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        # ClearableFileInput returns False for "clear"; we use our own checkbox instead.
        return avatar or None


class VacationForm(forms.Form):
    on_vacation = forms.BooleanField(
        label=_("I am on vacation"),
        required=False,
        help_text=_("Your gigs are hidden from the catalog and cannot be ordered; orders in progress go on."),
    )
    vacation_until = forms.DateField(
        label=_("Back on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: clients see the date."),
    )
    vacation_note = forms.CharField(
        label=_("Note for clients"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, shown on your profile: e.g. “Back after the holidays, write me meanwhile”."),
    )

    def clean_vacation_until(self):
        until = self.cleaned_data.get("vacation_until")
        if until is not None and until < timezone.localdate():
            raise forms.ValidationError(_("The return date is in the past."))
        return until


def _portfolio_category_choices():
    category_model = PortfolioItem._meta.get_field("category").related_model
    choices = [("", _("Choose a category"))]
    sections: dict[int, tuple[str, list]] = {}
    for category in category_model.objects.select_related("parent").order_by("parent__position", "position"):
        if category.parent_id is not None:
            sections.setdefault(category.parent_id, (category.parent.name, []))[1].append((category.pk, category.name))
    choices.extend(sections.values())
    return choices


class PortfolioItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80, help_text=_("What the work is: “Logo for a coffee shop”."))
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    gig = forms.TypedChoiceField(
        label=_("Shown on the gig"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Optional: the work also appears on the page of this gig of yours."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    new_images = MultipleImageField(
        label=_("Add images"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif", "multiple": True}),
        help_text=lazy_interpolate(
            _("Up to %(n)s images, JPEG, PNG or WebP, 10 MB each. The first is the cover."),
            {"n": PORTFOLIO_MAX_IMAGES},
        ),
    )
    delete_images = forms.TypedMultipleChoiceField(coerce=int, required=False)
    cover = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, owner, image_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _portfolio_category_choices()
        # Only the owner's own gigs can be chosen (the service checks it again).
        own_gigs = owner.gigs.order_by("title").values_list("pk", "title")
        self.fields["gig"].choices = [("", _("No gig")), *own_gigs]
        self.fields["delete_images"].choices = [(i, i) for i in image_ids]
        self.fields["cover"].choices = [("", "")] + [(i, i) for i in image_ids]
        self.image_count = len(image_ids)

    def clean(self):
        data = super().clean()
        kept = self.image_count - len(data.get("delete_images") or [])
        added = len(data.get("new_images") or [])
        if kept + added > PORTFOLIO_MAX_IMAGES:
            self.add_error("new_images", _("A work has at most %(n)s images.") % {"n": PORTFOLIO_MAX_IMAGES})
        elif kept + added == 0:
            self.add_error("new_images", _("Add at least one image of the work."))
        return data


class PortfolioMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
