"""The emails this app sends itself (services.EMAILED_HERE: a gig approved or not, a
withdrawal sent or refused), in the recipient's language.

Sent once: the task and the sweep both lock the notification's row (SKIP LOCKED) and clear
`email_pending` in the same transaction. When the broker was down at commit time, the
sweep sends it a minute later. A person who turned the kind's email off gets none, and the
row is settled all the same.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import conf
from .models import Notification
from .selectors import email_wanted
from .texts import notification_detail, notification_path, notification_text

SUBJECT_MAX = 150


def notification_email_send(*, notification_id: int) -> bool:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .select_related("recipient__profile", "actor__profile")
            .filter(pk=notification_id, email_pending=True)
            .first()
        )
        if notification is None:
            return False
        person = notification.recipient
        if person.is_active and person.email and email_wanted(user=person, kind=notification.kind):
            _send(notification, person)
        notification.email_pending = False
        notification.save(update_fields=["email_pending"])
    return True


def _send(notification: Notification, person) -> None:
    with translation.override(person.language):
        text = notification_text(notification)
        context = {
            "person": person,
            "text": text,
            "detail": notification_detail(notification),
            "url": conf.site_url() + notification_path(notification),
            "settings_url": conf.site_url() + reverse("notifications:settings"),
            "site_name": conf.site_name(),
        }
        subject = text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1] + "…"
        body = render_to_string("notifications/email/notification.txt", context)
    send_mail(subject, body, None, [person.email], fail_silently=False)


def notifications_email_due(*, now=None, limit: int = 500) -> int:
    # Give the task a minute to do it first; after that the sweep sends what is left.
    cutoff = (now or timezone.now()) - timedelta(minutes=1)
    ids = list(
        Notification.objects.filter(email_pending=True, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for notification_id in ids if notification_email_send(notification_id=notification_id))
