"""Review parts for pages of other apps (gig, profile, order), without those apps importing reviews."""

from django import template

from reviews import selectors, services
from reviews.forms import BuyerReviewForm, ReplyForm, SellerReviewForm

register = template.Library()


@register.simple_tag
def gig_reviews(gig, limit=5):
    return list(selectors.reviews_public(gig_id=gig.pk)[:limit])


@register.simple_tag
def profile_reviews(person, limit=5):
    return list(selectors.reviews_public(subject=person)[:limit])


@register.simple_tag
def order_review_state(order, user, bound_form=None):
    """What the order page's review box shows; `bound_form` is a review form that failed
    (shown again with its errors and what was typed)."""
    state = selectors.reviews_for_order(order=order, user=user)
    role = order.party_role(user)
    mine = state["mine"]
    editable = mine is not None and mine.visible_at is None
    state["can_write"] = order.status == "completed" and (mine is None or editable)
    initial = {}
    if mine is not None:
        initial = {"rating": mine.rating, "communication": mine.communication, "quality": mine.quality,
                   "on_time": mine.on_time, "text": mine.text}  # fmt: skip
    form_class = BuyerReviewForm if role == "buyer" else SellerReviewForm
    state["form"] = bound_form if isinstance(bound_form, form_class) else form_class(initial=initial)
    state["reply_form"] = ReplyForm()
    state["window_closes_at"] = services.window_closes_at(order) if order.completed_at else None
    return state


@register.simple_tag
def seller_level_report(person):
    """The level and, for each next level, which criteria are met and what is missing."""
    stats = services.seller_stats(user=person)
    return {
        "stats": stats,
        "levels": [(level, services.level_criteria(stats, level)) for level in ("advanced", "professional")],
    }


@register.filter
def star_range(value):
    return range(int(value or 0))


@register.filter
def empty_star_range(value):
    return range(5 - int(value or 0))


@register.simple_tag
def orders_to_review(user) -> set[int]:
    """Ids of this user's completed orders still waiting for their review (the on-site prompt)."""
    if not user.is_authenticated:
        return set()
    return set(selectors.reviews_awaiting(user=user).values_list("pk", flat=True))
