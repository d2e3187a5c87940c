"""The words of a notification, built when it is read, in the reader's language.

Nothing here may fail a page or an email: a notification whose params do not fit its text
(a row written by an older version, a text with a typo) shows its kind's name instead, and
one whose page no longer exists leads to the notification centre.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from moneyed import Money

from marketplace.templatetags.ui import money

from .models import Notification

logger = logging.getLogger(__name__)
K = Notification.Kind

# A kind's sentence, or one per `params["event"]` where one kind covers several events.
TEXTS = {
    K.ORDER_NEW: _("%(name)s ordered “%(title)s” (order #%(order)s)"),
    K.ORDER_REQUIREMENTS: _("%(name)s sent the requirements for order #%(order)s “%(title)s”: the work can start"),
    K.ORDER_DELIVERED: _("%(name)s delivered the work on order #%(order)s “%(title)s”"),
    K.ORDER_REVISION: _("%(name)s asked for a revision of order #%(order)s “%(title)s”"),
    K.ORDER_COMPLETED: {
        "accepted": _("%(name)s accepted the work on order #%(order)s “%(title)s”"),
        "auto_completed": _("Order #%(order)s “%(title)s” completed automatically"),
    },
    K.ORDER_CANCELLATION: {
        "cancel_requested": _("%(name)s asks to cancel order #%(order)s “%(title)s”"),
        "cancel_declined": _("%(name)s declined to cancel order #%(order)s “%(title)s”"),
        "cancelled": _("Order #%(order)s “%(title)s” was cancelled"),
        "expired": _("Order #%(order)s “%(title)s” was cancelled: the time to pay ran out"),
    },
    K.DISPUTE_OPENED: _("%(name)s opened a dispute on order #%(order)s “%(title)s”"),
    K.DISPUTE_RESOLVED: _("The dispute on order #%(order)s “%(title)s” is decided"),
    K.REVIEW_LEFT: _("%(name)s reviewed order #%(order)s “%(title)s”: leave your review to see theirs"),
    K.REVIEW_PUBLISHED: _("The review from %(name)s on order #%(order)s “%(title)s” is published"),
    K.REQUEST_STATUS: {
        "approved": _("Your request “%(title)s” is published"),
        "rejected": _("Your request “%(title)s” was not approved"),
        "expired": _("Your request “%(title)s” has expired"),
    },
    K.OFFER_RECEIVED: _("New offer on “%(title)s” from %(name)s"),
    K.INVITATION: _("%(name)s invites you to send an offer: “%(title)s”"),
    K.OFFER_ANSWERED: {
        "offer_accepted": _("Your offer on “%(title)s” was accepted"),
        "offer_declined": _("Your offer on “%(title)s” was declined"),
    },
    K.GIG_APPROVED: _("Your gig “%(title)s” is approved and published"),
    K.GIG_REJECTED: _("Your gig “%(title)s” was not approved"),
    K.WITHDRAWAL_PAID: _("Your withdrawal of %(amount)s to %(destination)s is sent"),
    K.WITHDRAWAL_REJECTED: _("Your withdrawal of %(amount)s was rejected: the money is back in your wallet"),
}

ICONS = {
    K.ORDER_NEW: "bag-plus",
    K.ORDER_REQUIREMENTS: "card-checklist",
    K.ORDER_DELIVERED: "box-seam",
    K.ORDER_REVISION: "arrow-repeat",
    K.ORDER_COMPLETED: "check2-circle",
    K.ORDER_CANCELLATION: "x-circle",
    K.DISPUTE_OPENED: "exclamation-triangle",
    K.DISPUTE_RESOLVED: "shield-check",
    K.REVIEW_LEFT: "star",
    K.REVIEW_PUBLISHED: "star-fill",
    K.REQUEST_STATUS: "megaphone",
    K.OFFER_RECEIVED: "envelope-paper",
    K.INVITATION: "person-plus",
    K.OFFER_ANSWERED: "reply",
    K.GIG_APPROVED: "patch-check",
    K.GIG_REJECTED: "patch-exclamation",
    K.WITHDRAWAL_PAID: "cash-coin",
    K.WITHDRAWAL_REJECTED: "arrow-counterclockwise",
}


def notification_text(notification: Notification) -> str:
    """The sentence, in the active language."""
    params = notification.params if isinstance(notification.params, dict) else {}
    try:
        text = TEXTS[notification.kind]
        if isinstance(text, dict):
            text = text[params["event"]]
        values = {**params, "name": _actor_name(notification)}
        if "amount" in params:
            values["amount"] = _money(params)
        return str(text) % values
    except (KeyError, ValueError, TypeError, ArithmeticError):
        logger.warning("Notification %s (%s) does not fit its text", notification.pk, notification.kind, exc_info=True)
        return str(Notification.Kind(notification.kind).label) if notification.kind in K.values else ""


def notification_detail(notification: Notification) -> str:
    """A second line some kinds carry: the reason staff gave."""
    params = notification.params if isinstance(notification.params, dict) else {}
    reason = params.get("reason")
    return str(reason) if reason else ""


def notification_path(notification: Notification) -> str:
    """The page it leads to, in the active language; the centre when that page is gone."""
    if notification.url_name:
        try:
            return reverse(notification.url_name, args=[str(a) for a in notification.url_args or []])
        except (NoReverseMatch, TypeError):
            logger.warning("Notification %s leads nowhere: %s", notification.pk, notification.url_name)
    return reverse("notifications:list")


def notification_icon(notification: Notification) -> str:
    return ICONS.get(notification.kind, "bell")


def _actor_name(notification: Notification) -> str:
    actor = notification.actor
    return actor.display_name if actor is not None else settings.MARKETPLACE_NAME


def _money(params: dict) -> str:
    amount = Decimal(str(params["amount"]))
    return money(Money(amount, str(params["currency"])) if params.get("currency") else amount)
