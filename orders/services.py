"""Every write to orders: the order state machine, with the money moving through escrow.

Each service is one transaction that locks the order row first (then escrow locks the
ledger accounts by id), checks the rule, moves the money, changes the status and writes
an `OrderEvent`. Timers are columns swept by `orders_sweep`, which calls these same
services with `actor=None`.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import Profile, User
from escrow.fees import SplitAmounts, fee_for, split_amounts
from escrow.models import WebhookEvent
from escrow.selectors import fee_rate_for
from escrow.services import escrow_hold, escrow_refund, escrow_settle, escrow_split
from gigs.models import Gig
from gigs.ranking import gig_scores_refresh
from marketplace.dbretry import BusyError, retry_on_conflict
from marketplace.errors import DomainError
from marketplace.images import ImageRejected, reencode_image
from marketplace.jobs import enqueue_on_commit
from marketplace.money import round_money
from marketplace.uploads import check_uploads, clean_filename

from . import stats as order_stats
from .events import order_event_dispatch
from .models import Delivery, Dispute, Order, OrderEvent, OrderFile, RequirementAnswer
from .notifications import SILENT, order_event_record
from .pricing import orderable_gig, quote

S = Order.Status
K = OrderEvent.Kind

# The one transition table: which status may follow which.
ALLOWED: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.AWAITING_REQUIREMENTS, S.IN_PROGRESS, S.CANCELLED},
    S.AWAITING_REQUIREMENTS: {S.IN_PROGRESS, S.CANCELLED, S.DISPUTED},
    S.IN_PROGRESS: {S.DELIVERED, S.CANCELLED, S.DISPUTED},
    S.DELIVERED: {S.COMPLETED, S.IN_PROGRESS, S.CANCELLED, S.DISPUTED},
    S.DISPUTED: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}

logger = logging.getLogger(__name__)


class OrderError(DomainError):
    pass


class OrderAccessError(OrderError):
    """No such order, or not this person's to act on: a page answers it with a 404."""


class OrderTransitionError(OrderError):
    def __init__(self, *, order: Order, to: str):
        super().__init__(_("This cannot be done now: the order is “%(status)s”.") % {"status": S(order.status).label})
        self.order = order
        self.to = to


@dataclass
class MilestoneData:
    title: str
    amount: Money
    days: int


@dataclass
class AnswerData:
    question_id: int
    answer: str = ""
    file: UploadedFile | None = None


# --- helpers ------------------------------------------------------------------------------


def _lock_order(order_id: int) -> Order:
    # Lock first: the buyer's accept and the auto-complete sweep may race for the same order.
    # NO KEY UPDATE: it excludes every other order service all the same, but not the key-share
    # lock of a row being inserted that points at the order (the order thread created by a
    # first message while the order is being paid), which would otherwise wait for us while
    # we wait for its row: a deadlock.
    order = Order.objects.select_for_update(no_key=True, of=("self",)).filter(pk=order_id).first()
    if order is None:
        raise OrderAccessError(_("There is no such order."))
    return order


def _lock_order_if_free(order_id: int) -> Order | None:
    """For sweeps: skip a row someone is working on; the next sweep comes back to it."""
    return Order.objects.select_for_update(skip_locked=True, no_key=True, of=("self",)).filter(pk=order_id).first()


def _require_party(order: Order, user: User, role: str) -> None:
    if role == "buyer" and user.pk != order.buyer_id:
        raise OrderAccessError(_("Only the buyer of this order can do this."))
    if role == "seller" and user.pk != order.seller_id:
        raise OrderAccessError(_("Only the seller of this order can do this."))


def _transition(order: Order, *, to: str, actor: User | None, kind: str, note: str = "", fields: tuple = ()) -> Order:
    if to not in ALLOWED[order.status]:
        raise OrderTransitionError(order=order, to=to)
    before = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at", *fields])
    _event(order, actor=actor, kind=kind, from_status=before, to_status=to, note=note)
    return order


def _event(order: Order, *, actor: User | None, kind: str, from_status: str = "", to_status: str = "", note: str = ""):
    # An event nobody is told about (an order placed, not yet paid) is born notified: no task
    # to publish at commit, nothing left for the sweep.
    silent = kind in SILENT
    event = OrderEvent.objects.create(
        order=order, actor=actor, kind=kind, from_status=from_status, to_status=to_status or order.status, note=note,
        notified_at=timezone.now() if silent else None,
    )  # fmt: skip
    order_event_record(event)  # the parties' notification centres
    order_event_dispatch(order=order, event=event)  # e.g. the system line in the order's message thread
    if not silent:
        from .tasks import order_event_notify

        enqueue_on_commit(order_event_notify, event.pk)
    return event


