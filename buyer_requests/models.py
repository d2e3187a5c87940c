import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from marketplace.uploads import private_storage

from .search import RequestSearchVector


def private_upload_to(instance, filename: str) -> str:
    # Never under a public URL: request files are served by an access-checked view.
    suffix = "".join(c for c in (filename.rsplit(".", 1)[-1] if "." in filename else "bin") if c.isalnum())[:8]
    return f"private/requests/{uuid.uuid4().hex}.{suffix.lower() or 'bin'}"


class BuyerRequest(models.Model):
    """A client's brief that freelancers answer with offers.

    pending -> active | rejected (moderation); active -> closed (by the client, or by hiring
    one offer) | expired (timer); closed/expired -> active again by "renew" (or pending, if
    it was edited since moderation). Only active requests are on the board.
    `expires_at` is the expiry timer: it runs (is not NULL) exactly while the request is active.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("On moderation")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: every freelancer can send an offer")
        INVITED = "invited", _("Only the freelancers I invite")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_requests", verbose_name=_("client")
    )
    category = models.ForeignKey(
        "gigs.Category", on_delete=models.PROTECT, related_name="buyer_requests", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=5000)
    # A fixed budget has both ends equal.
    budget_min = MoneyField(
        _("budget from"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY
    )
    budget_max = MoneyField(
        _("budget up to"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY
    )
    desired_deadline = models.DateField(_("desired deadline"), null=True, blank=True)
    visibility = models.CharField(
        _("who can send offers"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Set by an edit while closed or expired: renewing then goes through moderation again.
    edited_since_review = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted for review"))
    # The last time it went live (approval or renewal): the board's "newest first".
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    hired_at = models.DateTimeField(_("hired"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    search_vector = models.GeneratedField(
        expression=RequestSearchVector(), output_field=SearchVectorField(null=True), db_persist=True
    )

    class Meta:
        verbose_name = _("buyer request")
        verbose_name_plural = _("buyer requests")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="breq_status_published"),
            models.Index(fields=["status", "category", "-published_at"], name="breq_status_cat_pub"),
            models.Index(fields=["client", "status"], name="breq_client_status"),
            models.Index(fields=["expires_at"], name="breq_expiry_due", condition=models.Q(expires_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "active", "rejected", "closed", "expired"]),
                name="breq_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(visibility__in=["public", "invited"]), name="breq_visibility"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""), name="breq_rejected_has_reason"
            ),
            models.CheckConstraint(condition=models.Q(budget_min__gt=0), name="breq_budget_positive"),
            models.CheckConstraint(
                condition=models.Q(budget_max__gte=models.F("budget_min")), name="breq_budget_range_ordered"
            ),
            # The expiry timer runs exactly while the request is active.
            models.CheckConstraint(
                condition=models.Q(status="active", expires_at__isnull=False)
                | (~models.Q(status="active") & models.Q(expires_at__isnull=True)),
                name="breq_expiry_only_active",
            ),
            models.CheckConstraint(
                condition=models.Q(hired_at__isnull=True) | models.Q(status="closed"), name="breq_hired_is_closed"
            ),
        ]
        permissions = [("moderate_buyerrequest", "Can approve and reject buyer requests")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_fixed_budget(self) -> bool:
        return self.budget_min == self.budget_max

    @property
    def is_hired(self) -> bool:
        return self.hired_at is not None


class RequestFile(models.Model):
    request = models.ForeignKey(BuyerRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=private_upload_to, storage=private_storage)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(verbose_name=_("size"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("request file")
        verbose_name_plural = _("request files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A client asked this freelancer to send an offer (the only way into an invited-only request)."""

    request = models.ForeignKey(BuyerRequest, on_delete=models.CASCADE, related_name="invitations")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="request_invitations",
        verbose_name=_("freelancer"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["request", "freelancer"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} -> {self.freelancer_id}"


class Offer(models.Model):
    """A freelancer's answer to a request. Editable and withdrawable while `sent`.

    Quota: an offer counts against its freelancer's daily quota on the day it was created,
    unless `quota_returned_at` is set (the client never opened it within the return period);
    a returned offer adds one to the quota of the day it was returned.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")
        ACCEPTED = "accepted", _("Accepted")

    class DeclineKind(models.TextChoices):
        CLIENT = "client", _("Declined by the client")
        OTHER_CHOSEN = "other_chosen", _("Another offer was chosen")

    request = models.ForeignKey(
        BuyerRequest, on_delete=models.CASCADE, related_name="offers", verbose_name=_("request")
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_offers", verbose_name=_("freelancer")
    )
    message = models.TextField(_("message"), max_length=3000)
    price = MoneyField(_("price"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY)
    delivery_days = models.PositiveSmallIntegerField(
        _("delivery, days"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    revisions = models.PositiveSmallIntegerField(_("revisions"), validators=[MaxValueValidator(20)])
    milestones = models.JSONField(_("milestones"), default=list, blank=True)  # [{"title", "amount", "days"}]
    gig = models.ForeignKey(
        "gigs.Gig", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("gig")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    decline_kind = models.CharField(
        max_length=16, choices=DeclineKind.choices, blank=True, verbose_name=_("why declined")
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("order")
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    opened_at = models.DateTimeField(_("opened by the client"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    quota_returned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("returned to the quota at"))

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["freelancer", "created_at"], name="offer_freelancer_day"),
            models.Index(fields=["request", "status"], name="offer_request_status"),
            # The quota-return sweep reads only offers nobody opened and nothing returned yet.
            models.Index(
                fields=["created_at"],
                name="offer_quota_return_due",
                condition=models.Q(opened_at__isnull=True, quota_returned_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["request", "freelancer"], name="offer_one_per_freelancer"),
            # Single hire: a request never has two accepted offers, whatever the code does.
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(status="accepted"), name="offer_one_accepted_per_request"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["sent", "withdrawn", "declined", "accepted"]), name="offer_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="offer_price_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery_days__gte=1, delivery_days__lte=90), name="offer_days_range"
            ),
            models.CheckConstraint(condition=models.Q(revisions__lte=20), name="offer_revisions_range"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.freelancer_id} {self.price}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SENT


class RequestEvent(models.Model):
    """Audit trail of requests and offers, and the outbox of their emails: an event with a
    `recipient` is emailed once (the task and the sweep both lock it and set `notified_at`)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sent to moderation")
        EDITED = "edited", _("Edited")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")
        RENEWED = "renewed", _("Renewed")
        INVITED = "invited", _("Freelancer invited")
        OFFER_SENT = "offer_sent", _("New offer")
        OFFER_EDITED = "offer_edited", _("Offer edited")
        OFFER_WITHDRAWN = "offer_withdrawn", _("Offer withdrawn")
        OFFER_DECLINED = "offer_declined", _("Offer declined")
        OFFER_ACCEPTED = "offer_accepted", _("Offer accepted")

    request = models.ForeignKey(BuyerRequest, on_delete=models.CASCADE, related_name="events")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    from_status = models.CharField(max_length=10, blank=True, verbose_name=_("status before"))
    to_status = models.CharField(max_length=10, blank=True, verbose_name=_("status after"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="breq_event_unnotified",
                condition=models.Q(notified_at__isnull=True, recipient__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.kind}"


class RequestAlert(models.Model):
    """A freelancer wants to hear about new public requests in this category."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_alerts", verbose_name=_("user")
    )
    category = models.ForeignKey(
        "gigs.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("request alert")
        verbose_name_plural = _("request alerts")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="request_alert_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.category_id}"


class RequestAlertDigest(models.Model):
    """The batching timer of one freelancer's alert emails (a row, swept by beat).

    `due_at` is set when a matching request goes live: now, or an interval after the last
    email, so one email per interval carries every request published since `since`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="request_alert_digest"
    )
    since = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["due_at"], name="request_alert_due", condition=models.Q(due_at__isnull=False))]

    def __str__(self) -> str:
        return f"{self.user_id}: due {self.due_at}"
