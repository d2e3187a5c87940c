"""Emails about requests and offers, in each recipient's language.

Event notifications: a `RequestEvent` with a recipient is an in-site notification, written
in the event's transaction (`request_event_record`), and an email, unless the recipient
turned that kind's email off.

Event emails: a `RequestEvent` with a recipient is emailed once: the task and the sweep
both lock the event row (SKIP LOCKED) and set `notified_at`; when the broker was down at
commit time, the sweep sends it a minute later.

Matching-request alerts are batched by rows: `RequestAlertDigest.due_at` is set when a
matching request goes live (see services._alerts_schedule), never sooner than the interval
after the previous email, and the beat sweep sends one email per due row with every
matching request published since the last one.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from notifications.selectors import email_wanted
from notifications.services import notification_add

from . import conf, selectors
from .models import RequestAlertDigest, RequestEvent

K = RequestEvent.Kind
N = Notification.Kind

# Which notification (and which email preference) each request event is.
NOTIFICATION_KINDS = {
    K.APPROVED: N.REQUEST_STATUS,
    K.REJECTED: N.REQUEST_STATUS,
    K.EXPIRED: N.REQUEST_STATUS,
    K.INVITED: N.INVITATION,
    K.OFFER_SENT: N.OFFER_RECEIVED,
    K.OFFER_ACCEPTED: N.OFFER_ANSWERED,
    K.OFFER_DECLINED: N.OFFER_ANSWERED,
}

SUBJECTS = {
    K.APPROVED: gettext_lazy("Your request “%(title)s” is published"),
    K.REJECTED: gettext_lazy("Your request “%(title)s” was not approved"),
    K.EXPIRED: gettext_lazy("Your request “%(title)s” has expired"),
    K.INVITED: gettext_lazy("%(name)s invites you to send an offer: “%(title)s”"),
    K.OFFER_SENT: gettext_lazy("New offer on “%(title)s” from %(name)s"),
    K.OFFER_ACCEPTED: gettext_lazy("Your offer on “%(title)s” was accepted"),
    K.OFFER_DECLINED: gettext_lazy("Your offer on “%(title)s” was declined"),
}


def _target(event: RequestEvent) -> tuple[str, list]:
    """The page an event leads to: its URL name and arguments."""
    if event.kind == K.OFFER_SENT:
        return "buyer_requests:compare", [event.request_id]
    if event.kind == K.OFFER_ACCEPTED and event.offer is not None and event.offer.order_id:
        return "orders:detail", [event.offer.order_id]
    return "buyer_requests:detail", [event.request_id]


def _url(event: RequestEvent) -> str:
    name, args = _target(event)
    return conf.site_url() + reverse(name, args=args)


def request_event_record(event: RequestEvent) -> None:
    """The recipient's in-site notification of an event, in the event's transaction."""
    kind = NOTIFICATION_KINDS.get(event.kind)
    if kind is None or event.recipient_id is None:
        return
    params = {"request": event.request_id, "title": event.request.title, "event": event.kind}
    if event.kind == K.REJECTED and event.note:
        params["reason"] = event.note
    name, args = _target(event)
    notification_add(recipient=event.recipient_id, kind=kind, params=params, url_name=name, url_args=args,
                     actor=event.actor)  # fmt: skip


def request_event_send(*, event_id: int) -> bool:
    with transaction.atomic():
        event = (
            RequestEvent.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .select_related("request", "offer", "actor__profile", "recipient__profile")
            .defer("request__search_vector")
            .filter(pk=event_id, notified_at__isnull=True, recipient__isnull=False)
            .first()
        )
        if event is None:
            return False
        kind = NOTIFICATION_KINDS.get(event.kind)
        if event.kind in SUBJECTS and (kind is None or email_wanted(user=event.recipient, kind=kind)):
            _send(event)
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return True


def _send(event: RequestEvent) -> None:
    person = event.recipient
    with translation.override(person.language):
        actor_name = event.actor.display_name if event.actor else conf.site_name()
        context = {
            "person": person,
            "event": event,
            "buyer_request": event.request,
            "offer": event.offer,
            "actor_name": actor_name,
            "url": _url(event),
            "site_name": conf.site_name(),
        }
        subject = str(SUBJECTS[event.kind]) % {"title": event.request.title, "name": actor_name}
        body = render_to_string("buyer_requests/email/event.txt", context)
    send_mail(subject, body, None, [person.email], fail_silently=False)


def request_events_notify_due(*, now=None, limit: int = 500) -> int:
    # Give the task a minute to do it first; after that the sweep sends what is left.
    cutoff = (now or timezone.now()) - timedelta(minutes=1)
    ids = list(
        RequestEvent.objects.filter(notified_at__isnull=True, recipient__isnull=False, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for event_id in ids if request_event_send(event_id=event_id))


def request_alerts_send_due(*, now=None, limit: int = 200) -> int:
    """Send every due alert digest: one email per freelancer with the requests since the last one."""
    now = now or timezone.now()
    user_ids = list(
        RequestAlertDigest.objects.filter(due_at__lte=now).order_by("due_at").values_list("user_id", flat=True)[:limit]
    )
    sent = 0
    for user_id in user_ids:
        with transaction.atomic():
            digest = (
                RequestAlertDigest.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
                .select_related("user__profile")
                .filter(pk=user_id, due_at__lte=now)
                .first()
            )
            if digest is None:
                continue
            found = []
            if digest.user.is_active and digest.user.is_seller:
                found = selectors.requests_matching_alerts(
                    user=digest.user, since=digest.since, limit=conf.alert_max_items()
                )
            if found:
                _send_alerts(digest.user, found)
                digest.last_sent_at = now
                digest.since = max(now, max(r.published_at for r in found))
                sent += 1
            digest.due_at = None
            digest.save(update_fields=["last_sent_at", "since", "due_at"])
    return sent


def _send_alerts(person, found: list) -> None:
    with translation.override(person.language):
        context = {
            "person": person,
            "requests": found,
            "board_url": conf.site_url() + reverse("buyer_requests:board"),
            "alerts_url": conf.site_url() + reverse("buyer_requests:alerts"),
            "site_url": conf.site_url(),
            "site_name": conf.site_name(),
        }
        if len(found) == 1:
            subject = _("New request: “%(title)s”") % {"title": found[0].title}
        else:
            subject = _("%(n)s new requests in your categories") % {"n": len(found)}
        body = render_to_string("buyer_requests/email/alerts.txt", context)
    send_mail(subject, body, None, [person.email], fail_silently=False)
