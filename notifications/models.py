"""What happened to a person, for the notification centre and the emails about it.

A notification stores what it is about (`kind`, `params`, the page's URL name and arguments),
never a sentence: the text is built when it is read, in the reader's language
(`notifications/texts.py`), so a bug in a text never fails the business transaction that
recorded the event, and a translation fixed later reaches old notifications too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        ORDER_NEW = "order_new", _("New orders")
        ORDER_REQUIREMENTS = "order_requirements", _("Requirements sent by the client")
        ORDER_DELIVERED = "order_delivered", _("Work delivered")
        ORDER_REVISION = "order_revision", _("Revision requests")
        ORDER_COMPLETED = "order_completed", _("Orders completed")
        ORDER_CANCELLATION = "order_cancellation", _("Cancellations")
        DISPUTE_OPENED = "dispute_opened", _("Disputes opened")
        DISPUTE_RESOLVED = "dispute_resolved", _("Dispute decisions")
        REVIEW_LEFT = "review_left", _("Reviews waiting for yours")
        REVIEW_PUBLISHED = "review_published", _("Reviews of you published")
        REQUEST_STATUS = "request_status", _("Your requests: moderation and expiry")
        OFFER_RECEIVED = "offer_received", _("Offers on your requests")
        INVITATION = "invitation", _("Invitations to send an offer")
        OFFER_ANSWERED = "offer_answered", _("Answers to your offers")
        GIG_APPROVED = "gig_approved", _("Gigs approved")
        GIG_REJECTED = "gig_rejected", _("Gigs not approved")
        WITHDRAWAL_PAID = "withdrawal_paid", _("Withdrawals sent")
        WITHDRAWAL_REJECTED = "withdrawal_rejected", _("Withdrawals rejected")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Plain JSON values only (ids, snapshot titles, amounts as strings): what the text needs.
    params = models.JSONField(default=dict, blank=True)
    # The page it leads to, reversed when shown, so the link carries the reader's language.
    url_name = models.CharField(max_length=80, blank=True)
    url_args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # True while an email this app sends about it is still owed (the task or the sweep sends it).
    email_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The centre's list, newest first, and the "older" pages (keyset on id).
            models.Index(fields=["recipient", "-id"], name="notification_list"),
            # The header's unread count on every signed-in page: only the unread rows.
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
            models.Index(fields=["created_at"], name="notification_email_pending", condition=Q(email_pending=True)),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"


class NotificationPreference(models.Model):
    """Which notification emails a person turned off. No row: every email is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    # Kinds (Notification.Kind values) whose emails are off; the in-site notification stays.
    email_off = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {len(self.email_off)} off"
