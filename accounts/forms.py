from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from marketplace.lazytext import lazy_interpolate

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
