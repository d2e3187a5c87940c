"""Error reports to Sentry, only when SENTRY_DSN is set (settings call `init`).

No personal data leaves: `send_default_pii=False` keeps users, IPs and cookies out, and
`scrub_event` (before_send) also removes what the SDK would still send: cookies and
Authorization headers, the bodies of payment, payout and webhook requests, and any e-mail
address, phone number or card number left in messages, exception values, breadcrumbs and
local variables."""

import re

# A card number: 13-19 digits, maybe grouped by spaces or dashes (checked by Luhn below).
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# +7 999 123-45-67, 8 (999) 123 45 67, +44 20 7946 0958: a + or 8, then 10+ digits in groups.
_PHONE = re.compile(r"(?<![\w])(?:\+\d{1,3}|8)[ (-]*\d{3}[ )-]*\d{3}[ -]?\d{2}[ -]?\d{2}(?!\d)")
_SECRET_HEADERS = {"authorization", "cookie", "set-cookie", "x-csrftoken", "proxy-authorization"}
# Request bodies of these paths are dropped whole (the language prefix is optional).
_MONEY_PATHS = re.compile(r"^(?:https?://[^/]+)?(?:/[a-z]{2})?/(?:payments|wallet|webhooks|escrow)/")
FILTERED = "[Filtered]"


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return FILTERED if 13 <= len(digits) <= 19 and _luhn(digits) else match.group()


def scrub_text(text: str) -> str:
    text = _CARD.sub(_card, text)
    text = _EMAIL.sub(FILTERED, text)
    return _PHONE.sub(FILTERED, text)


def _scrub(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """before_send: the event without secrets or personal data (a new dict, for any event)."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: FILTERED if name.lower() in _SECRET_HEADERS else value for name, value in headers.items()
            }
        if _MONEY_PATHS.match(str(request.get("url", ""))) and "data" in request:
            request["data"] = FILTERED
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {key: value for key, value in user.items() if key == "id"}
    return _scrub(event)


def init(*, dsn: str, environment: str, traces_sample_rate: float, release: str = "", **extra) -> None:
    """`extra`: more sentry_sdk.init options (the tests pass a capturing transport)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        # Request bodies only up to a few KB and never files; money endpoints are dropped above.
        max_request_body_size="small",
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=scrub_event,
        **extra,
    )
