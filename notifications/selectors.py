"""Every read of notifications, each limited to the person's own."""

from django.db import connection
from django.http import Http404

from accounts.models import User

from . import conf
from .models import Notification, NotificationPreference

# The bell shows "99+" past 99: counting stops at 100.
UNREAD_COUNTED_UP_TO = 100

# The unread rows only (the partial index `notification_unread`), stopping at the cap.
_UNREAD_SQL = """
    SELECT COUNT(*) FROM (
        SELECT 1 FROM notifications_notification WHERE recipient_id = %s AND read_at IS NULL LIMIT %s
    ) unread
"""


def unread_count_sql(*, user: User) -> tuple[str, list]:
    """The statement behind `unread_count`, for a caller that asks it together with the
    header's other counters in one round trip (messaging.selectors.header_counts)."""
    return _UNREAD_SQL, [user.pk, UNREAD_COUNTED_UP_TO]


def unread_count(*, user: User) -> int:
    sql, params = unread_count_sql(user=user)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def notifications_page(*, user: User, before_id: int | None = None) -> tuple[list[Notification], int | None]:
    """The person's notifications, newest first, one page of them before `before_id` (a
    keyset: a notification arriving meanwhile never shifts the older pages), and the id to
    ask the next page with (None on the last page)."""
    size = conf.page_size()
    rows = Notification.objects.filter(recipient=user).select_related("actor__profile").order_by("-id")
    if before_id is not None:
        rows = rows.filter(pk__lt=before_id)
    found = list(rows[: size + 1])
    more = len(found) > size
    found = found[:size]
    return found, (found[-1].pk if more else None)


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404
    return notification


def email_off(*, user: User) -> set[str]:
    """The kinds whose emails `user` turned off (none without a preference row)."""
    off = NotificationPreference.objects.filter(user_id=user.pk).values_list("email_off", flat=True).first()
    return set(off or ())


def email_wanted(*, user: User, kind: str) -> bool:
    """Whether `user` wants the email about a notification of `kind` (on unless turned off)."""
    return kind not in email_off(user=user)
