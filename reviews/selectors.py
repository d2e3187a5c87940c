"""Reads of reviews for pages, with the visibility rules of the double-blind reveal."""

from django.db.models import Q, QuerySet

from accounts.models import User
from orders.models import Order

from .models import Review


def reviews_public(*, gig_id: int | None = None, subject: User | None = None, role: str = Review.Role.BUYER,
                   rating: int | None = None) -> QuerySet:  # fmt: skip
    """Published reviews, newest first; hidden ones are left out of public lists."""
    reviews = Review.objects.filter(visible_at__isnull=False, hidden_at__isnull=True, role=role)
    if gig_id is not None:
        reviews = reviews.filter(gig_id=gig_id)
    if subject is not None:
        reviews = reviews.filter(subject=subject)
    if rating:
        reviews = reviews.filter(rating=rating)
    return reviews.select_related("author__profile").order_by("-visible_at", "-id")


def reviews_for_order(*, order: Order, user: User) -> dict:
    """The review state the order page shows to one party: their review, the other side's
    (only once published), and what they can do now."""
    mine = other = None
    for review in Review.objects.filter(order=order).select_related("author"):
        if review.author_id == user.pk:
            mine = review
        else:
            other = review
    if other is not None and other.visible_at is None:
        other_state = "hidden"  # written, but double-blind until both are in or the window closes
        other = None
    else:
        other_state = "visible" if other else "missing"
    return {"mine": mine, "other": other, "other_state": other_state}


def reviews_awaiting(*, user: User) -> QuerySet:
    """Completed orders this user has not reviewed yet and still can."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - timedelta(days=settings.REVIEW_WINDOW_DAYS)
    written = Review.objects.filter(author=user).values("order_id")
    return (
        Order.objects.filter(Q(buyer=user) | Q(seller=user), status=Order.Status.COMPLETED, completed_at__gte=since)
        .exclude(pk__in=written)
        .order_by("-completed_at")
    )
