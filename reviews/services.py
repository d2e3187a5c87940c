"""Every write of reviews and reputation: reviews both ways, the double-blind reveal,
replies, hiding by staff, rating aggregates, seller stats and levels."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Profile, SellerLevel, User
from gigs.models import Gig
from gigs.ranking import gig_scores_refresh
from gigs.signals import gig_fragments_forget
from marketplace.dbretry import retry_on_conflict
from marketplace.errors import DomainError
from messaging.selectors import first_response_minutes
from notifications.models import Notification
from notifications.services import notification_add
from orders import stats as order_stats
from orders.models import Order

from .models import Review


class ReviewError(DomainError):
    pass


@dataclass
class ReviewData:
    rating: int
    text: str
    communication: int | None = None
    quality: int | None = None
    on_time: int | None = None


def _check_scores(data: ReviewData, *, buyer_side: bool) -> None:
    scores = [data.rating]
    if buyer_side:
        scores += [data.communication, data.quality, data.on_time]
    for score in scores:
        if score is None or not 1 <= int(score) <= 5:
            raise ReviewError(_("Rate from 1 to 5 stars."))
    if len(data.text.strip()) < 10:
        raise ReviewError(_("Write a few words (at least 10 characters): it helps others decide."))


def window_closes_at(order: Order):
    return order.completed_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)


@retry_on_conflict
def review_submit(*, order_id: int, author: User, data: ReviewData) -> Review:
    """Leave a review. If the other side's review is already in, both are shown now."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",), no_key=True).filter(pk=order_id).first()
        role = order.party_role(author) if order else ""
        if not role:
            raise ReviewError(_("You can review only orders you took part in."))
        if order.status != Order.Status.COMPLETED or order.completed_at is None:
            raise ReviewError(_("Reviews open when the order is completed."))
        if timezone.now() > window_closes_at(order):
            raise ReviewError(_("The time to review this order has passed."))
        buyer_side = role == "buyer"
        _check_scores(data, buyer_side=buyer_side)
        if Review.objects.filter(order=order, role=role).exists():
            raise ReviewError(_("You have already reviewed this order."))
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    order=order,
                    role=role,
                    author=author,
                    subject=order.seller if buyer_side else order.buyer,
                    gig_id=order.gig_id,
                    rating=data.rating,
                    communication=data.communication if buyer_side else None,
                    quality=data.quality if buyer_side else None,
                    on_time=data.on_time if buyer_side else None,
                    text=data.text.strip(),
                    reveal_due_at=window_closes_at(order),
                )
        except IntegrityError:
            raise ReviewError(_("You have already reviewed this order.")) from None
        both = list(Review.objects.filter(order=order, visible_at__isnull=True))
        if len(both) == 2:
            _reveal(order, both)
        else:
            # Double-blind: the other side learns that a review is in, never what it says.
            notification_add(recipient=review.subject_id, kind=Notification.Kind.REVIEW_LEFT, actor=author,
                             params={"order": order.pk, "title": order.gig_title}, url_name="orders:detail",
                             url_args=[order.pk])  # fmt: skip
    return review


def review_edit(*, review_id: int, author: User, data: ReviewData) -> Review:
    with transaction.atomic():
        review = Review.objects.select_for_update(no_key=True).filter(pk=review_id, author=author).first()
        if review is None:
            raise ReviewError(_("There is no such review."))
        if review.visible_at is not None:
            raise ReviewError(_("A review cannot be changed once it is published."))
        if timezone.now() > review.created_at + timedelta(hours=settings.REVIEW_EDIT_HOURS):
            raise ReviewError(_("A review can be changed only in the first 24 hours."))
        _check_scores(data, buyer_side=review.role == Review.Role.BUYER)
        review.rating = data.rating
        review.text = data.text.strip()
        if review.role == Review.Role.BUYER:
            review.communication, review.quality, review.on_time = data.communication, data.quality, data.on_time
        review.save()
    return review


def review_reply(*, review_id: int, seller: User, text: str) -> Review:
    text = text.strip()
    if not text:
        raise ReviewError(_("Write your reply."))
    with transaction.atomic():
        review = (
            Review.objects.select_for_update(no_key=True)
            .filter(pk=review_id, subject=seller, role=Review.Role.BUYER)
            .first()
        )
        if review is None or not review.is_visible:
            raise ReviewError(_("There is no such review."))
        if review.reply:
            raise ReviewError(_("You have already replied to this review."))
        review.reply = text
        review.replied_at = timezone.now()
        review.save(update_fields=["reply", "replied_at", "updated_at"])
        gig_fragments_forget(review.gig_id)  # the reply shows on the gig page
    return review


