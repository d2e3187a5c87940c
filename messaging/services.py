"""Every write to messages: sending (with the contact check, attachments and the rate
limit), read receipts, order events in order threads, email batching and preferences.

Sending locks the conversation row, so two messages of one conversation get their ids in
the order they commit: read receipts are "everything up to id N", and a message that
committed late with a smaller id would otherwise count as read without being seen.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.errors import DomainError
from marketplace.images import ImageRejected, reencode_image
from marketplace.uploads import UploadRejected, check_uploads, clean_filename
from orders.models import Order, OrderEvent

from . import conf, contacts, selectors
from .display import THREAD_EVENT_KINDS, present
from .models import Attachment, Conversation, Message, MessagingPreference, Participant

logger = logging.getLogger(__name__)

# Re-encoded with Pillow (validated, stripped, thumbnailed); anything else is a download.
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}


class MessagingError(DomainError):
    pass


class RateLimited(MessagingError):
    pass


class ContactsWarning(MessagingError):
    """The text shares contacts while no paid order exists: the sender must confirm first."""

    def __init__(self, findings: list[contacts.Finding]):
        super().__init__(
            _("This message contains contacts or asks to pay outside the site. They will be hidden from the recipient.")
        )
        self.findings = findings
        self.kinds = contacts.kinds(findings)


@dataclass
class PreparedFile:
    name: str
    content: File
    size: int
    is_image: bool = False
    thumbnail: File | None = field(default=None)


# --- sending ---------------------------------------------------------------------------------


def message_send(
    *,
    sender: User,
    body: str,
    files: list[UploadedFile] | tuple = (),
    conversation_id: int | None = None,
    recipient: User | None = None,
    order_id: int | None = None,
    gig_id: int | None = None,
    confirm_contacts: bool = False,
) -> Message:
    """Send a message into a conversation, to a person (their direct conversation, created
    on the first message), or into an order's thread (created when needed).

    Raises ContactsWarning (nothing written) when the text shares contacts while no paid
    order exists between the two and `confirm_contacts` is not set; UploadRejected for a
    bad file; RateLimited when the sender writes too fast.
    """
    body = _clean_body(body)
    files = list(files)
    if not body and not files:
        raise MessagingError(_("Write a message or attach a file."))
    if len(body) > conf.max_length():
        raise MessagingError(_("The message is too long: at most %(n)s characters.") % {"n": conf.max_length()})
    conversation, partner, order = _resolve_target(
        sender=sender, conversation_id=conversation_id, recipient=recipient, order_id=order_id
    )
    findings = contacts.detect(body)
    unlocked = selectors.contacts_unlocked(user_a_id=sender.pk, user_b_id=partner.pk)
    if findings and not unlocked and not confirm_contacts:
        raise ContactsWarning(findings)
    prepared = _prepare_files(files)
    _take_rate_token(sender.pk)
    gig = selectors.gig_for_quote(gig_id=gig_id, user_ids=(sender.pk, partner.pk))

    with transaction.atomic():
        if conversation is None:
            conversation = _conversation_ensure(user_a_id=sender.pk, user_b_id=partner.pk, order=order)
        conversation = Conversation.objects.select_for_update(no_key=True).get(pk=conversation.pk)
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            body=body,
            body_masked=contacts.mask(body, findings),
            flags=contacts.kinds(findings),
            flagged=bool(findings) and not unlocked,
            gig=gig,
        )
        _store_files(message, prepared)
        _after_new_message(conversation, message, sender_id=sender.pk, recipient_id=partner.pk)
    return message


def _clean_body(body: str) -> str:
    return (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _resolve_target(
    *, sender: User, conversation_id: int | None, recipient: User | None, order_id: int | None
) -> tuple[Conversation | None, User, Order | None]:
    if conversation_id is not None:
        conversation = Conversation.objects.select_related("order").filter(pk=conversation_id).first()
        if conversation is None or sender.pk not in conversation.user_ids:
            raise MessagingError(_("There is no such conversation."))
        partner = User.objects.get(pk=conversation.other_user_id(sender.pk))
        order = conversation.order
    elif order_id is not None:
        order = Order.objects.select_related("buyer", "seller").filter(pk=order_id).first()
        if order is None or not order.party_role(sender):
            raise MessagingError(_("There is no such order."))
        partner = order.other_party(sender)
        conversation = selectors.order_conversation(order=order)
    elif recipient is not None:
        if recipient.pk == sender.pk:
            raise MessagingError(_("You cannot write to yourself."))
        partner, order = recipient, None
        conversation = selectors.direct_conversation_between(user_a=sender, user_b=recipient)
    else:
        raise MessagingError(_("There is no such conversation."))
    if not partner.is_active:
        raise MessagingError(_("This account is closed: it cannot receive messages."))
    return conversation, partner, order


def _conversation_ensure(*, user_a_id: int, user_b_id: int, order: Order | None = None) -> Conversation:
    """The direct conversation of the pair, or the order's thread; created with both
    participant rows if missing. Two first messages at once: the unique constraints let
    one insert win and the other reads the winner's row."""
    low, high = selectors.pair(user_a_id, user_b_id)
    existing = Conversation.objects.filter(order=order) if order else Conversation.objects.filter(order__isnull=True)
    conversation = existing.filter(user_low_id=low, user_high_id=high).first()
    if conversation is not None:
        return conversation
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(user_low_id=low, user_high_id=high, order=order)
            Participant.objects.bulk_create(
                [
                    Participant(conversation=conversation, user_id=low, partner_id=high),
                    Participant(conversation=conversation, user_id=high, partner_id=low),
                ]
            )
    except IntegrityError:
        conversation = existing.get(user_low_id=low, user_high_id=high)
    return conversation


