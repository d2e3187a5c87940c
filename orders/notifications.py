"""Telling the parties about order events: an in-site notification in the event's
transaction, and an email after it, in each recipient's language.

An event is emailed once: the task and the sweep both lock the event row (SKIP LOCKED)
and set `notified_at`. When the broker was down at commit time, the sweep sends it a
minute later. A person who turned the email of the event's kind off in their settings
(notifications.NotificationPreference) gets the notification and no email.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.selectors import email_wanted
from notifications.services import notification_add

from .models import OrderEvent

SILENT = {OrderEvent.Kind.PLACED}  # an unpaid order concerns nobody else yet

E = OrderEvent.Kind
N = Notification.Kind
# Which notification (and which email preference) each order event is.
NOTIFICATION_KINDS = {
    E.PAID: N.ORDER_NEW,
    E.REQUIREMENTS: N.ORDER_REQUIREMENTS,
    E.DELIVERED: N.ORDER_DELIVERED,
    E.REVISION: N.ORDER_REVISION,
    E.ACCEPTED: N.ORDER_COMPLETED,
    E.AUTO_COMPLETED: N.ORDER_COMPLETED,
    E.CANCEL_REQUESTED: N.ORDER_CANCELLATION,
    E.CANCEL_DECLINED: N.ORDER_CANCELLATION,
    E.CANCELLED: N.ORDER_CANCELLATION,
    E.EXPIRED: N.ORDER_CANCELLATION,
    E.DISPUTE_OPENED: N.DISPUTE_OPENED,
    E.DISPUTE_RESOLVED: N.DISPUTE_RESOLVED,
}


# After these both sides are asked for a review, whoever acted.
BOTH_SIDES = {OrderEvent.Kind.ACCEPTED, OrderEvent.Kind.AUTO_COMPLETED, OrderEvent.Kind.DISPUTE_RESOLVED}


def _recipients(event: OrderEvent) -> list:
    order = event.order
    if event.kind in BOTH_SIDES:
        return [order.buyer, order.seller]
    if event.actor_id == order.buyer_id:
        return [order.seller]
    if event.actor_id == order.seller_id:
        return [order.buyer]
    return [order.buyer, order.seller]  # the system or staff acted


def order_event_record(event: OrderEvent) -> None:
    """The in-site notifications of an order event, in the event's transaction: everyone
    the email goes to but the person who acted (the buyer who accepted is not told they
    did). An unpaid order that ran out concerns only its buyer: the seller never saw it."""
    kind = NOTIFICATION_KINDS.get(event.kind)
    if kind is None:
        return
    order = event.order
    if event.kind == E.EXPIRED:
        people = [order.buyer_id]
    elif event.kind in BOTH_SIDES or event.actor_id not in (order.buyer_id, order.seller_id):
        people = [order.buyer_id, order.seller_id]  # as `_recipients`, by id: no user rows loaded
    else:
        people = [order.seller_id if event.actor_id == order.buyer_id else order.buyer_id]
    params = {"order": order.pk, "title": order.gig_title, "event": event.kind}
    for person_id in people:
        if person_id != event.actor_id:
            notification_add(recipient=person_id, kind=kind, params=params, url_name="orders:detail",
                             url_args=[order.pk], actor=event.actor)  # fmt: skip


def order_event_send(*, event_id: int) -> bool:
    with transaction.atomic():
        event = (
            OrderEvent.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .select_related("order__buyer", "order__seller", "actor")
            .filter(pk=event_id, notified_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        if event.kind not in SILENT:
            kind = NOTIFICATION_KINDS.get(event.kind)
            for person in _recipients(event):
                if kind is None or email_wanted(user=person, kind=kind):
                    _send(event, person)
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return True


def _send(event: OrderEvent, person) -> None:
    order = event.order
    with translation.override(person.language):
        context = {
            "person": person,
            "order": order,
            "event": event,
            "url": settings.SITE_URL + reverse("orders:detail", args=[order.pk]),
            "site_name": settings.MARKETPLACE_NAME,
        }
        subject = _("Order #%(id)s: %(what)s") % {"id": order.pk, "what": event.get_kind_display()}
        body = render_to_string("orders/email/event.txt", context)
    send_mail(subject, body, None, [person.email], fail_silently=False)


def order_events_notify_due(*, now=None, limit: int = 500) -> int:
    # Give the task a minute to do it first; after that the sweep sends what is left.
    cutoff = (now or timezone.now()) - timedelta(minutes=1)
    ids = list(
        OrderEvent.objects.filter(notified_at__isnull=True, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for event_id in ids if order_event_send(event_id=event_id))