@retry_on_conflict
def review_hide(*, review_id: int, actor: User, reason: str) -> Review:
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Write the reason: the author and the subject will see it."))
    with transaction.atomic():
        # The order first, then its review: the order the reveal takes them in (README, "Lock order").
        order_id = Review.objects.filter(pk=review_id).values_list("order_id", flat=True).first()
        if order_id is None:
            raise ReviewError(_("There is no such review."))
        order = Order.objects.select_for_update(of=("self",), no_key=True).get(pk=order_id)
        review = Review.objects.select_for_update(no_key=True).get(pk=review_id)
        review.hidden_reason = reason
        review.hidden_at = timezone.now()
        review.save(update_fields=["hidden_reason", "hidden_at", "updated_at"])
        _refresh_aggregates(order)
    return review


def reviews_reveal_due(*, now=None, limit: int = 500) -> int:
    """Publish reviews whose window closed without the other side's review."""
    now = now or timezone.now()
    order_ids = list(
        Review.objects.filter(visible_at__isnull=True, reveal_due_at__lte=now)
        .order_by("order_id")
        .values_list("order_id", flat=True)
        .distinct()[:limit]
    )
    revealed = 0
    for order_id in order_ids:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True, of=("self",), no_key=True).filter(pk=order_id).first()
            )
            if order is None:
                continue
            due = list(Review.objects.filter(order=order, visible_at__isnull=True, reveal_due_at__lte=now))
            if due:
                _reveal(order, due)
                revealed += len(due)
    return revealed


def _reveal(order: Order, reviews: list[Review]) -> None:
    now = timezone.now()
    Review.objects.filter(pk__in=[r.pk for r in reviews]).update(visible_at=now)
    for review in reviews:
        review.visible_at = now
        notification_add(recipient=review.subject_id, kind=Notification.Kind.REVIEW_PUBLISHED, actor=review.author_id,
                         params={"order": order.pk, "title": order.gig_title}, url_name="orders:detail",
                         url_args=[order.pk])  # fmt: skip
    _refresh_aggregates(order)


def _refresh_aggregates(order: Order) -> None:
    """Recompute the gig's and both profiles' ratings from the visible reviews, in the
    caller's transaction, with the rows locked (gig, then profiles by id) so two reveals
    at once cannot overwrite each other with stale counts."""
    if order.gig_id:
        Gig.objects.select_for_update(no_key=True).filter(pk=order.gig_id).first()
    profiles = {
        p.pk: p
        for p in Profile.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted({order.buyer_id, order.seller_id}))
        .order_by("pk")
    }
    visible = Review.objects.filter(visible_at__isnull=False, hidden_at__isnull=True)
    if order.gig_id:
        row = visible.filter(gig_id=order.gig_id, role=Review.Role.BUYER).aggregate(avg=Avg("rating"), n=Count("id"))
        Gig.objects.filter(pk=order.gig_id).update(rating_avg=_avg(row["avg"]), rating_count=row["n"])
        gig_scores_refresh(gig_ids=[order.gig_id])
        gig_fragments_forget(order.gig_id)
    seller_row = visible.filter(subject_id=order.seller_id, role=Review.Role.BUYER).aggregate(
        avg=Avg("rating"), n=Count("id")
    )
    buyer_row = visible.filter(subject_id=order.buyer_id, role=Review.Role.SELLER).aggregate(
        avg=Avg("rating"), n=Count("id")
    )
    seller_profile = profiles.get(order.seller_id)
    if seller_profile is not None:
        seller_profile.rating_avg, seller_profile.rating_count = _avg(seller_row["avg"]), seller_row["n"]
        seller_profile.save(update_fields=["rating_avg", "rating_count", "updated_at"])
    buyer_profile = profiles.get(order.buyer_id)
    if buyer_profile is not None:
        buyer_profile.buyer_rating_avg, buyer_profile.buyer_rating_count = _avg(buyer_row["avg"]), buyer_row["n"]
        buyer_profile.save(update_fields=["buyer_rating_avg", "buyer_rating_count", "updated_at"])


