"""Custom offers inside a conversation: sent by the freelancer, accepted (an order on these
terms, through the ordinary order flow) or declined by the client."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User
from marketplace.errors import DomainError
from orders.models import Order
from orders.services import milestones_from_json, milestones_validate, order_place_custom

from .models import Conversation, CustomOffer, Message
from .services import _after_new_message


class OfferError(DomainError):
    pass


@dataclass
class OfferData:
    title: str
    description: str
    price: Decimal
    delivery_days: int
    revisions: int
    milestones: list[dict] = field(default_factory=list)  # [{"title", "amount", "days"}]


def _money(amount) -> Money:
    return Money(Decimal(str(amount)), settings.MARKETPLACE_CURRENCY)


def custom_offer_send(*, seller: User, conversation_id: int, data: OfferData) -> CustomOffer:
    if not seller.is_seller:
        raise OfferError(_("Turn on selling in your settings to send offers."))
    title = data.title.strip()
    if not title or len(title) > 80 or not data.description.strip():
        raise OfferError(_("Give the offer a title (up to 80 characters) and describe the work."))
    minimum, maximum = Decimal(settings.GIG_MIN_PRICE), Decimal(settings.GIG_MAX_PRICE)
    if not minimum <= data.price <= maximum:
        raise OfferError(_("The price is from %(min)s to %(max)s.") % {"min": minimum, "max": maximum})
    if not 1 <= data.delivery_days <= 90 or not 0 <= data.revisions <= 20:
        raise OfferError(_("Delivery takes from 1 to 90 days, with up to 20 revisions."))
    if data.milestones:
        milestones_validate(
            price=_money(data.price), milestones=milestones_from_json(data.milestones, settings.MARKETPLACE_CURRENCY)
        )
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(no_key=True).filter(pk=conversation_id, order__isnull=True).first()
        )
        if conversation is None or seller.pk not in conversation.user_ids:
            raise OfferError(_("There is no such conversation."))
        buyer = User.objects.get(pk=conversation.other_user_id(seller.pk))
        message = Message.objects.create(conversation=conversation, sender=seller, body="")
        offer = CustomOffer.objects.create(
            conversation=conversation, message=message, seller=seller, buyer=buyer, title=title,
            description=data.description.strip(), price=_money(data.price), delivery_days=data.delivery_days,
            revisions=data.revisions, milestones=data.milestones,
        )  # fmt: skip
        _after_new_message(conversation, message, sender_id=seller.pk, recipient_id=buyer.pk)
    return offer


def _lock(offer_id: int, user: User, role: str) -> CustomOffer:
    offer = CustomOffer.objects.select_for_update(no_key=True).filter(pk=offer_id).first()
    if offer is None or getattr(offer, f"{role}_id") != user.pk:
        raise OfferError(_("There is no such offer."))
    if offer.status != CustomOffer.Status.SENT:
        raise OfferError(_("This offer has already been answered."))
    return offer


def custom_offer_accept(*, offer_id: int, buyer: User) -> Order:
    """Place the order on the offer's terms; the client pays it next. Accepting twice at
    once gives one order: the offer row is locked and its status checked first."""
    with transaction.atomic():
        offer = _lock(offer_id, buyer, "buyer")
        milestones = milestones_from_json(offer.milestones, offer.price.currency.code)
        order = order_place_custom(
            buyer=buyer, seller=offer.seller, title=offer.title, description=offer.description, price=offer.price,
            delivery_days=offer.delivery_days, revisions=offer.revisions, source=_("Custom offer"),
            milestones=milestones or None,
        )  # fmt: skip
        offer.status = CustomOffer.Status.ACCEPTED
        offer.order = order
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "order", "decided_at"])
    return order


def custom_offer_decline(*, offer_id: int, buyer: User, reason: str = "") -> CustomOffer:
    with transaction.atomic():
        offer = _lock(offer_id, buyer, "buyer")
        offer.status = CustomOffer.Status.DECLINED
        offer.decline_reason = reason.strip()[:1000]
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "decline_reason", "decided_at"])
    return offer


def custom_offer_withdraw(*, offer_id: int, seller: User) -> CustomOffer:
    with transaction.atomic():
        offer = _lock(offer_id, seller, "seller")
        offer.status = CustomOffer.Status.WITHDRAWN
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "decided_at"])
    return offer
