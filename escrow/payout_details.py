"""Payout details (the full card number, e-mail, purse or wallet a withdrawal is paid to),
encrypted at rest with Fernet (AES-128-CBC and HMAC-SHA256, from the `cryptography` package).

`PAYOUT_DETAILS_KEYS` holds the keys, newest first: new values are encrypted with the first,
any of them decrypts (MultiFernet), so a key can be rotated without downtime. Without a
configured key a local run and the tests derive one from SECRET_KEY; production must set
`PAYOUT_DETAILS_KEY` (escrow/checks.py). A database dump alone never gives the details away.
"""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def payout_details_encrypt(value: str) -> str:
    """ "4242424242424242" -> a Fernet token (ASCII); "" stays "" (nothing to keep)."""
    if not value:
        return ""
    return _fernet(_keys()).encrypt(value.encode()).decode("ascii")


def payout_details_decrypt(token: str) -> str:
    """The stored token back to the details; InvalidToken if no configured key made it."""
    if not token:
        return ""
    return _fernet(_keys()).decrypt(token.encode("ascii")).decode()


def payout_details_rotate_token(token: str) -> str:
    """Re-encrypt with the newest key (MultiFernet.rotate keeps the original timestamp)."""
    if not token:
        return ""
    return _fernet(_keys()).rotate(token.encode("ascii")).decode("ascii")


def payout_details_key_problem() -> str:
    """Why the configured keys cannot be used ("" when they can)."""
    try:
        _fernet(_keys())
    except (ImproperlyConfigured, ValueError) as exc:
        return str(exc)
    return ""


def _keys() -> tuple[str, ...]:
    keys = tuple(settings.PAYOUT_DETAILS_KEYS)
    if keys:
        return keys
    if settings.PAYOUT_DETAILS_KEY_DERIVED:
        digest = hashlib.sha256(f"escrow.payout-details:{settings.SECRET_KEY}".encode()).digest()
        return (base64.urlsafe_b64encode(digest).decode("ascii"),)
    raise ImproperlyConfigured(
        "Set PAYOUT_DETAILS_KEY (a Fernet key: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())')."
    )


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"PAYOUT_DETAILS_KEY is not a valid Fernet key: {exc}") from None


__all__ = [
    "InvalidToken",
    "payout_details_decrypt",
    "payout_details_encrypt",
    "payout_details_key_problem",
    "payout_details_rotate_token",
]
