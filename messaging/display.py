"""How a message looks to one viewer: masked or not, mine or not, seen or not, and the
text of system lines in the viewer's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from orders.models import OrderEvent

from . import contacts
from .models import Message

K = OrderEvent.Kind

# Order events that appear in the order's thread. An unpaid order concerns nobody yet, and
# the seller's earnings are their own business.
THREAD_EVENT_KINDS = frozenset(
    {
        K.PAID, K.REQUIREMENTS, K.DELIVERED, K.REVISION, K.ACCEPTED, K.AUTO_COMPLETED, K.CANCEL_REQUESTED,
        K.CANCEL_DECLINED, K.CANCELLED, K.EXPIRED, K.DISPUTE_OPENED, K.DISPUTE_RESOLVED,
    }
)  # fmt: skip


# What the composer's warning names, per kind of finding.
KIND_LABELS = {
    contacts.EMAIL: gettext_lazy("an email address"),
    contacts.PHONE: gettext_lazy("a phone number"),
    contacts.MESSENGER: gettext_lazy("a messenger contact or a request for contacts"),
    contacts.PAYMENT: gettext_lazy("a request to pay outside the site"),
}


# System lines that name who did it: only these read the event (and its actor).
NAMED_EVENT_KINDS = frozenset({K.CANCEL_REQUESTED, K.DISPUTE_OPENED})


def system_text(message: Message) -> str:
    """The system line for an order event, translated now (for the reader's language)."""
    who = ""
    if message.system_kind in NAMED_EVENT_KINDS:
        event = message.order_event
        who = event.actor.display_name if event is not None and event.actor is not None else ""
    texts = {
        K.PAID: _("The order is paid. The money is held safely until the work is accepted."),
        K.REQUIREMENTS: _("The buyer sent the requirements. The work has started."),
        K.DELIVERED: _("The seller delivered the work. The buyer can accept it or ask for a revision."),
        K.REVISION: _("The buyer asked for a revision."),
        K.ACCEPTED: _("The buyer accepted the work. The order is complete."),
        K.AUTO_COMPLETED: _("The order was completed automatically."),
        K.CANCEL_REQUESTED: (
            _("%(name)s asked to cancel the order.") % {"name": who} if who else _("A cancellation was requested.")
        ),
        K.CANCEL_DECLINED: _("The cancellation request was declined. The order goes on."),
        K.CANCELLED: _("The order is cancelled."),
        K.EXPIRED: _("The order was not paid in time and is cancelled."),
        K.DISPUTE_OPENED: (
            _("%(name)s opened a dispute. Our team will study it.") % {"name": who}
            if who
            else _("A dispute is opened.")
        ),
        K.DISPUTE_RESOLVED: _("The dispute is resolved. The decision is on the order page."),
    }
    return texts.get(message.system_kind, _("The order changed."))


def shows_masked(message: Message, *, viewer: User, unlocked: bool) -> bool:
    """Whether `viewer` reads the masked text: the recipient, while no paid order exists.
    The sender reads what they wrote; staff always read the original."""
    if message.is_system or unlocked or viewer.is_staff or message.sender_id == viewer.pk:
        return False
    return message.body_masked != message.body


def present(messages: list[Message], *, viewer: User, unlocked: bool, partner_read_id: int = 0) -> list[Message]:
    """Set what the templates need on each message: `shown_text`, `is_masked`, `is_mine`,
    `hidden_from_partner` (the sender's notice) and `seen` (the sender's read receipt)."""
    for message in messages:
        message.is_mine = message.sender_id == viewer.pk
        message.is_masked = shows_masked(message, viewer=viewer, unlocked=unlocked)
        message.shown_text = message.body_masked if message.is_masked else message.body
        message.hidden_from_partner = message.is_mine and message.flagged and not unlocked
        message.seen = message.is_mine and message.pk <= partner_read_id
        if message.is_system:
            message.shown_text = system_text(message)
    return messages


def preview(message: Message | None, *, viewer: User, unlocked: bool) -> str:
    """One line of the last message for the inbox."""
    if message is None:
        return ""
    if message.is_system:
        return system_text(message)
    text = message.body_masked if shows_masked(message, viewer=viewer, unlocked=unlocked) else message.body
    text = " ".join(text.split())
    if not text:
        return _("Attachment")
    return text if len(text) <= 120 else text[:119] + "…"
