from django import forms
from django.utils.translation import gettext_lazy as _

from gigs.forms import MultipleImageField as MultipleFileField
from gigs.forms import MultipleImageInput as MultipleFileInput
from orders.forms import milestones_field, milestones_from_text

from . import conf


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write a message…")}),
    )
    files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
    )
    gig = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, label=_("Send anyway: I understand the contacts will be hidden"))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = conf.max_length()
        self.fields["body"].widget.attrs["maxlength"] = conf.max_length()
        self.fields["files"].help_text = _(
            "Up to %(n)s files, %(mb)s MB each. Programs are not accepted; pack them into a ZIP."
        ) % {"n": conf.max_attachments(), "mb": conf.attachment_max_bytes() // (1024 * 1024)}

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        if len(body.strip()) > conf.max_length():
            raise forms.ValidationError(
                _("The message is too long: at most %(n)s characters.") % {"n": conf.max_length()}
            )
        return body

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > conf.max_attachments():
            raise forms.ValidationError(_("At most %(n)s files at once.") % {"n": conf.max_attachments()})
        return files

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("files") and not self.errors:
            raise forms.ValidationError(_("Write a message or attach a file."))
        return data


class PreferenceForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=_("Email me about new messages"),
        required=False,
        help_text=_("Only about messages you have not read yet; several messages in a row come as one email."),
    )


class InboxSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class CustomOfferForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80)
    description = forms.CharField(
        label=_("What you will do"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2, min_value=1)
    delivery_days = forms.IntegerField(label=_("Delivery, days"), min_value=1, max_value=90)
    revisions = forms.IntegerField(label=_("Revisions"), min_value=0, max_value=20, initial=1)
    milestones = milestones_field()

    def clean_milestones(self):
        return milestones_from_text(self.cleaned_data.get("milestones"))
