import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from marketplace.uploads import private_storage


class Conversation(models.Model):
    """Messages between two people: one direct conversation per pair, plus one thread per
    order (`order` set). The pair is stored ordered (`user_low` < `user_high`) so that the
    database can refuse a second direct conversation between the same two people."""

    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("first person")
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("second person")
    )
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="thread", verbose_name=_("order")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    # Kept by the services, so the inbox reads one row per conversation.
    last_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name=_("last message at"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user_low__lt=models.F("user_high")), name="conversation_pair_ordered"
            ),
            models.UniqueConstraint(
                fields=["user_low", "user_high"],
                condition=models.Q(order__isnull=True),
                name="conversation_one_direct_per_pair",
            ),
        ]

    def __str__(self) -> str:
        if self.order_id:
            return f"#{self.order_id} {self.user_low_id}-{self.user_high_id}"
        return f"{self.user_low_id}-{self.user_high_id}"

    @property
    def user_ids(self) -> tuple[int, int]:
        return (self.user_low_id, self.user_high_id)

    def other_user_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id


class Participant(models.Model):
    """One of the two people of a conversation: what they have read and when they were
    last emailed about it. Read receipts are ids: every message with an id up to
    `last_read_id` is read (ids grow within a conversation: sends lock the conversation)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_parts")
    # The other person, kept here so the inbox reads and searches one join.
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_read_id = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # The latest message the partner sent here (system lines are nobody's): a conversation
    # has something unread for this person only while it is above `last_read_id`, so the
    # header's counter reads those conversations alone, not every one a person ever had.
    last_incoming_id = models.BigIntegerField(default=0)
    # Email batching: set when a message arrives for this person, cleared by the sweep.
    email_due_at = models.DateTimeField(null=True, blank=True)
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    last_emailed_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_once_per_conversation"),
            models.CheckConstraint(condition=~models.Q(user=models.F("partner")), name="participant_not_own_partner"),
        ]
        indexes = [
            models.Index(fields=["user", "-last_message_at"], name="participant_inbox"),
            models.Index(fields=["email_due_at"], name="participant_email_due",
                         condition=models.Q(email_due_at__isnull=False)),
            models.Index(fields=["user"], name="participant_unread",
                         condition=models.Q(last_incoming_id__gt=models.F("last_read_id"))),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Message(models.Model):
    """A message as written. `body_masked` is the same text with contacts hidden: what the
    recipient sees while no paid order exists between the two; staff always see `body`.

    A system line (no sender) shows an order event; its text is rendered from
    `system_kind` at display time, so each reader sees it in their own language."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages_sent",
        verbose_name=_("sender"),
    )
    body = models.TextField(_("text"), blank=True)
    body_masked = models.TextField(_("text with contacts hidden"), blank=True)
    # What the contact detector found: a list of kinds ("email", "phone", "messenger", "payment").
    flags = models.JSONField(_("found"), default=list, blank=True)
    # Found while no paid order existed between the two: the list moderators read.
    flagged = models.BooleanField(_("contacts hidden"), default=False)
    gig = models.ForeignKey(
        "gigs.Gig", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("quoted gig")
    )
    system_kind = models.CharField(_("order event"), max_length=24, blank=True)
    order_event = models.OneToOneField(
        "orders.OrderEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="thread_message"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["conversation", "id"], name="message_conversation_id"),
            models.Index(fields=["created_at"], name="message_flagged", condition=models.Q(flagged=True)),
        ]
        constraints = [
            # A person's message has a sender; a system line has an event kind and no sender.
            models.CheckConstraint(
                condition=(models.Q(sender__isnull=False) & models.Q(system_kind=""))
                | (models.Q(sender__isnull=True) & ~models.Q(system_kind="")),
                name="message_sender_or_system",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}/{self.pk}"

    @property
    def is_system(self) -> bool:
        return self.sender_id is None


class FlaggedMessage(Message):
    """Messages in which contacts were hidden: a list for moderators in admin."""

    class Meta:
        proxy = True
        verbose_name = _("flagged message")
        verbose_name_plural = _("flagged messages")


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # Never under a public URL: the public media route serves only avatars/ and gigs/.
    suffix = "".join(c for c in (filename.rsplit(".", 1)[-1] if "." in filename else "bin") if c.isalnum())[:8]
    return f"private/messages/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{suffix.lower() or 'bin'}"


def thumbnail_upload_to(instance: "Attachment", filename: str) -> str:
    return f"private/messages/thumbs/{uuid.uuid4().hex}.jpg"


class Attachment(models.Model):
    """A file sent with a message, served only by an access-checked view. Images were
    re-encoded (never stored as uploaded) and have a thumbnail."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200, storage=private_storage)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    is_image = models.BooleanField(default=False)
    thumbnail = models.FileField(upload_to=thumbnail_upload_to, max_length=200, blank=True, storage=private_storage)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class MessagingPreference(models.Model):
    """A person's choices about messages. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="messaging_preference"
    )
    email_notifications = models.BooleanField(
        _("Email me about new messages"),
        default=True,
        help_text=_("Only about messages you have not read yet; several messages in a row come as one email."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("messaging preference")
        verbose_name_plural = _("messaging preferences")

    def __str__(self) -> str:
        return str(self.user_id)


class CustomOffer(models.Model):
    """An individual offer a freelancer sends inside a conversation (Kwork's "individual
    kwork"): the client accepts it, which places an order on these terms, or declines."""

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="custom_offers")
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="custom_offer")
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("what you will do"), max_length=3000)
    price = MoneyField(_("price"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY)
    delivery_days = models.PositiveSmallIntegerField(_("delivery, days"))
    revisions = models.PositiveSmallIntegerField(_("revisions"))
    milestones = models.JSONField(default=list, blank=True)  # [{"title", "amount", "days"}]
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decline_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("custom offer")
        verbose_name_plural = _("custom offers")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="custom_offer_price_positive"),
            models.CheckConstraint(condition=~models.Q(seller=models.F("buyer")), name="custom_offer_not_self"),
            models.CheckConstraint(
                condition=models.Q(order__isnull=True) | models.Q(status="accepted"),
                name="custom_offer_order_only_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.title
