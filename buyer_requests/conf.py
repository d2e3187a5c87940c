"""Settings the buyer-requests app reads, each with its default in this one place.

Override any of them in `marketplace/settings.py`. `MARKETPLACE_CURRENCY`, `TIME_ZONE`,
`GIG_MIN_PRICE`/`GIG_MAX_PRICE` (the offer price range, the same as an order's),
`ORDER_FILE_MAX_BYTES`/`ORDER_MAX_FILES` (attachments), `SITE_URL` and `MARKETPLACE_NAME`
come from there as they are.
"""

from decimal import Decimal

from django.conf import settings

DEFAULT_OFFER_QUOTAS = {"new": 5, "advanced": 10, "professional": 20}


def _get(name: str, default):
    return getattr(settings, name, default)


def offer_quotas() -> dict[str, int]:
    """Free offers a freelancer may send per calendar day (in TIME_ZONE), by seller level."""
    return {**DEFAULT_OFFER_QUOTAS, **_get("REQUESTS_OFFER_QUOTAS", {})}


def offer_quota_for(level: str) -> int:
    quotas = offer_quotas()
    return int(quotas.get(level, quotas["new"]))


def expiry_days() -> int:
    """An active request closes by itself after this many days unless renewed."""
    return int(_get("REQUESTS_EXPIRY_DAYS", 30))


def offer_return_days() -> int:
    """An offer the client has not opened after this many days gives its quota back."""
    return int(_get("REQUESTS_OFFER_RETURN_DAYS", 7))


def min_budget() -> Decimal:
    return Decimal(str(_get("REQUESTS_MIN_BUDGET", "500")))


def max_budget() -> Decimal:
    return Decimal(str(_get("REQUESTS_MAX_BUDGET", _get("GIG_MAX_PRICE", "1000000"))))


def offer_min_price() -> Decimal:
    # The same range as an order on agreed terms (orders.services.order_place_custom).
    return Decimal(str(_get("GIG_MIN_PRICE", "500")))


def offer_max_price() -> Decimal:
    return Decimal(str(_get("GIG_MAX_PRICE", "1000000")))


def alert_interval_minutes() -> int:
    """At most one "new matching requests" email per freelancer in this many minutes."""
    return int(_get("REQUESTS_ALERT_INTERVAL_MINUTES", 60))


def alert_max_items() -> int:
    """The most requests listed in one alert email (the rest are on the board)."""
    return int(_get("REQUESTS_ALERT_MAX_ITEMS", 20))


def board_page_size() -> int:
    return int(_get("REQUESTS_PAGE_SIZE", 20))


def file_max_bytes() -> int:
    return int(_get("ORDER_FILE_MAX_BYTES", 50 * 1024 * 1024))


def max_files() -> int:
    return int(_get("ORDER_MAX_FILES", 10))


def currency() -> str:
    return str(_get("MARKETPLACE_CURRENCY", "RUB"))


def time_zone() -> str:
    return str(_get("TIME_ZONE", "Europe/Moscow"))


def site_url() -> str:
    return str(_get("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def site_name() -> str:
    return str(_get("MARKETPLACE_NAME", "Gigmarket"))
