from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Review(models.Model):
    """One side's review of the other after a completed order.

    Double-blind: a review stays hidden (`visible_at` NULL) until both sides have written
    theirs or the review window closes (`reveal_due_at`, swept by a beat task); both are
    revealed in the same transaction, and the rating aggregates are updated there too.
    """

    class Role(models.TextChoices):
        BUYER = "buyer", _("Buyer about the seller")
        SELLER = "seller", _("Seller about the buyer")

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("order"))
    role = models.CharField(max_length=8, choices=Role.choices, verbose_name=_("role"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_written", verbose_name=_("author")
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_received", verbose_name=_("about")
    )
    gig = models.ForeignKey(
        "gigs.Gig", on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews", verbose_name=_("gig")
    )
    rating = models.PositiveSmallIntegerField(_("overall rating"))
    communication = models.PositiveSmallIntegerField(_("communication"), null=True, blank=True)
    quality = models.PositiveSmallIntegerField(_("quality"), null=True, blank=True)
    on_time = models.PositiveSmallIntegerField(_("on time"), null=True, blank=True)
    text = models.TextField(_("review"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    reveal_due_at = models.DateTimeField(verbose_name=_("shown to both at the latest"))
    visible_at = models.DateTimeField(null=True, blank=True, verbose_name=_("visible since"))
    hidden_reason = models.TextField(_("hidden by staff because"), blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hidden at"))
    reply = models.TextField(_("seller's reply"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("replied at"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-visible_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "role", "-visible_at"], name="review_subject_visible"),
            models.Index(fields=["gig", "-visible_at"], name="review_gig_visible"),
            models.Index(
                fields=["reveal_due_at"], name="review_reveal_due", condition=models.Q(visible_at__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "role"], name="review_one_per_side"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_range"),
            models.CheckConstraint(
                condition=(models.Q(communication__isnull=True) | models.Q(communication__gte=1, communication__lte=5))
                & (models.Q(quality__isnull=True) | models.Q(quality__gte=1, quality__lte=5))
                & (models.Q(on_time__isnull=True) | models.Q(on_time__gte=1, on_time__lte=5)),
                name="review_details_range",
            ),
            models.CheckConstraint(condition=~models.Q(author=models.F("subject")), name="review_not_self"),
            models.CheckConstraint(
                condition=models.Q(reply="") | models.Q(role="buyer"), name="review_reply_only_on_buyer_review"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.order_id} {self.role} {self.rating}"

    @property
    def is_visible(self) -> bool:
        return self.visible_at is not None and not self.hidden_at