def _avg(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- stats and levels -----------------------------------------------------------------------------


@dataclass
class SellerStats:
    completed: int
    cancelled: int
    on_time_rate: Decimal | None
    completion_rate: Decimal | None
    repeat_buyer_rate: Decimal | None
    rating: Decimal
    rating_count: int
    days_on_site: int


def seller_stats(*, user: User, now=None) -> SellerStats:
    """Counted by the one definition in orders.stats (done, not done, on time)."""
    now = now or timezone.now()
    sales = order_stats.seller_sales(seller_id=user.pk)
    per_buyer = list(
        Order.objects.filter(order_stats.DONE, seller=user)
        .values("buyer_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    profile = user.profile
    return SellerStats(
        completed=sales.done,
        cancelled=sales.not_done,
        on_time_rate=sales.on_time_rate,
        completion_rate=sales.completion_rate,
        repeat_buyer_rate=order_stats.rate(sum(1 for n in per_buyer if n > 1), len(per_buyer)),
        rating=profile.rating_avg,
        rating_count=profile.rating_count,
        days_on_site=(now - user.date_joined).days,
    )


@dataclass
class Criterion:
    name: str
    required: str
    actual: str
    met: bool


def level_criteria(stats: SellerStats, level: str) -> list[Criterion]:
    rule = settings.SELLER_LEVEL_RULES[level]

    def pct(value: Decimal | None) -> str:
        return "—" if value is None else f"{(value * 100).quantize(Decimal('1'))}%"

    return [
        Criterion(_("Completed orders"), str(rule["orders"]), str(stats.completed), stats.completed >= rule["orders"]),
        Criterion(
            _("Rating"),
            rule["rating"],
            str(stats.rating) if stats.rating_count else "—",
            stats.rating_count > 0 and stats.rating >= Decimal(rule["rating"]),
        ),
        Criterion(
            _("Delivered on time"),
            pct(Decimal(rule["on_time"])),
            pct(stats.on_time_rate),
            stats.on_time_rate is not None and stats.on_time_rate >= Decimal(rule["on_time"]),
        ),
        Criterion(
            _("Orders completed, not cancelled"),
            pct(Decimal(rule["completion"])),
            pct(stats.completion_rate),
            stats.completion_rate is not None and stats.completion_rate >= Decimal(rule["completion"]),
        ),
        Criterion(
            _("Days on the site"), str(rule["days"]), str(stats.days_on_site), stats.days_on_site >= rule["days"]
        ),
    ]


def seller_level_for(stats: SellerStats) -> str:
    for level in (SellerLevel.PROFESSIONAL, SellerLevel.ADVANCED):
        if all(c.met for c in level_criteria(stats, level)):
            return level
    return SellerLevel.NEW


def buyer_level_for(purchases: int) -> int:
    return sum(1 for threshold in settings.BUYER_LEVEL_PURCHASES if purchases >= threshold)


def reputation_refresh_user(*, user_id: int, now=None) -> Profile:
    """Recompute one person's stats and levels from the orders and reviews."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update(no_key=True, of=("self",)).select_related("user").get(pk=user_id)
        user = profile.user
        stats = seller_stats(user=user, now=now)
        profile.orders_completed = stats.completed
        profile.on_time_rate = stats.on_time_rate
        profile.completion_rate = stats.completion_rate
        profile.repeat_buyer_rate = stats.repeat_buyer_rate
        profile.response_minutes = first_response_minutes(user=user)
        profile.seller_level = seller_level_for(stats) if user.is_seller else SellerLevel.NEW
        profile.purchases_count = order_stats.purchases_count(buyer_id=user.pk)
        profile.buyer_level = buyer_level_for(profile.purchases_count)
        profile.stats_updated_at = timezone.now()
        profile.save()
    # After the profile's transaction: gigs come before profiles in the lock order.
    gig_scores_refresh(seller_ids=[user_id], now=now)
    return profile


def reputation_refresh_all(*, now=None) -> int:
    ids = list(
        User.objects.filter(Q(is_seller=True) | Q(purchases__isnull=False)).distinct().values_list("pk", flat=True)
    )
    for user_id in ids:
        reputation_refresh_user(user_id=user_id, now=now)
    return len(ids)