def _after_new_message(conversation: Conversation, message: Message, *, sender_id=None, recipient_id=None) -> None:
    """The conversation's last message, both inbox rows, the sender's read mark, and the
    recipient's email timer: emailed after a short delay (a reader online gets no email),
    and never sooner than the interval after the last email about this conversation."""
    now = message.created_at
    Conversation.objects.filter(pk=conversation.pk).update(last_message=message, last_message_at=now)
    rows = Participant.objects.filter(conversation=conversation)
    if sender_id is None:  # a system line: nobody's incoming message
        rows.update(last_message_at=now)
        return
    incoming = Case(
        When(user_id=recipient_id, then=Value(message.pk)),
        default=F("last_incoming_id"),
        output_field=BigIntegerField(),
    )
    rows.update(last_message_at=now, last_incoming_id=incoming)
    Participant.objects.filter(conversation=conversation, user_id=sender_id, last_read_id__lt=message.pk).update(
        last_read_id=message.pk, last_read_at=now
    )
    # Locked: the sweep may be emailing this person about this conversation right now.
    recipient = Participant.objects.select_for_update(no_key=True).get(conversation=conversation, user_id=recipient_id)
    if recipient.email_due_at is None:
        due = now + timedelta(seconds=conf.email_delay_seconds())
        if recipient.last_emailed_at is not None:
            due = max(due, recipient.last_emailed_at + timedelta(minutes=conf.email_interval_minutes()))
        recipient.email_due_at = due
        recipient.save(update_fields=["email_due_at"])


def _prepare_files(files: list[UploadedFile]) -> list[PreparedFile]:
    """Check every file before anything is written: one bad file refuses the message."""
    check_uploads(files, max_bytes=conf.attachment_max_bytes(), max_files=conf.max_attachments())
    prepared = []
    for upload in files:
        name = clean_filename(upload.name or "")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in IMAGE_EXTENSIONS:
            prepared.append(PreparedFile(name=name, content=upload, size=upload.size))
            continue
        try:
            image = reencode_image(
                upload,
                max_bytes=conf.attachment_max_bytes(),
                max_pixels=conf.image_max_pixels(),
                max_side=conf.image_side(),
            )
            thumbnail = reencode_image(
                image, max_bytes=conf.attachment_max_bytes(), max_pixels=conf.image_max_pixels(),
                max_side=conf.thumbnail_side(),
            )  # fmt: skip
        except ImageRejected as exc:
            raise UploadRejected(_("“%(name)s”: %(error)s") % {"name": name, "error": exc.message}) from None
        stem = name.rsplit(".", 1)[0]
        prepared.append(
            PreparedFile(name=f"{stem}.jpg", content=image, size=image.size, is_image=True, thumbnail=thumbnail)
        )
    return prepared


def _store_files(message: Message, prepared: list[PreparedFile]) -> None:
    for item in prepared:
        attachment = Attachment(message=message, name=item.name, size=item.size, is_image=item.is_image)
        attachment.file.save(item.name, item.content, save=False)
        if item.thumbnail is not None:
            attachment.thumbnail.save("thumb.jpg", item.thumbnail, save=False)
        attachment.save()


def _take_rate_token(user_id: int) -> None:
    """Fixed window in the shared cache, so every web process counts the same messages."""
    limit, window = conf.rate_limit()
    key = f"messaging:sent:{user_id}:{int(time.time() // window)}"
    try:
        count = 1 if cache.add(key, 1, timeout=window + 5) else cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    except Exception:
        # A cache outage must not stop people from talking; the limit is a brake, not a lock.
        logger.warning("Message rate limit unavailable", exc_info=True)
        return
    if count > limit:
        raise RateLimited(
            _("You are sending messages too fast: at most %(n)s a minute. Wait a little and try again.") % {"n": limit}
        )


# --- reading ---------------------------------------------------------------------------------


def conversation_mark_read(*, conversation_id: int, user: User, up_to_id: int) -> bool:
    """Mark everything up to `up_to_id` as read by `user`; never moves the mark back."""
    updated = Participant.objects.filter(conversation_id=conversation_id, user=user, last_read_id__lt=up_to_id).update(
        last_read_id=up_to_id, last_read_at=timezone.now()
    )
    return bool(updated)


# --- order threads -----------------------------------------------------------------------------


