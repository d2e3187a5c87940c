"""Every write of notifications. Other apps call `notification_add` from inside the
transaction of the event that causes it (an order delivered, a gig approved), so the
notification exists exactly when the event does."""

import json
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.jobs import enqueue_on_commit

from . import conf
from .models import Notification, NotificationPreference

K = Notification.Kind

# Kinds whose email this app sends (the events had no email of their own).
EMAILED_HERE = frozenset({K.GIG_APPROVED, K.GIG_REJECTED, K.WITHDRAWAL_PAID, K.WITHDRAWAL_REJECTED})
# Kinds whose email another app sends with its own once-per-event machinery (orders,
# buyer_requests); they ask `selectors.email_wanted` before sending.
EMAILED_ELSEWHERE = frozenset({
    K.ORDER_NEW, K.ORDER_REQUIREMENTS, K.ORDER_DELIVERED, K.ORDER_REVISION, K.ORDER_COMPLETED,
    K.ORDER_CANCELLATION, K.DISPUTE_OPENED, K.DISPUTE_RESOLVED,
    K.REQUEST_STATUS, K.OFFER_RECEIVED, K.INVITATION, K.OFFER_ANSWERED,
})  # fmt: skip
# The kinds a person can turn the email of off, in the settings page's order. Reviews have
# no email: the order's completion email already asks for one, and a review's content is
# the site's to show (double-blind).
EMAIL_KINDS = [kind for kind in K if kind in EMAILED_HERE | EMAILED_ELSEWHERE]


def notification_add(
    *,
    recipient: User | int,
    kind: str,
    params: dict | None = None,
    url_name: str = "",
    url_args: Iterable = (),
    actor: User | int | None = None,
) -> Notification:
    """Tell `recipient` that something happened, in the caller's transaction (no savepoint
    of its own: one INSERT, which cannot fail on what the text will say, since the text is
    built when the notification is read). `params` hold what the text needs; values JSON
    cannot carry are stored as their text. `recipient` and `actor` may be user ids, which
    saves loading a user where the caller has only the id (an order's parties). Kinds this app
    emails get their email after commit."""
    params = json.loads(json.dumps(params or {}, default=str))
    notification = Notification.objects.create(
        recipient_id=recipient if isinstance(recipient, int) else recipient.pk,
        kind=kind,
        actor_id=actor if isinstance(actor, int) or actor is None else actor.pk,
        params=params,
        url_name=url_name,
        url_args=[str(arg) for arg in url_args],
        email_pending=kind in EMAILED_HERE,
    )
    if notification.email_pending:
        from .tasks import notification_email

        enqueue_on_commit(notification_email, notification.pk)
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one of the person's notifications read (the selector checked it is theirs)."""
    if notification.read_at is None:
        now = timezone.now()
        # A conditional UPDATE, no lock: two tabs opening it at once both set a time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, user: User, email_off: Iterable[str]) -> NotificationPreference:
    off = sorted({kind for kind in email_off if kind in EMAIL_KINDS})
    preference, _created = NotificationPreference.objects.update_or_create(user=user, defaults={"email_off": off})
    return preference


def notifications_delete_old(*, now=None, limit: int = 10_000) -> int:
    """Retention: read notifications older than NOTIFICATIONS_KEEP_DAYS go (a nightly beat
    task); unread ones stay until they are read. In batches, so one night never holds a
    long transaction."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.keep_days())
    ids = list(Notification.objects.filter(read_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    deleted, _rows = Notification.objects.filter(pk__in=ids).delete()
    return deleted
