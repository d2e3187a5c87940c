import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from moneyed import Money

from . import conf
from .cards import card_digits, luhn_valid
from .destinations import parse_destination, sbp_banks
from .display import money_text
from .errors import PayoutMethodError
from .models import PayoutMethod

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class AmountField(forms.DecimalField):
    """An amount of money as people type it: "1500", "1 500,50", "1500.50"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.error_messages["max_decimal_places"] = _("Use at most 2 digits after the decimal point (kopecks).")
        self.error_messages["max_digits"] = _("This amount is too large.")
        self.error_messages["max_whole_digits"] = _("This amount is too large.")

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACES.sub("", value).replace(",", ".")
            if len(value) > 40:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        try:
            finite = value is None or value.is_finite()
        except (AttributeError, InvalidOperation):
            finite = False
        if not finite:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def money_of(amount: Decimal) -> Money:
    return Money(amount, conf.currency())


class TopUpForm(forms.Form):
    """Field names stay plain ("amount", "next") so other pages can post here; the ids are
    prefixed because the wallet page shows this form next to the withdrawal form."""

    amount = AmountField(
        label=_("Amount"),
        help_text=_("Paid by card. The money is in your wallet as soon as the bank confirms."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "top-up-%s")
        super().__init__(*args, **kwargs)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        maximum = money_of(conf.top_up_max_amount())
        if amount > maximum.amount:
            raise forms.ValidationError(_("You can top up at most %(max)s at a time.") % {"max": money_text(maximum)})
        return amount


class WithdrawalForm(forms.Form):
    amount = AmountField(label=_("Amount"))
    payout_method = forms.ModelChoiceField(label=_("Send to"), queryset=PayoutMethod.objects.none(), empty_label=None)
    # One-time token: pressing the button twice asks for one withdrawal.
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        kwargs.setdefault("auto_id", "withdraw-%s")
        super().__init__(*args, **kwargs)
        self.fields["payout_method"].queryset = PayoutMethod.objects.filter(user=user, is_active=True)
        self.minimum = money_of(conf.withdrawal_min_amount())
        self.fields["amount"].help_text = _("At least %(min)s.") % {"min": money_text(self.minimum)}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < self.minimum.amount:
            raise forms.ValidationError(_("The smallest withdrawal is %(min)s.") % {"min": money_text(self.minimum)})
        return amount


class CardRefundForm(forms.Form):
    amount = AmountField(label=_("Amount"))
    # One-time token: pressing the button twice returns the money once.
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        kwargs.setdefault("auto_id", "card-refund-%s")
        super().__init__(*args, **kwargs)


class PayoutMethodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PayoutMethod.Kind.choices)
    value = forms.CharField(
        label=_("Card number, e-mail, purse or wallet number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Bank card: the 16 digits (kept encrypted). PayPal: your account's e-mail. "
            "WebMoney: the purse, e.g. Z123456789012. YooMoney: the wallet number starting with 4100. "
            "SBP: the phone number your bank account is linked to."
        ),
    )
    bank = forms.ChoiceField(label=_("Bank (for SBP)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [("", "—"), *sbp_banks()]

    def clean(self):
        cleaned = super().clean()
        if "kind" in cleaned and "value" in cleaned:
            try:
                cleaned["destination"] = parse_destination(cleaned["kind"], cleaned["value"], cleaned.get("bank") or "")
            except PayoutMethodError as exc:
                self.add_error("value", exc.message)
        return cleaned


class SandboxCardForm(forms.Form):
    """The sandbox's hosted card form. The number is checked and its last 4 digits kept; never stored."""

    card_number = forms.CharField(
        label=_("Card number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "placeholder": "4242 4242 4242 4242"}
        ),
    )
    expiry = forms.CharField(
        label=_("Expiry (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "12/30"}),
    )
    cvc = forms.CharField(
        label=_("CVC"),
        max_length=4,
        widget=forms.PasswordInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_card_number(self):
        digits = card_digits(self.cleaned_data["card_number"])
        if not luhn_valid(digits):
            raise forms.ValidationError(_("This card number is not valid. Check the digits."))
        return digits

    def clean_expiry(self):
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", self.cleaned_data["expiry"])
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY."))
        month, year = int(match[1]), int(match[2])
        year = year + 2000 if year < 100 else year
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self):
        cvc = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", cvc):
            raise forms.ValidationError(_("Enter the 3 or 4 digits on the back of the card."))
        return cvc