def _store_files(order: Order, user: User, files: list[UploadedFile], delivery: Delivery | None = None) -> list:
    stored = []
    for upload in files:
        item = OrderFile(
            order=order, uploaded_by=user, name=clean_filename(upload.name or ""), size=upload.size, delivery=delivery
        )
        item.file.save(item.name, upload, save=False)
        item.save()
        stored.append(item)
        if delivery is not None and item.looks_like_image:
            enqueue_on_commit(_thumbnail_task(), item.pk)
    return stored


def _thumbnail_task():
    from .tasks import order_file_thumbnail

    return order_file_thumbnail


THUMBNAIL_SIDE = 480  # shown at up to 240 px wide, sharp on a 2x screen
THUMBNAIL_MAX_PIXELS = 40_000_000  # a bigger picture stays a download without a preview


def order_file_build_thumbnail(*, file_id: int) -> None:
    """Make the preview of a delivered image; safe to run twice. A file Pillow cannot read
    (a damaged image, a "logo.png" that is not one, too many pixels) simply gets none."""
    item = OrderFile.objects.filter(pk=file_id).first()
    if item is None or item.thumbnail or not item.looks_like_image:
        return
    try:
        with item.file.open("rb") as handle:
            content = reencode_image(
                handle, max_bytes=settings.ORDER_FILE_MAX_BYTES, max_pixels=THUMBNAIL_MAX_PIXELS,
                max_side=THUMBNAIL_SIDE,
            )  # fmt: skip
    except ImageRejected:
        logger.info("Order file %s has no preview: not a readable image", file_id)
        return
    with transaction.atomic():
        locked = OrderFile.objects.select_for_update(no_key=True).filter(pk=file_id).first()
        if locked is None or locked.thumbnail:
            return
        locked.thumbnail.save(content.name, content, save=False)
        locked.save(update_fields=["thumbnail"])


def _check_files(files: list[UploadedFile]) -> None:
    check_uploads(files, max_bytes=settings.ORDER_FILE_MAX_BYTES, max_files=settings.ORDER_MAX_FILES)


def _fee(order: Order, amount: Money) -> Money:
    return fee_for(amount, order.fee_rate)


def _stop_timers(order: Order) -> tuple[str, ...]:
    order.auto_complete_at = None
    order.cancel_auto_accept_at = None
    order.payment_expires_at = None
    return ("auto_complete_at", "cancel_auto_accept_at", "payment_expires_at")


def _clear_cancel_request(order: Order) -> tuple[str, ...]:
    order.cancel_requested_by = None
    order.cancel_request_reason = ""
    order.cancel_auto_accept_at = None
    return ("cancel_requested_by", "cancel_request_reason", "cancel_auto_accept_at")


# --- placing and paying ------------------------------------------------------------------


@transaction.atomic
def order_place(
    *, buyer: User, gig_id: int, package_tier: int, extra_ids: list[int], quantity: int = 1, gig: Gig | None = None
) -> Order:
    """Create an unpaid order from what the buyer chose. Prices, days and the fee rate are
    computed here from the gig as it is now, and copied onto the order.

    `gig`: the caller's copy of that gig, as `orders.pricing.orderable_gig` reads it (checkout
    has just read it to validate the form); without it the gig is read here."""
    if gig is None:
        gig = orderable_gig(gig_id=gig_id)
    if gig is None or gig.pk != gig_id or gig.status != Gig.Status.ACTIVE:
        raise OrderError(_("This service is not available for ordering."))
    if gig.seller_id == buyer.pk:
        raise OrderError(_("You cannot order your own service."))
    if gig.seller_away:
        raise OrderError(_("The seller is on vacation: this service cannot be ordered until they are back."))
    if not 1 <= quantity <= settings.ORDER_MAX_QUANTITY:
        raise OrderError(_("The quantity is from 1 to %(n)s.") % {"n": settings.ORDER_MAX_QUANTITY})
    package = next((p for p in gig.packages.all() if p.tier == package_tier), None)
    if package is None:
        raise OrderError(_("Choose one of the service's packages."))
    chosen = set(extra_ids)
    extras = [e for e in gig.extras.all() if e.pk in chosen] if chosen else []
    if len(extras) != len(chosen):
        raise OrderError(_("One of the chosen extras is no longer offered."))

    priced = quote(gig=gig, package=package, extras=extras, quantity=quantity)
    unit, total, days = priced.unit, priced.total, priced.days
    now = timezone.now()
    order = Order.objects.create(
        buyer=buyer,
        seller_id=gig.seller_id,
        gig=gig,
        package=package,
        gig_title=gig.title,
        package_name=package.name,
        package_tier=package.tier,
        package_description=package.description,
        package_price=package.price,
        unit_price=unit,
        quantity=quantity,
        extras=[_extra_snapshot(e) for e in extras],
        total=total,
        delivery_days=days,
        revision_days=days,  # a revision gets the order's own time, its extras and quantity included
        revisions_included=package.revisions,
        fee_rate=fee_rate_for(buyer_id=buyer.pk, seller_id=gig.seller_id, amount=total),
        questions=[
            {"id": q.pk, "text": q.text, "kind": q.kind, "choices": q.choices, "required": q.required}
            for q in gig.questions.all()
        ],
        payment_expires_at=now + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS),
    )
    _event(order, actor=buyer, kind=K.PLACED, to_status=S.PENDING_PAYMENT)
    return order


