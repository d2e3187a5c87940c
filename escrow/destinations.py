"""Payout destinations: what each kind of payout method needs, checked and masked.

Used by the form (to show an error next to the field) and by the service (the rule).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .cards import card_digits, luhn_valid, mask_card
from .errors import PayoutMethodError
from .models import PayoutMethod

Kind = PayoutMethod.Kind

# A WebMoney purse: its type letter and 12 digits (Z123456789012).
_WEBMONEY_RE = re.compile(r"^[A-Z]\d{12}\Z")
# A YooMoney wallet number: 11 to 20 digits, starting with 4100.
_YOOMONEY_RE = re.compile(r"^4100\d{7,16}\Z")


@dataclass(frozen=True)
class Destination:
    kind: str
    masked: str
    details: str  # what a payout is sent to, in full (kept encrypted: escrow/payout_details.py)
    fingerprint: str


def sbp_banks() -> list[tuple[str, str]]:
    """The banks an SBP payout can go to, (bank id, name): the payout gateway's list when
    payouts go through YooKassa (cached for a day), else SBP_BANKS from settings."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.PAYOUT_PROVIDER != "yookassa":
        return [tuple(pair) for pair in settings.SBP_BANKS]
    banks = cache.get("escrow:sbp-banks")
    if banks is None:
        from .providers.base import ProviderUnavailableError
        from .providers.yookassa import sbp_banks as gateway_banks

        try:
            banks = [(b["bank_id"], b["name"]) for b in gateway_banks()]
        except ProviderUnavailableError:
            # The configured list meanwhile, and the gateway is asked again in 5 minutes.
            banks = [tuple(pair) for pair in settings.SBP_BANKS]
            cache.set("escrow:sbp-banks", banks, 300)
            return banks
        cache.set("escrow:sbp-banks", banks, 24 * 3600)
    return banks


def parse_destination(kind: str, raw: str, bank_id: str = "") -> Destination:
    """Check `raw` for the payout method `kind`; PayoutMethodError with a readable message if wrong."""
    raw = (raw or "").strip()
    if kind == Kind.SBP:
        phone = re.sub(r"[\s\-()+]+", "", raw)
        if len(phone) == 11 and phone[0] == "8":
            phone = "7" + phone[1:]
        if not re.match(r"^7\d{10}\Z", phone):
            raise PayoutMethodError(_("Enter the phone number your bank account is linked to, e.g. +7 900 123-45-67."))
        banks = dict(sbp_banks())
        if bank_id not in banks:
            raise PayoutMethodError(_("Choose the bank that receives the SBP payment."))
        details = f"{phone}:{bank_id}"
        return Destination(kind, f"+7 •••• ••{phone[-2:]} · {banks[bank_id]}", details, _fingerprint(kind, details))
    if kind == Kind.CARD:
        digits = card_digits(raw)
        if not luhn_valid(digits):
            raise PayoutMethodError(_("This card number is not valid. Check the digits."))
        return Destination(kind, mask_card(digits), digits, _fingerprint(kind, digits))
    if kind == Kind.PAYPAL:
        email = raw.lower()
        try:
            validate_email(email)
        except ValidationError:
            raise PayoutMethodError(_("Enter the e-mail address of your PayPal account.")) from None
        name, domain = email.split("@", 1)
        return Destination(kind, f"{name[:1]}•••@{domain}", email, _fingerprint(kind, email))
    if kind == Kind.WEBMONEY:
        purse = raw.upper().replace(" ", "")
        if not _WEBMONEY_RE.match(purse):
            raise PayoutMethodError(_("Enter a WebMoney purse: a letter and 12 digits, e.g. Z123456789012."))
        return Destination(kind, f"{purse[0]}•••{purse[-4:]}", purse, _fingerprint(kind, purse))
    if kind == Kind.YOOMONEY:
        wallet = re.sub(r"[\s\-]+", "", raw)
        if not _YOOMONEY_RE.match(wallet):
            raise PayoutMethodError(_("Enter a YooMoney wallet number: 11 to 20 digits starting with 4100."))
        return Destination(kind, f"•••• {wallet[-4:]}", wallet, _fingerprint(kind, wallet))
    raise PayoutMethodError(_("Choose a kind of payout method."))


def _fingerprint(kind: str, value: str) -> str:
    return salted_hmac("escrow.payout-method", f"{kind}:{value}", algorithm="sha256").hexdigest()
