"""Settings the escrow app reads, each with its default in this one place.

Most live in `marketplace/settings.py` already; the rest fall back to the defaults here
until they are added there.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


def _get(name: str, default):
    return getattr(settings, name, default)


def order_payer():
    """What pays an order once a top-up started from it is credited: a function
    `(order_id, apply) -> WebhookResult` that locks the order, calls `apply()` (the credit)
    and pays the order if it still waits and the wallet covers it. The orders app names it;
    escrow imports nothing of orders."""
    path = _get("ESCROW_ORDER_PAYER", "")
    return import_string(path) if path else None


def currency() -> str:
    return _get("MARKETPLACE_CURRENCY", "RUB")


def fee_tiers() -> list[tuple[str | None, str]]:
    return _get("ESCROW_FEE_TIERS", [("30000", "0.20"), ("300000", "0.12"), (None, "0.075")])


def clearance_days() -> int:
    return int(_get("ESCROW_CLEARANCE_DAYS", 0))


def withdrawal_min_amount() -> Decimal:
    return Decimal(str(_get("WITHDRAWAL_MIN_AMOUNT", "1000")))


def payment_provider() -> str:
    return _get("PAYMENT_PROVIDER", "sandbox")


def sandbox_webhook_secret() -> str:
    return _get("SANDBOX_WEBHOOK_SECRET", "sandbox-" + settings.SECRET_KEY[:32])


def ledger_max_amount() -> Decimal:
    """The largest amount one transfer may move: far above any real order, far below
    what the columns hold, so a typo or an attack cannot overflow a balance."""
    return Decimal(str(_get("ESCROW_MAX_AMOUNT", "1000000000000")))


def top_up_max_amount() -> Decimal:
    return Decimal(str(_get("WALLET_TOP_UP_MAX_AMOUNT", "1000000")))


def sandbox_webhook_delay_seconds() -> int:
    """How late the sandbox delivers the webhook for the "delayed" test card."""
    return int(_get("SANDBOX_WEBHOOK_DELAY_SECONDS", 5))


def sandbox_duplicate_webhooks() -> bool:
    """Whether the sandbox delivers every webhook twice, as real providers sometimes do."""
    return bool(_get("SANDBOX_DUPLICATE_WEBHOOKS", True))


def wallet_history_page_size() -> int:
    return int(_get("WALLET_HISTORY_PAGE_SIZE", 20))


def currencies() -> tuple[str, ...]:
    return tuple(_get("CURRENCIES", (currency(),)))


def payout_provider() -> str:
    """ "yookassa": withdrawals to cards, YooMoney and SBP go out through its payouts API;
    "": staff pay every withdrawal by hand."""
    return _get("PAYOUT_PROVIDER", "")


def payout_auto_max_amount() -> Decimal:
    return Decimal(str(_get("PAYOUT_AUTO_MAX_AMOUNT", "0") or "0"))


def payout_auto_clean_days() -> int:
    return int(_get("PAYOUT_AUTO_CLEAN_DAYS", 90))


def seller_clean():
    """`(user_id) -> bool`: whether a seller's history lets small withdrawals go out without
    staff (the orders app knows orders and disputes; escrow imports nothing of it)."""
    path = _get("ESCROW_SELLER_CLEAN", "")
    return import_string(path) if path else None


def payout_auto_daily_max_amount() -> Decimal:
    """The most that goes out without staff for one seller in 24 hours (default: one
    withdrawal of the largest automatic size)."""
    value = _get("PAYOUT_AUTO_DAILY_MAX_AMOUNT", "") or payout_auto_max_amount()
    return Decimal(str(value))