def _extra_snapshot(extra) -> dict:
    snapshot = {"title": extra.title, "price": str(extra.price.amount), "days": extra.extra_days}
    if extra.is_urgent:
        snapshot["urgent_days"] = extra.urgent_days
    return snapshot


@transaction.atomic
def order_place_custom(
    *,
    buyer: User,
    seller: User,
    title: str,
    description: str,
    price: Money,
    delivery_days: int,
    revisions: int,
    source: str,
    gig_id: int | None = None,
    milestones: list[MilestoneData] | None = None,
) -> Order:
    """An order on individually agreed terms (an accepted offer on a buyer request, or a
    custom offer in a conversation). The terms are copied onto the order like a package;
    from here on it is an ordinary order: payment, delivery, revisions, completion.

    With `milestones` (offers from MILESTONES_MIN_TOTAL up) each part becomes an order of
    its own: the first is returned and waits for payment, the next ones wait until the one
    before is completed. Returns the first order."""
    if buyer.pk == seller.pk:
        raise OrderError(_("You cannot order your own service."))
    if not seller.is_seller:
        raise OrderError(_("This freelancer is not selling at the moment."))
    title = title.strip()[:80]
    if not title:
        raise OrderError(_("The order needs a title."))
    minimum = Money(settings.GIG_MIN_PRICE, price.currency)
    if price < minimum or price > Money(settings.GIG_MAX_PRICE, price.currency):
        raise OrderError(_("The price is from %(min)s to %(max)s.") % {"min": minimum, "max": settings.GIG_MAX_PRICE})
    if not 1 <= delivery_days <= 90 or not 0 <= revisions <= 20:
        raise OrderError(_("Delivery takes from 1 to 90 days, with up to 20 revisions."))
    price = round_money(price)
    if milestones:
        return _place_milestones(
            buyer=buyer, seller=seller, title=title, description=description, price=price, revisions=revisions,
            source=source, gig_id=gig_id, milestones=milestones,
        )  # fmt: skip
    order = Order.objects.create(
        buyer=buyer,
        seller=seller,
        gig_id=gig_id,
        gig_title=title,
        package_name=source[:40],
        package_tier=1,
        package_description=description.strip(),
        package_price=price,
        unit_price=price,
        quantity=1,
        extras=[],
        total=price,
        delivery_days=delivery_days,
        revision_days=delivery_days,
        revisions_included=revisions,
        fee_rate=fee_rate_for(buyer_id=buyer.pk, seller_id=seller.pk, amount=price),
        questions=[],
        payment_expires_at=timezone.now() + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS),
    )
    _event(order, actor=buyer, kind=K.PLACED, to_status=S.PENDING_PAYMENT, note=source)
    return order


def milestones_validate(*, price: Money, milestones: list[MilestoneData]) -> None:
    """The rules of a split into milestones; raises OrderError with the first one broken."""
    if price < Money(settings.MILESTONES_MIN_TOTAL, price.currency):
        raise OrderError(
            _("Milestones are for orders from %(min)s %(cur)s.")
            % {"min": settings.MILESTONES_MIN_TOTAL, "cur": price.currency.code}
        )
    if not 2 <= len(milestones) <= settings.MILESTONES_MAX:
        raise OrderError(_("Split the work into 2 to %(n)s milestones.") % {"n": settings.MILESTONES_MAX})
    minimum = Money(settings.GIG_MIN_PRICE, price.currency)
    for part in milestones:
        # NaN and Infinity would raise on the comparison below rather than be refused.
        if not part.amount.amount.is_finite():
            raise OrderError(_("Each milestone needs a title, at least %(min)s and 1 to 90 days.") % {"min": minimum})
        if not part.title.strip() or part.amount < minimum or not 1 <= part.days <= 90:
            raise OrderError(_("Each milestone needs a title, at least %(min)s and 1 to 90 days.") % {"min": minimum})
    if sum((round_money(m.amount) for m in milestones), Money(0, price.currency)) != round_money(price):
        raise OrderError(_("The milestones must add up to the price of the offer."))


def milestones_from_json(rows: list[dict], currency: str) -> list[MilestoneData]:
    return [MilestoneData(r["title"], Money(Decimal(str(r["amount"])), currency), int(r["days"])) for r in rows]


