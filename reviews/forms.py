from django import forms
from django.utils.translation import gettext_lazy as _

# One to five, in this order: the star widget's arrows go right for more (they stay radios).
STARS = [(i, str(i)) for i in range(1, 6)]


def stars_field(label, required=True):
    return forms.TypedChoiceField(
        label=label,
        choices=STARS,
        coerce=int,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "star-rating-input"}),
    )


class BuyerReviewForm(forms.Form):
    rating = stars_field(_("Overall"))
    communication = stars_field(_("Communication"))
    quality = stars_field(_("Quality"))
    on_time = stars_field(_("On time"))
    text = forms.CharField(
        label=_("Your review"), min_length=10, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SellerReviewForm(forms.Form):
    rating = stars_field(_("Overall"))
    text = forms.CharField(
        label=_("Your review of the buyer"), min_length=10, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your public reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewFilterForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("All ratings"))] + [(i, f"{i} ★") for i in range(5, 0, -1)],
    )
