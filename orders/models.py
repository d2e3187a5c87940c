import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from escrow.fees import RATE_DECIMAL_PLACES, RATE_MAX_DIGITS
from marketplace.uploads import private_storage

from .pricing import seller_payout


class Order(models.Model):
    """One purchase of a gig package. Everything the buyer saw at checkout is copied here,
    so later edits of the gig never change a placed order.

    Timers are columns: a sweep finds the rows whose time has come (payment expiry,
    auto-complete, a mutual cancellation nobody answered) and calls the same service a
    person would. A timer column is NULL when its timer is not running.
    """

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        AWAITING_REQUIREMENTS = "awaiting_requirements", _("Awaiting requirements")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        DISPUTED = "disputed", _("In dispute")

    ACTIVE_STATUSES = (Status.AWAITING_REQUIREMENTS, Status.IN_PROGRESS, Status.DELIVERED, Status.DISPUTED)

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("buyer")
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sales", verbose_name=_("seller")
    )
    gig = models.ForeignKey(
        "gigs.Gig", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders", verbose_name=_("gig")
    )
    package = models.ForeignKey(
        "gigs.GigPackage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("package"),
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PENDING_PAYMENT)

    # --- what was bought (snapshot) ---
    gig_title = models.CharField(_("service"), max_length=80)
    package_name = models.CharField(_("package"), max_length=40)
    package_tier = models.PositiveSmallIntegerField(default=1, verbose_name=_("package tier"))
    package_description = models.TextField(_("what is included"), blank=True)
    package_price = MoneyField(
        max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY, verbose_name=_("package price")
    )
    # Package plus extras: the price of one unit; `total` is this times the quantity.
    unit_price = MoneyField(
        max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY, verbose_name=_("price of one")
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    extras = models.JSONField(_("extras"), default=list, blank=True)  # [{"title", "price", "days"}]
    total = MoneyField(_("total"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY)
    delivery_days = models.PositiveSmallIntegerField(_("delivery, days"))
    revision_days = models.PositiveSmallIntegerField(default=1, verbose_name=_("days added by a revision"))
    revisions_included = models.PositiveSmallIntegerField(_("revisions included"), default=0)
    revisions_used = models.PositiveSmallIntegerField(_("revisions used"), default=0)
    # The blended tier rate from escrow.fees, at full precision so the fee is exact.
    fee_rate = models.DecimalField(_("fee rate"), max_digits=RATE_MAX_DIGITS, decimal_places=RATE_DECIMAL_PLACES)
    # [{"id", "text", "kind", "choices", "required"}]
    questions = models.JSONField(default=list, blank=True, verbose_name=_("requirements questions"))

    # --- life ---
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    was_late = models.BooleanField(default=False, verbose_name=_("was late"))
    fee = MoneyField(
        max_digits=12,
        decimal_places=2,
        default_currency=settings.MARKETPLACE_CURRENCY,
        null=True,
        blank=True,
        verbose_name=_("fee"),
    )

    # --- timers (NULL: not running) ---
    payment_expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("to be paid by"))
    auto_complete_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completes by itself at"))
    cancel_auto_accept_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("cancellation accepted by itself at")
    )

    # --- cancellation ---
    class CancelKind(models.TextChoices):
        UNPAID = "unpaid", _("Not paid in time")
        BUYER_FREE = "buyer_free", _("Cancelled by the buyer right after paying")
        BUYER_LATE = "buyer_late", _("Cancelled by the buyer: the seller was late")
        MUTUAL = "mutual", _("Cancelled by mutual agreement")
        SELLER = "seller", _("Cancelled by the seller")
        DISPUTE = "dispute", _("Refunded after a dispute")

    cancel_kind = models.CharField(
        max_length=16, choices=CancelKind.choices, blank=True, verbose_name=_("kind of cancellation")
    )

    # --- completion: how a completed order ended (orders.stats counts a split as not done) ---
    class CompletionKind(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by the buyer")
        AUTO = "auto", _("Accepted automatically")
        DISPUTE = "dispute", _("Released to the seller after a dispute")
        SPLIT = "split", _("Split after a dispute")

    completion_kind = models.CharField(
        _("how it was completed"), max_length=16, choices=CompletionKind.choices, blank=True, default="", db_default=""
    )
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    cancel_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancellation asked by"),
    )
    cancel_request_reason = models.TextField(blank=True, verbose_name=_("reason for the cancellation request"))
    status_before_dispute = models.CharField(max_length=24, blank=True, verbose_name=_("status before the dispute"))

    # --- milestones: a large offer split into parts, each an order of its own with its own
    # escrow, funded before it starts and released on its own acceptance. The first part
    # is the `parent` of the others.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_milestones",
        verbose_name=_("first milestone"),
    )
    milestone_number = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("milestone number"))
    milestone_count = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("milestones in the contract")
    )
    milestone_title = models.CharField(_("milestone"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["buyer", "status", "-created_at"], name="order_buyer_status"),
            models.Index(fields=["seller", "status", "-created_at"], name="order_seller_status"),
            # The sweeps read only the rows whose timer runs.
            models.Index(fields=["auto_complete_at"], name="order_autocomplete_due",
                         condition=models.Q(auto_complete_at__isnull=False)),
            models.Index(fields=["payment_expires_at"], name="order_payment_due",
                         condition=models.Q(payment_expires_at__isnull=False)),
            models.Index(fields=["cancel_auto_accept_at"], name="order_cancel_due",
                         condition=models.Q(cancel_auto_accept_at__isnull=False)),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(condition=~models.Q(buyer=models.F("seller")), name="order_not_own_gig"),
            models.CheckConstraint(condition=models.Q(total__gt=0), name="order_total_positive"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1, quantity__lte=10), name="order_quantity_range"),
            models.CheckConstraint(
                condition=models.Q(revisions_used__lte=models.F("revisions_included")), name="order_revisions_limit"
            ),
            models.CheckConstraint(condition=models.Q(fee_rate__gte=0, fee_rate__lt=1), name="order_fee_rate_range"),
            # A timer runs only in the state it belongs to.
            models.CheckConstraint(
                condition=models.Q(auto_complete_at__isnull=True) | models.Q(status="delivered"),
                name="order_autocomplete_only_delivered",
            ),
            models.CheckConstraint(
                condition=models.Q(payment_expires_at__isnull=True) | models.Q(status="pending_payment"),
                name="order_payment_timer_only_unpaid",
            ),
            models.CheckConstraint(
                condition=models.Q(milestone_number__isnull=True)
                | models.Q(milestone_number__gte=1, milestone_number__lte=models.F("milestone_count")),
                name="order_milestone_number_range",
            ),
            models.UniqueConstraint(fields=["parent", "milestone_number"], name="order_milestone_unique"),
            models.CheckConstraint(
                condition=(models.Q(status="completed") & ~models.Q(completion_kind=""))
                | (~models.Q(status="completed") & models.Q(completion_kind="")),
                name="order_completion_kind_when_completed",
            ),
        ]
        permissions = [("resolve_dispute", "Can resolve order disputes")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.gig_title}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_late(self) -> bool:
        return (
            self.status in (self.Status.IN_PROGRESS,)
            and self.deadline_at is not None
            and timezone.now() > self.deadline_at
        )

    @property
    def status_label(self) -> str:
        """The status as people read it: a split after a dispute is not "Completed"."""
        if self.completion_kind == self.CompletionKind.SPLIT:
            return _("Split by arbitration")
        return self.get_status_display()

    @cached_property
    def payout(self):
        """What the seller gets (orders.pricing.seller_payout), for the order and sales pages."""
        return seller_payout(self)

    @property
    def revisions_left(self) -> int:
        return max(self.revisions_included - self.revisions_used, 0)

    @property
    def is_milestone(self) -> bool:
        return self.milestone_number is not None

    @property
    def milestone_group_id(self) -> int | None:
        return (self.parent_id or self.pk) if self.is_milestone else None

    def party_role(self, user) -> str:
        if user.pk == self.buyer_id:
            return "buyer"
        if user.pk == self.seller_id:
            return "seller"
        return ""

    def other_party(self, user):
        return self.seller if user.pk == self.buyer_id else self.buyer