def _place_milestones(*, buyer, seller, title, description, price, revisions, source, gig_id, milestones) -> Order:
    milestones_validate(price=price, milestones=milestones)
    # One fee rate for the whole contract, as if it were one order.
    rate = fee_rate_for(buyer_id=buyer.pk, seller_id=seller.pk, amount=price)
    first = None
    for number, part in enumerate(milestones, start=1):
        amount = round_money(part.amount)
        order = Order.objects.create(
            buyer=buyer, seller=seller, gig_id=gig_id, gig_title=title, package_name=source[:40], package_tier=1,
            package_description=description.strip(), package_price=amount, unit_price=amount, quantity=1,
            extras=[], total=amount, delivery_days=part.days, revision_days=part.days, revisions_included=revisions,
            fee_rate=rate, questions=[], parent=first, milestone_number=number, milestone_count=len(milestones),
            milestone_title=part.title.strip()[:80],
            payment_expires_at=timezone.now() + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS)
            if number == 1 else None,
        )  # fmt: skip
        _event(order, actor=buyer, kind=K.PLACED, to_status=S.PENDING_PAYMENT, note=source)
        first = first or order
    return first


def milestone_group(order: Order):
    if not order.is_milestone:
        return Order.objects.filter(pk=order.pk)
    group = order.milestone_group_id
    return Order.objects.filter(Q(pk=group) | Q(parent_id=group)).order_by("milestone_number")


def _later_milestones_locked(order: Order) -> list[Order]:
    """The contract's later milestones, locked now: orders come first in the lock order (by
    id, which is the milestones' order), before the money moves (README, "Lock order")."""
    if not order.is_milestone or order.milestone_number >= order.milestone_count:
        return []
    ids = milestone_group(order).filter(milestone_number__gt=order.milestone_number).values_list("pk", flat=True)
    return [_lock_order(pk) for pk in sorted(ids)]


def _unlock_next_milestone(order: Order, later: list[Order]) -> None:
    """A milestone is completed: the next one may be funded now (its payment timer starts)."""
    following = next((o for o in later if o.milestone_number == order.milestone_number + 1), None)
    if following is not None and following.status == S.PENDING_PAYMENT and following.payment_expires_at is None:
        following.payment_expires_at = timezone.now() + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS)
        following.save(update_fields=["payment_expires_at", "updated_at"])


def _cancel_later_milestones(order: Order, later: list[Order], *, actor: User | None) -> None:
    """The contract stops: the parts not yet funded are cancelled too (no money had moved)."""
    for following in later:
        if following.status != S.PENDING_PAYMENT:
            continue
        following.cancel_kind = Order.CancelKind.UNPAID
        following.cancel_reason = _("An earlier milestone was cancelled.")
        following.cancelled_at = timezone.now()
        _transition(
            following, to=S.CANCELLED, actor=actor, kind=K.CANCELLED, note=following.cancel_reason,
            fields=("cancel_kind", "cancel_reason", "cancelled_at", *_stop_timers(following)),
        )  # fmt: skip


@retry_on_conflict
@transaction.atomic
def order_pay(*, order_id: int, buyer: User) -> Order:
    """Pay from the wallet: the total moves into the order's escrow in the same transaction
    as the status change. A short balance raises InsufficientFundsError (with `shortfall`)."""
    order = _lock_order(order_id)
    _require_party(order, buyer, "buyer")
    if order.status != S.PENDING_PAYMENT:
        raise OrderTransitionError(order=order, to=S.AWAITING_REQUIREMENTS)
    if order.is_milestone and order.milestone_number > 1:
        previous = milestone_group(order).filter(milestone_number=order.milestone_number - 1).first()
        if previous is None or previous.status != S.COMPLETED:
            raise OrderError(
                _("Milestone %(n)s is funded after milestone %(p)s is accepted.")
                % {"n": order.milestone_number, "p": order.milestone_number - 1}
            )
    escrow_hold(order_id=order.pk, buyer=buyer, amount=order.total, actor=buyer)
    now = timezone.now()
    order.paid_at = now
    order.payment_expires_at = None
    fields = ["paid_at", "payment_expires_at"]
    if order.questions:
        to = S.AWAITING_REQUIREMENTS
    else:  # nothing to ask: the work and its deadline start now
        to = S.IN_PROGRESS
        order.started_at = now
        order.deadline_at = now + timedelta(days=order.delivery_days)
        fields += ["started_at", "deadline_at"]
    return _transition(order, to=to, actor=buyer, kind=K.PAID, fields=tuple(fields))


