"""The profile's time zone choices: the common ones first, by name, then every other zone;
each label with its UTC offset today and the city in the page's language."""

import zoneinfo
from datetime import datetime
from functools import lru_cache

from babel.dates import get_timezone_location
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .models import TIME_ZONE_CHOICES

# Where most people on a Russian-speaking marketplace live, west to east; then neighbours and
# the big cities clients write from. Named here, not by Babel: "Kyiv", "Kamchatka" read better.
COMMON = [
    ("Europe/Kaliningrad", pgettext_lazy("time zone", "Kaliningrad")),
    ("Europe/Moscow", pgettext_lazy("time zone", "Moscow")),
    ("Europe/Samara", pgettext_lazy("time zone", "Samara")),
    ("Asia/Yekaterinburg", pgettext_lazy("time zone", "Yekaterinburg")),
    ("Asia/Omsk", pgettext_lazy("time zone", "Omsk")),
    ("Asia/Novosibirsk", pgettext_lazy("time zone", "Novosibirsk")),
    ("Asia/Krasnoyarsk", pgettext_lazy("time zone", "Krasnoyarsk")),
    ("Asia/Irkutsk", pgettext_lazy("time zone", "Irkutsk")),
    ("Asia/Yakutsk", pgettext_lazy("time zone", "Yakutsk")),
    ("Asia/Vladivostok", pgettext_lazy("time zone", "Vladivostok")),
    ("Asia/Magadan", pgettext_lazy("time zone", "Magadan")),
    ("Asia/Kamchatka", pgettext_lazy("time zone", "Kamchatka")),
    ("Europe/Minsk", pgettext_lazy("time zone", "Minsk")),
    ("Europe/Kyiv", pgettext_lazy("time zone", "Kyiv")),
    ("Asia/Almaty", pgettext_lazy("time zone", "Almaty")),
    ("Asia/Tashkent", pgettext_lazy("time zone", "Tashkent")),
    ("Asia/Tbilisi", pgettext_lazy("time zone", "Tbilisi")),
    ("Asia/Yerevan", pgettext_lazy("time zone", "Yerevan")),
    ("Asia/Baku", pgettext_lazy("time zone", "Baku")),
    ("Europe/Berlin", pgettext_lazy("time zone", "Berlin")),
    ("Europe/London", pgettext_lazy("time zone", "London")),
    ("America/New_York", pgettext_lazy("time zone", "New York")),
]


def _offset(name: str, now: datetime) -> tuple[int, str]:
    minutes = int(now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return minutes, f"UTC{sign}{hours:02d}:{rest:02d}"


@lru_cache(maxsize=8)
def _choices(language: str, day: str) -> tuple:
    now = timezone.now()
    babel_locale = (language or "en").replace("-", "_")
    common_names = {name for name, _label in COMMON}
    common = []
    for name, label in COMMON:
        _minutes, offset = _offset(name, now)
        common.append((name, f"({offset}) {label}"))
    others = []
    for name, _name in TIME_ZONE_CHOICES:  # every zone the profile accepts
        if name in common_names:
            continue
        minutes, offset = _offset(name, now)
        try:
            city = get_timezone_location(name, locale=babel_locale, return_city=True)
        except (LookupError, ValueError):
            city = name.rsplit("/", 1)[-1].replace("_", " ")
        others.append((minutes, city, name, f"({offset}) {city} — {name}"))
    others.sort()
    return (
        (str(_("Common time zones")), tuple(common)),
        (str(_("All time zones")), tuple((name, label) for _m, _c, name, label in others)),
    )


def time_zone_choices() -> list:
    """For a form's ChoiceField (a callable: built in the language of the request that shows it)."""
    # Kept per language and day: offsets move with daylight saving time, and only then.
    groups = _choices(get_language() or "en", timezone.now().date().isoformat())
    return [(group, list(items)) for group, items in groups]
