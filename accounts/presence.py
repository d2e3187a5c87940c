"""Who is online: "в сети" on gig cards, the gig page and the profile, and "last seen" otherwise.

A signed-in person's `Profile.last_seen_at` is written when they open a page, at most once per
`PRESENCE_WRITE_SECONDS` (a key in the shared cache says it was written recently; without the
cache it is written every time, which is only slower). Online means seen within
`ONLINE_WINDOW_MINUTES`. The state is the same for every viewer, and it is rendered outside
every cached fragment, because it changes without the page's data changing.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import Profile


def presence_touch(*, user_id: int, now: datetime | None = None) -> bool:
    """Record that the person is here; True when the time was written."""
    if not cache.add(f"presence:{user_id}", 1, settings.PRESENCE_WRITE_SECONDS):
        return False
    # One row, one statement, outside any service's transaction: it waits for nobody's lock
    # but this row's and holds nothing else, so it cannot take part in a deadlock.
    Profile.objects.filter(pk=user_id).update(last_seen_at=now or timezone.now())
    return True


def online_since(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(minutes=settings.ONLINE_WINDOW_MINUTES)


def is_online(last_seen_at: datetime | None, now: datetime | None = None) -> bool:
    return last_seen_at is not None and last_seen_at >= online_since(now)


def online_ids(user_ids: Iterable[int], now: datetime | None = None) -> set[int]:
    """Which of these people are online now: one query by primary key for a page of cards."""
    ids = set(user_ids)
    if not ids:
        return set()
    return set(Profile.objects.filter(pk__in=ids, last_seen_at__gte=online_since(now)).values_list("pk", flat=True))
