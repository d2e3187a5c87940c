"""Settings the messaging app reads, each with its default in this one place.

Override any of them in `marketplace/settings.py`; `BLOCKED_FILE_EXTENSIONS`, `SITE_URL`
and `MARKETPLACE_NAME` come from there as they are.
"""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def max_length() -> int:
    """The longest message, in characters."""
    return int(_get("MESSAGING_MAX_LENGTH", 5000))


def max_attachments() -> int:
    return int(_get("MESSAGING_MAX_ATTACHMENTS", 10))


def attachment_max_bytes() -> int:
    return int(_get("MESSAGING_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def image_max_pixels() -> int:
    return int(_get("MESSAGING_IMAGE_MAX_PIXELS", 40_000_000))


def image_side() -> int:
    """Images are re-encoded to at most this many pixels on the long side."""
    return int(_get("MESSAGING_IMAGE_SIDE", 2000))


def thumbnail_side() -> int:
    return int(_get("MESSAGING_THUMBNAIL_SIDE", 320))


def rate_limit() -> tuple[int, int]:
    """(messages, seconds): how many messages one person may send in that window."""
    return int(_get("MESSAGING_RATE_LIMIT_COUNT", 20)), int(_get("MESSAGING_RATE_LIMIT_SECONDS", 60))


def email_delay_seconds() -> int:
    """How long a new message may stay unread before it is emailed (a reader online gets none)."""
    return int(_get("MESSAGING_EMAIL_DELAY_SECONDS", 120))


def email_interval_minutes() -> int:
    """At most one email per conversation and recipient in this many minutes."""
    return int(_get("MESSAGING_EMAIL_INTERVAL_MINUTES", 10))


def thread_page_size() -> int:
    return int(_get("MESSAGING_THREAD_PAGE_SIZE", 30))


def message_cache_seconds() -> int:
    """How long a rendered message stays in the cache (a page renders only what is missing)."""
    return int(_get("MESSAGING_MESSAGE_CACHE_SECONDS", 24 * 60 * 60))


def inbox_page_size() -> int:
    return int(_get("MESSAGING_INBOX_PAGE_SIZE", 20))


def poll_seconds() -> int:
    """How often an open conversation asks for new messages."""
    return int(_get("MESSAGING_POLL_SECONDS", 4))


def badge_poll_seconds() -> int:
    """How often the header's unread counter refreshes itself."""
    return int(_get("MESSAGING_BADGE_POLL_SECONDS", 20))


def site_url() -> str:
    return str(_get("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def site_name() -> str:
    return str(_get("MARKETPLACE_NAME", "Gigmarket"))