def order_thread_post_event(*, order: Order, event: OrderEvent) -> Message | None:
    """Show an order event in the order's thread as a system line.

    Called inside the order's transaction (after the order row is locked), so it must
    never fail it: the writes run in a savepoint and any error is logged and dropped. The
    line stores only the event; its text is rendered in each reader's language.
    """
    if event.kind not in THREAD_EVENT_KINDS:
        return None
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _order_thread_post(order=order, event=event)
        except IntegrityError:
            # Someone's first message on the order page created the thread at the same
            # moment (or the line is there already): once more, with the thread as it is now.
            if attempt == 2:
                logger.exception("Could not post order event %s to the order's thread", event.pk)
        except Exception:
            logger.exception("Could not post order event %s to the order's thread", event.pk)
            return None
    return None


def _order_thread_post(*, order: Order, event: OrderEvent) -> Message | None:
    # Locked, like every send: message ids follow the order in which they commit.
    conversation = Conversation.objects.select_for_update(no_key=True).filter(order=order).first()
    if conversation is None:
        return _order_thread_start(order=order, event=event)
    if Message.objects.filter(order_event=event).exists():
        return None
    message = Message.objects.create(conversation=conversation, system_kind=event.kind, order_event=event)
    _after_new_message(conversation, message)
    return message


def _order_thread_start(*, order: Order, event: OrderEvent) -> Message:
    """The thread with its first line (usually the payment): each row written once, the
    participants already knowing the last message. A new thread is ours alone until we
    commit and has no lines yet: nothing to lock or look up."""
    low, high = selectors.pair(order.buyer_id, order.seller_id)
    conversation = Conversation.objects.create(user_low_id=low, user_high_id=high, order=order)
    message = Message.objects.create(conversation=conversation, system_kind=event.kind, order_event=event)
    now = message.created_at
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user_id=low, partner_id=high, last_message_at=now),
            Participant(conversation=conversation, user_id=high, partner_id=low, last_message_at=now),
        ]
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message=message, last_message_at=now)
    return message


# --- preferences -------------------------------------------------------------------------------


def messaging_preference_set(*, user: User, email_notifications: bool) -> MessagingPreference:
    preference, _created = MessagingPreference.objects.update_or_create(
        user=user, defaults={"email_notifications": email_notifications}
    )
    return preference


# --- email batching ----------------------------------------------------------------------------

EMAIL_MESSAGES_SHOWN = 5


def message_emails_send_due(*, now=None, limit: int = 500) -> int:
    """Email everyone whose timer is due about what they have not read, one email per
    conversation. Safe to run twice or concurrently: each row is locked with SKIP LOCKED
    and its timer cleared in the same transaction as the email is sent."""
    now = now or timezone.now()
    ids = list(
        Participant.objects.filter(email_due_at__lte=now).order_by("email_due_at").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for participant_id in ids if _email_participant(participant_id=participant_id, now=now))


def _email_participant(*, participant_id: int, now) -> bool:
    with transaction.atomic():
        row = (
            Participant.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .select_related("user__messaging_preference", "partner__profile", "conversation__order")
            .filter(pk=participant_id, email_due_at__lte=now)
            .first()
        )
        if row is None:
            return False
        unread = (
            Message.objects.filter(
                conversation_id=row.conversation_id,
                pk__gt=max(row.last_read_id, row.last_emailed_id),
                sender__isnull=False,
            )
            .exclude(sender_id=row.user_id)
            .select_related("sender__profile")
            .prefetch_related("attachments")
            .order_by("-id")
        )
        shown = list(unread[:EMAIL_MESSAGES_SHOWN])
        row.email_due_at = None
        fields = ["email_due_at"]
        sent = False
        person = row.user
        if shown and person.is_active and person.email and selectors.email_preference(user=person):
            total = unread.count() if len(shown) == EMAIL_MESSAGES_SHOWN else len(shown)
            _send_new_messages_email(row, list(reversed(shown)), total)
            row.last_emailed_at = now
            row.last_emailed_id = shown[0].pk
            fields += ["last_emailed_at", "last_emailed_id"]
            sent = True
        row.save(update_fields=fields)
    return sent


def _send_new_messages_email(row: Participant, messages: list[Message], total: int) -> None:
    person, conversation = row.user, row.conversation
    unlocked = selectors.contacts_unlocked(user_a_id=person.pk, user_b_id=row.partner_id)
    with translation.override(person.language):
        present(messages, viewer=person, unlocked=unlocked)
        if conversation.order_id:
            subject = _("New messages about order #%(id)s") % {"id": conversation.order_id}
        else:
            subject = _("New messages from %(name)s") % {"name": row.partner.display_name}
        context = {
            "person": person,
            "partner": row.partner,
            "conversation": conversation,
            "messages": messages,
            "total": total,
            "more": total - len(messages),
            "url": conf.site_url() + reverse("messaging:detail", args=[conversation.pk]),
            "settings_url": conf.site_url() + reverse("messaging:settings"),
            "site_name": conf.site_name(),
        }
        body = render_to_string("messaging/email/new_messages.txt", context)
    send_mail(subject, body, None, [person.email], fail_silently=False)