def order_pay_after_top_up(*, order_id: int, apply):
    """A card top-up started from the order's payment page has come in (the webhook): pay the
    order with it in the same transaction that credits the wallet, so the buyer does not have
    to come back and press "Pay from balance" (and the order does not expire with the money
    sitting in the wallet). `apply` credits the wallet (escrow's webhook step) and returns its
    WebhookResult; it runs with the order locked first, as every order operation locks.

    Nothing is paid when the order no longer waits for payment (it expired, was cancelled or
    paid meanwhile), belongs to someone else, or the balance does not cover it: the money then
    stays in the buyer's wallet, as any top-up does."""
    with transaction.atomic():
        try:
            order = _lock_order(order_id)
        except OrderAccessError:  # deleted: the top-up still stands
            order = None
        result = apply()
        payment = result.payment
        if (
            order is None
            or result.outcome != WebhookEvent.Outcome.TOPPED_UP
            or payment is None
            or payment.user_id != order.buyer_id
            or order.status != S.PENDING_PAYMENT
        ):
            return result
        try:
            with transaction.atomic():  # a refusal undoes only the payment attempt, never the credit
                order_pay(order_id=order.pk, buyer=payment.user)
        except DomainError as exc:
            logger.info("Top-up %s came in but order %s was not paid: %s", payment.pk, order.pk, exc)
        return result


@transaction.atomic
def order_submit_requirements(*, order_id: int, buyer: User, answers: list[AnswerData]) -> Order:
    order = _lock_order(order_id)
    _require_party(order, buyer, "buyer")
    if order.status != S.AWAITING_REQUIREMENTS:
        raise OrderTransitionError(order=order, to=S.IN_PROGRESS)
    by_id = {a.question_id: a for a in answers}
    _check_files([a.file for a in answers if a.file])
    rows = []
    for position, question in enumerate(order.questions):
        given = by_id.get(question["id"]) or AnswerData(question_id=question["id"])
        text = (given.answer or "").strip()
        if question["kind"] == "choice" and text and text not in question.get("choices", []):
            raise OrderError(_("Choose one of the offered options for “%(q)s”.") % {"q": question["text"]})
        has_answer = bool(text) or given.file is not None
        if question.get("required") and not has_answer:
            raise OrderError(_("Answer the question “%(q)s”.") % {"q": question["text"]})
        stored = _store_files(order, buyer, [given.file])[0] if given.file is not None else None
        rows.append(
            RequirementAnswer(
                order=order, question=question["text"], kind=question["kind"], answer=text, file=stored,
                position=position,
            )
        )  # fmt: skip
    RequirementAnswer.objects.bulk_create(rows)
    now = timezone.now()
    order.started_at = now
    order.deadline_at = now + timedelta(days=order.delivery_days)
    return _transition(order, to=S.IN_PROGRESS, actor=buyer, kind=K.REQUIREMENTS, fields=("started_at", "deadline_at"))


# --- delivery, revision, completion -------------------------------------------------------------


@transaction.atomic
def order_deliver(*, order_id: int, seller: User, message: str, files: list[UploadedFile]) -> Order:
    order = _lock_order(order_id)
    _require_party(order, seller, "seller")
    if order.status != S.IN_PROGRESS:
        raise OrderTransitionError(order=order, to=S.DELIVERED)
    message = message.strip()
    if not message:
        raise OrderError(_("Describe what you deliver."))
    _check_files(files)
    number = order.deliveries.count() + 1
    delivery = Delivery.objects.create(order=order, number=number, message=message)
    _store_files(order, seller, files, delivery=delivery)
    now = timezone.now()
    order.delivered_at = now
    if order.deadline_at and now > order.deadline_at:
        order.was_late = True
    order.auto_complete_at = now + timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS)
    return _transition(
        order, to=S.DELIVERED, actor=seller, kind=K.DELIVERED, note=message[:500],
        fields=("delivered_at", "was_late", "auto_complete_at"),
    )  # fmt: skip


@retry_on_conflict
@transaction.atomic
def order_request_revision(*, order_id: int, buyer: User, reason: str) -> Order:
    order = _lock_order(order_id)
    _require_party(order, buyer, "buyer")
    if order.status != S.DELIVERED:
        raise OrderTransitionError(order=order, to=S.IN_PROGRESS)
    reason = reason.strip()
    if not reason:
        raise OrderError(_("Explain what needs to change."))
    if order.revisions_used >= order.revisions_included:
        raise OrderError(
            _("All %(n)s revisions of this package are used. Accept the work, or agree on more in the messages.")
            % {"n": order.revisions_included}
        )
    last = order.deliveries.order_by("-number").first()
    if last is not None:
        last.revision_reason = reason
        last.save(update_fields=["revision_reason"])
    now = timezone.now()
    order.revisions_used = F("revisions_used") + 1
    order.auto_complete_at = None
    # The order's time again from now, and never earlier than the deadline it had.
    order.deadline_at = max(now + timedelta(days=order.revision_days), order.deadline_at or now)
    order = _transition(
        order, to=S.IN_PROGRESS, actor=buyer, kind=K.REVISION, note=reason,
        fields=("revisions_used", "auto_complete_at", "deadline_at"),
    )  # fmt: skip
    order.refresh_from_db(fields=["revisions_used"])
    return order