class OrderEvent(models.Model):
    """Every change of an order: its timeline on the order page and the audit trail."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Order placed")
        PAID = "paid", _("Paid")
        REQUIREMENTS = "requirements", _("Requirements sent")
        DELIVERED = "delivered", _("Work delivered")
        REVISION = "revision", _("Revision requested")
        ACCEPTED = "accepted", _("Work accepted")
        AUTO_COMPLETED = "auto_completed", _("Completed automatically")
        CANCEL_REQUESTED = "cancel_requested", _("Cancellation requested")
        CANCEL_DECLINED = "cancel_declined", _("Cancellation declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Payment time ran out")
        DISPUTE_OPENED = "dispute_opened", _("Dispute opened")
        DISPUTE_RESOLVED = "dispute_resolved", _("Dispute resolved")
        EARNINGS_CLEARED = "earnings_cleared", _("Earnings available")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("actor")
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, verbose_name=_("kind"))
    from_status = models.CharField(max_length=24, blank=True, verbose_name=_("status before"))
    to_status = models.CharField(max_length=24, blank=True, verbose_name=_("status after"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created"))
    # NULL until the email about this event went out; a sweep retries what the broker lost.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["created_at"], name="order_event_unnotified",
                         condition=models.Q(notified_at__isnull=True)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.order_id} {self.kind}"


def private_upload_to(instance, filename: str) -> str:
    # Never under a public URL: files are served by an access-checked view.
    suffix = "".join(c for c in (filename.rsplit(".", 1)[-1] if "." in filename else "bin") if c.isalnum())[:8]
    return f"private/orders/{uuid.uuid4().hex}.{suffix.lower() or 'bin'}"


def private_thumbnail_upload_to(instance, filename: str) -> str:
    return f"private/orders/thumbs/{uuid.uuid4().hex}.jpg"


# Delivered files with these endings get a thumbnail on the order page (if Pillow reads them).
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif"})


class OrderFile(models.Model):
    """A file attached to an order: a requirement answer, a delivery or dispute evidence."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="files")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    file = models.FileField(upload_to=private_upload_to, storage=private_storage)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    delivery = models.ForeignKey("Delivery", on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    # A re-encoded JPEG preview of a delivered image, private like the file and served by the
    # same access check; the file itself stays exactly as the seller uploaded it.
    thumbnail = models.FileField(upload_to=private_thumbnail_upload_to, storage=private_storage, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def looks_like_image(self) -> bool:
        return "." in self.name and self.name.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS


class RequirementAnswer(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=300)
    kind = models.CharField(max_length=8)
    answer = models.TextField(blank=True)
    file = models.ForeignKey(OrderFile, on_delete=models.SET_NULL, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.question


class Delivery(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deliveries")
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    message = models.TextField(verbose_name=_("message"))
    revision_reason = models.TextField(
        blank=True, verbose_name=_("revision asked for because")
    )  # filled when the buyer asks for a revision
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="delivery_number_unique")]

    def __str__(self) -> str:
        return f"#{self.order_id}/{self.number}"


class Dispute(models.Model):
    class Outcome(models.TextChoices):
        RELEASE = "release", _("Release to the seller")
        REFUND = "refund", _("Refund the buyer")
        SPLIT = "split", _("Split")

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="dispute")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(auto_now_add=True, verbose_name=_("opened at"))
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices, blank=True)
    seller_percent = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("seller's share, %"))
    decision = models.TextField(_("written decision"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seller_percent__isnull=True) | models.Q(seller_percent__lte=100),
                name="dispute_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | (~models.Q(outcome="") & ~models.Q(decision="")),
                name="dispute_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Dispute on #{self.order_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
