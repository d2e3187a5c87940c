"""Card numbers: normalising, the Luhn check and masking. A payout card's full number is
kept only encrypted (escrow/payout_details.py); a top-up card's never leaves its request."""

import re

_SEPARATORS = re.compile(r"[\s\-\u00a0]+")


def card_digits(raw: str) -> str:
    """ "4242 4242-4242 4242" -> "4242424242424242"; anything else than digits and separators -> ""."""
    digits = _SEPARATORS.sub("", raw or "")
    return digits if digits.isascii() and digits.isdigit() else ""


def luhn_valid(digits: str) -> bool:
    if not digits or not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def mask_card(digits: str) -> str:
    return f"•••• {digits[-4:]}"