def _stats_refresh(order: Order) -> None:
    """The parties' order stats, recounted from the orders by the one definition
    (orders.stats) whenever an order ends, so the profile, the seller card and the level table
    agree at once. Both profiles are locked first, in id order as every path that locks two
    profiles (README, "Lock order"; seller then buyer waited in a cycle for a review being
    published for the pair), and counted after the lock: a concurrent end of another order of
    the same seller has committed by then, so neither count misses the other."""
    locked = Profile.objects.select_for_update(no_key=True).filter(pk__in=[order.seller_id, order.buyer_id])
    list(locked.order_by("pk").values_list("pk", flat=True))
    sales = order_stats.seller_sales(seller_id=order.seller_id)
    Profile.objects.filter(pk=order.seller_id).update(
        orders_completed=sales.done, completion_rate=sales.completion_rate, on_time_rate=sales.on_time_rate
    )
    Profile.objects.filter(pk=order.buyer_id).update(
        purchases_count=order_stats.purchases_count(buyer_id=order.buyer_id)
    )


COMPLETION_KINDS = {
    K.ACCEPTED: Order.CompletionKind.ACCEPTED,
    K.AUTO_COMPLETED: Order.CompletionKind.AUTO,
    K.DISPUTE_RESOLVED: Order.CompletionKind.DISPUTE,
}


def _complete(
    order: Order, *, actor: User | None, kind: str, note: str = "", later: list[Order] | None = None
) -> Order:
    """Settle the escrow and complete: the seller gets total minus fee, the platform the fee.
    `later`: the later milestones, if the caller has locked them already."""
    later = _later_milestones_locked(order) if later is None else later
    fee = _fee(order, order.total)
    escrow_settle(order_id=order.pk, seller=order.seller, fee=fee, actor=actor)
    now = timezone.now()
    order.fee = fee
    order.completed_at = now
    order.completion_kind = COMPLETION_KINDS[kind]
    fields = ("fee", "completed_at", "completion_kind", *_stop_timers(order), *_clear_cancel_request(order))
    order = _transition(order, to=S.COMPLETED, actor=actor, kind=kind, note=note, fields=fields)
    Gig.objects.filter(pk=order.gig_id).update(orders_count=F("orders_count") + 1)
    gig_scores_refresh(gig_ids=[order.gig_id])
    _stats_refresh(order)
    _unlock_next_milestone(order, later)
    return order


@retry_on_conflict
@transaction.atomic
def order_accept(*, order_id: int, buyer: User) -> Order:
    order = _lock_order(order_id)
    _require_party(order, buyer, "buyer")
    if order.status != S.DELIVERED:
        raise OrderTransitionError(order=order, to=S.COMPLETED)
    return _complete(order, actor=buyer, kind=K.ACCEPTED)


