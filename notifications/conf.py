"""Settings the notifications app reads, with their defaults. `SITE_URL` and
`MARKETPLACE_NAME` come from `marketplace/settings.py` as they are."""

from django.conf import settings


def keep_days() -> int:
    """Read notifications older than this are deleted by the nightly sweep."""
    return int(getattr(settings, "NOTIFICATIONS_KEEP_DAYS", 365))


def page_size() -> int:
    return int(getattr(settings, "NOTIFICATIONS_PAGE_SIZE", 30))


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def site_name() -> str:
    return str(getattr(settings, "MARKETPLACE_NAME", "Gigmarket"))