@retry_on_conflict
def order_auto_complete(*, order_id: int, now=None) -> Order | None:
    """The sweep's accept: completes a delivered order whose time is up, if nobody holds it."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _lock_order_if_free(order_id)
        if order is None or order.status != S.DELIVERED or not order.auto_complete_at or order.auto_complete_at > now:
            return None
        return _complete(order, actor=None, kind=K.AUTO_COMPLETED)


# --- cancellation --------------------------------------------------------------------------------


def _refund_and_cancel(
    order: Order,
    *,
    actor: User | None,
    kind: str,
    reason: str,
    event_note: str = "",
    event_kind: str = K.CANCELLED,
    later: list[Order] | None = None,
) -> Order:
    later = _later_milestones_locked(order) if later is None else later
    if order.paid_at is not None:
        escrow_refund(order_id=order.pk, buyer=order.buyer, actor=actor, currency=order.total.currency.code)
    order.cancel_kind = kind
    order.cancel_reason = reason
    order.cancelled_at = timezone.now()
    fields = ("cancel_kind", "cancel_reason", "cancelled_at", *_stop_timers(order), *_clear_cancel_request(order))
    order = _transition(order, to=S.CANCELLED, actor=actor, kind=event_kind, note=event_note or reason, fields=fields)
    if order.paid_at is not None:
        _stats_refresh(order)
    _cancel_later_milestones(order, later, actor=actor)
    return order


def buyer_cancel_kind(order: Order, now=None) -> str:
    """Which immediate cancellation the buyer has now, or "" if none."""
    now = now or timezone.now()
    if order.status == S.PENDING_PAYMENT:
        return Order.CancelKind.UNPAID
    if order.status not in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS):
        return ""
    if order.paid_at and now <= order.paid_at + timedelta(minutes=settings.ORDER_FREE_CANCEL_MINUTES):
        return Order.CancelKind.BUYER_FREE
    if order.status == S.IN_PROGRESS and order.deadline_at and now > order.deadline_at:
        return Order.CancelKind.BUYER_LATE
    return ""


@retry_on_conflict
@transaction.atomic
def order_cancel(*, order_id: int, actor: User, reason: str = "") -> Order:
    """Cancel at once: the buyer (unpaid, within the free window, or the seller is late) or
    the seller (any time before delivery; it counts against them). Refunds the escrow."""
    order = _lock_order(order_id)
    role = order.party_role(actor)
    if not role:
        raise OrderAccessError(_("There is no such order."))
    reason = reason.strip()
    if role == "buyer":
        kind = buyer_cancel_kind(order)
        if not kind:
            raise OrderError(
                _(
                    "You can cancel at once only within %(m)s minutes of paying or when the seller is late. "
                    "Ask the seller for a mutual cancellation or open a dispute."
                )
                % {"m": settings.ORDER_FREE_CANCEL_MINUTES}
            )
    else:
        if order.status not in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS):
            raise OrderTransitionError(order=order, to=S.CANCELLED)
        if not reason:
            raise OrderError(_("Tell the buyer why you cancel."))
        kind = Order.CancelKind.SELLER
    return _refund_and_cancel(order, actor=actor, kind=kind, reason=reason)


@retry_on_conflict
@transaction.atomic
def order_cancel_request(*, order_id: int, actor: User, reason: str) -> Order:
    order = _lock_order(order_id)
    if not order.party_role(actor):
        raise OrderAccessError(_("There is no such order."))
    if order.status not in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS, S.DELIVERED):
        raise OrderTransitionError(order=order, to=S.CANCELLED)
    if order.cancel_requested_by_id:
        raise OrderError(_("A cancellation request is already waiting for an answer."))
    reason = reason.strip()
    if not reason:
        raise OrderError(_("Explain why the order should be cancelled."))
    order.cancel_requested_by = actor
    order.cancel_request_reason = reason
    order.cancel_auto_accept_at = timezone.now() + timedelta(hours=settings.ORDER_MUTUAL_CANCEL_HOURS)
    # While the buyer's request waits, the delivered work does not complete by itself.
    order.auto_complete_at = None
    order.save(
        update_fields=["cancel_requested_by", "cancel_request_reason", "cancel_auto_accept_at", "auto_complete_at",
                       "updated_at"]
    )  # fmt: skip
    _event(order, actor=actor, kind=K.CANCEL_REQUESTED, note=reason)
    return order


@retry_on_conflict
@transaction.atomic
def order_cancel_respond(*, order_id: int, actor: User, accept: bool) -> Order:
    """The other party accepts (refund) or declines; the requester may withdraw (decline)."""
    order = _lock_order(order_id)
    if not order.party_role(actor):
        raise OrderAccessError(_("There is no such order."))
    if not order.cancel_requested_by_id:
        raise OrderError(_("There is no cancellation request to answer."))
    if accept:
        if actor.pk == order.cancel_requested_by_id:
            raise OrderError(_("The other party has to accept your request."))
        return _refund_and_cancel(order, actor=actor, kind=Order.CancelKind.MUTUAL, reason=order.cancel_request_reason)
    fields = _clear_cancel_request(order)
    if order.status == S.DELIVERED:
        order.auto_complete_at = timezone.now() + timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS)
        fields = (*fields, "auto_complete_at")
    order.save(update_fields=[*fields, "updated_at"])
    _event(order, actor=actor, kind=K.CANCEL_DECLINED)
    return order


@retry_on_conflict
def order_cancel_auto_accept(*, order_id: int, now=None) -> Order | None:
    """Silence for 48 hours accepts a mutual cancellation."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _lock_order_if_free(order_id)
        if order is None or not order.cancel_auto_accept_at or order.cancel_auto_accept_at > now:
            return None
        if order.status not in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS, S.DELIVERED):
            return None
        return _refund_and_cancel(
            order, actor=None, kind=Order.CancelKind.MUTUAL, reason=order.cancel_request_reason,
            event_note=_("Accepted automatically: no answer within %(h)s hours.")
            % {"h": settings.ORDER_MUTUAL_CANCEL_HOURS},
        )  # fmt: skip


@retry_on_conflict
def order_expire(*, order_id: int, now=None) -> Order | None:
    """An order not paid in time is cancelled; no money had moved."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _lock_order_if_free(order_id)
        if order is None or order.status != S.PENDING_PAYMENT or not order.payment_expires_at:
            return None
        if order.payment_expires_at > now:
            return None
        order.cancel_kind = Order.CancelKind.UNPAID
        order.cancelled_at = now
        fields = ("cancel_kind", "cancelled_at", *_stop_timers(order))
        later = _later_milestones_locked(order)
        order = _transition(order, to=S.CANCELLED, actor=None, kind=K.EXPIRED, fields=fields)
        _cancel_later_milestones(order, later, actor=None)
        return order


# --- disputes ------------------------------------------------------------------------------------


@transaction.atomic
def dispute_open(*, order_id: int, actor: User, reason: str, files: list[UploadedFile] | None = None) -> Order:
    """Either party; the timers stop and the money stays held until staff decide."""
    order = _lock_order(order_id)
    if not order.party_role(actor):
        raise OrderAccessError(_("There is no such order."))
    if order.status not in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS, S.DELIVERED):
        raise OrderTransitionError(order=order, to=S.DISPUTED)
    reason = reason.strip()
    if len(reason) < 20:
        raise OrderError(_("Describe the problem in a few sentences (at least 20 characters)."))
    _check_files(files or [])
    Dispute.objects.create(order=order, opened_by=actor, reason=reason)
    _store_files(order, actor, files or [])
    order.status_before_dispute = order.status
    fields = ("status_before_dispute", *_stop_timers(order), *_clear_cancel_request(order))
    return _transition(order, to=S.DISPUTED, actor=actor, kind=K.DISPUTE_OPENED, note=reason, fields=fields)


def dispute_split_amounts(*, order: Order, seller_percent: int) -> SplitAmounts:
    """What a split of `order` by `seller_percent` gives each side: the dispute page's
    preview shows exactly what `dispute_resolve` moves (both read it here)."""
    return split_amounts(order.total, seller_percent=seller_percent, rate=order.fee_rate)


@retry_on_conflict
@transaction.atomic
def dispute_resolve(
    *, order_id: int, actor: User, outcome: str, decision: str, seller_percent: int | None = None
) -> Order:
    """Staff decide: release to the seller, refund the buyer, or split by percent (the fee is
    taken only on the seller's part). The written decision is shown to both parties."""
    if not actor.has_perm("orders.resolve_dispute"):
        raise OrderError(_("You do not have the permission to resolve disputes."))
    order = _lock_order(order_id)
    if order.status != S.DISPUTED:
        raise OrderTransitionError(order=order, to=S.COMPLETED)
    later = _later_milestones_locked(order)  # orders before the dispute row (README, "Lock order")
    dispute = Dispute.objects.select_for_update(no_key=True).get(order=order)
    decision = decision.strip()
    if not decision:
        raise OrderError(_("Write the decision: both parties will read it."))
    if outcome == Dispute.Outcome.SPLIT:
        if seller_percent is None or not 1 <= seller_percent <= 99:
            raise OrderError(_("For a split, give the seller's share from 1 to 99 percent."))
    elif outcome not in (Dispute.Outcome.RELEASE, Dispute.Outcome.REFUND):
        raise OrderError(_("Choose a decision."))
    dispute.outcome = outcome
    dispute.decision = decision
    dispute.seller_percent = {"release": 100, "refund": 0}.get(outcome, seller_percent)
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.save()
    if outcome == Dispute.Outcome.RELEASE:
        return _complete(order, actor=actor, kind=K.DISPUTE_RESOLVED, note=decision, later=later)
    if outcome == Dispute.Outcome.REFUND:
        return _refund_and_cancel(
            order,
            actor=actor,
            kind=Order.CancelKind.DISPUTE,
            reason=decision,
            event_kind=K.DISPUTE_RESOLVED,
            later=later,
        )
    parts = dispute_split_amounts(order=order, seller_percent=seller_percent)
    escrow_split(
        order_id=order.pk, buyer=order.buyer, seller=order.seller, buyer_part=parts.buyer_refund,
        seller_part=parts.seller_part, fee=parts.fee, actor=actor,
    )  # fmt: skip
    order.fee = parts.fee
    order.completed_at = timezone.now()
    order.completion_kind = Order.CompletionKind.SPLIT
    order = _transition(
        order, to=S.COMPLETED, actor=actor, kind=K.DISPUTE_RESOLVED, note=decision,
        fields=("fee", "completed_at", "completion_kind"),
    )  # fmt: skip
    _stats_refresh(order)
    return order


# --- sweeps --------------------------------------------------------------------------------------


def _due_ids(queryset, limit: int) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])


def orders_sweep(*, now=None, limit: int = 500) -> dict[str, int]:
    """Run every order timer once. Safe to run twice or concurrently: each order is locked
    with SKIP LOCKED and re-checked, and every service refuses a second transition."""
    now = now or timezone.now()
    counts = {"auto_completed": 0, "expired": 0, "cancel_accepted": 0, "notified": 0}
    timers = (
        ("auto_completed", order_auto_complete, Order.objects.filter(status=S.DELIVERED, auto_complete_at__lte=now)),
        ("expired", order_expire, Order.objects.filter(status=S.PENDING_PAYMENT, payment_expires_at__lte=now)),
        ("cancel_accepted", order_cancel_auto_accept, Order.objects.filter(cancel_auto_accept_at__lte=now)),
    )
    for count, service, due in timers:
        for order_id in _due_ids(due, limit):
            try:
                if service(order_id=order_id, now=now):
                    counts[count] += 1
            except BusyError:
                logger.warning("Order %s still contended; the next sweep comes back to it", order_id)
    from .notifications import order_events_notify_due

    counts["notified"] = order_events_notify_due(now=now, limit=limit)
    return counts
