import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts.models import Profile, SellerLevel
from gigs.models import Gig
from orders import services as order_services
from reviews import services
from reviews.models import Review
from reviews.services import ReviewData, ReviewError, SellerStats
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow
from tests.orders.conftest import buyer, gig  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

GOOD = ReviewData(rating=5, text="Great work, fast and clean.", communication=5, quality=5, on_time=5)
FAIR = ReviewData(rating=4, text="Pleasant client, clear brief.")


def test_double_blind_reveal(client, gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    seller = order.seller
    mine = services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    assert mine.visible_at is None
    # Hidden from everyone but the author: not on the gig page, not on the seller's order page.
    assert "Great work" not in client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    client.force_login(seller)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Great work" not in page and "bi-eye-slash" in page
    client.force_login(buyer)
    assert "Great work" in client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert Gig.objects.get(pk=gig.pk).rating_count == 0

    services.review_submit(order_id=order.pk, author=seller, data=FAIR)
    assert Review.objects.filter(order=order, visible_at__isnull=False).count() == 2
    client.logout()
    assert "Great work" in client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    gig.refresh_from_db()
    assert (gig.rating_avg, gig.rating_count) == (Decimal("5.00"), 1)
    assert Profile.objects.get(pk=buyer.pk).buyer_rating_count == 1


def test_one_side_alone_is_revealed_when_the_window_closes(gig, buyer, settings):  # noqa: F811
    order = flow.completed(gig, buyer)
    services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    assert services.reviews_reveal_due() == 0
    later = timezone.now() + timedelta(days=settings.REVIEW_WINDOW_DAYS, minutes=1)
    assert services.reviews_reveal_due(now=later) == 1
    assert Review.objects.get(order=order).visible_at is not None
    gig.refresh_from_db()
    assert gig.rating_count == 1
    with time_machine.travel(later), pytest.raises(ReviewError, match="passed"):
        services.review_submit(order_id=order.pk, author=order.seller, data=FAIR)


def test_only_parties_of_a_completed_order_review_once(client, gig, buyer):  # noqa: F811
    active = flow.in_progress(gig, buyer)
    with pytest.raises(ReviewError, match="completed"):
        services.review_submit(order_id=active.pk, author=buyer, data=GOOD)
    order = flow.completed(gig, buyer)
    with pytest.raises(ReviewError, match="took part"):
        services.review_submit(order_id=order.pk, author=UserFactory(), data=GOOD)
    services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    with pytest.raises(ReviewError, match="already"):
        services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    # The database refuses a second review of the same side even without the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            order=order,
            role="buyer",
            author=buyer,
            subject=order.seller,
            rating=1,
            text="again!!",
            reveal_due_at=timezone.now(),
        )
    # Another user's review form: 404.
    client.force_login(UserFactory())
    response = client.post(reverse("reviews:submit", args=[order.pk]), {"rating": 1, "text": "x" * 20})
    assert response.status_code == 404


def test_bad_scores_are_refused(gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    for data in (
        ReviewData(6, "too many stars"),
        ReviewData(0, "no stars at all"),
        ReviewData(5, "short"),
        ReviewData(5, "missing detail scores", communication=None, quality=5, on_time=5),
    ):
        with pytest.raises(ReviewError):
            services.review_submit(order_id=order.pk, author=buyer, data=data)
    assert not Review.objects.exists()


def test_edit_only_for_24_hours_and_before_reveal(gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    review = services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    services.review_edit(review_id=review.pk, author=buyer, data=ReviewData(4, "Good, a bit slow.", 4, 4, 3))
    assert Review.objects.get(pk=review.pk).rating == 4
    with time_machine.travel(timezone.now() + timedelta(hours=25)), pytest.raises(ReviewError, match="24 hours"):
        services.review_edit(review_id=review.pk, author=buyer, data=GOOD)
    services.review_submit(order_id=order.pk, author=order.seller, data=FAIR)
    with pytest.raises(ReviewError, match="published"):
        services.review_edit(review_id=review.pk, author=buyer, data=GOOD)


def test_seller_replies_once(gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    review = services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    with pytest.raises(ReviewError):
        services.review_reply(review_id=review.pk, seller=order.seller, text="Thanks!")  # not published yet
    services.review_submit(order_id=order.pk, author=order.seller, data=FAIR)
    services.review_reply(review_id=review.pk, seller=order.seller, text="Thanks!")
    with pytest.raises(ReviewError, match="already"):
        services.review_reply(review_id=review.pk, seller=order.seller, text="Again")


def test_staff_hide_updates_aggregates_and_shows_the_reason(client, gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    review = services.review_submit(order_id=order.pk, author=buyer, data=GOOD)
    services.review_submit(order_id=order.pk, author=order.seller, data=FAIR)
    services.review_hide(review_id=review.pk, actor=UserFactory(is_staff=True), reason="Contains a phone number")
    gig.refresh_from_db()
    assert gig.rating_count == 0
    client.force_login(buyer)
    assert "Contains a phone number" in client.get(reverse("orders:detail", args=[order.pk])).content.decode()


def test_reviews_after_a_split_but_not_after_a_refund(gig, buyer):  # noqa: F811
    judge = UserFactory(is_superuser=True, is_staff=True)
    split = flow.disputed(gig, buyer)
    order_services.dispute_resolve(order_id=split.pk, actor=judge, outcome="split", seller_percent=50, decision="Half.")
    services.review_submit(order_id=split.pk, author=buyer, data=GOOD)
    refunded = flow.disputed(gig, UserFactory())
    order_services.dispute_resolve(order_id=refunded.pk, actor=judge, outcome="refund", decision="Refund.")
    with pytest.raises(ReviewError):
        services.review_submit(order_id=refunded.pk, author=refunded.buyer, data=GOOD)


def test_review_pages_filter_and_paginate(client, gig):  # noqa: F811
    for rating in (5, 4, 5):
        order = flow.completed(gig, UserFactory())
        services.review_submit(
            order_id=order.pk,
            author=order.buyer,
            data=ReviewData(rating, f"Rated {rating} stars here", rating, rating, rating),
        )
        services.review_submit(order_id=order.pk, author=order.seller, data=FAIR)
    page = client.get(reverse("reviews:gig", args=[gig.pk])).content.decode()
    assert page.count("Rated 5 stars") == 2 and "Rated 4 stars" in page
    only4 = client.get(reverse("reviews:gig", args=[gig.pk]), {"rating": 4}).content.decode()
    assert "Rated 4 stars" in only4 and "Rated 5 stars" not in only4
    profile = client.get(reverse("accounts:profile", args=[gig.seller.username])).content.decode()
    assert "Rated 4 stars" in profile


# --- aggregates never drift -----------------------------------------------------------------------


def _fresh(gig_id, seller_id, buyer_ids):
    visible = Review.objects.filter(visible_at__isnull=False, hidden_at__isnull=True)
    gig_rows = list(visible.filter(gig_id=gig_id, role="buyer").values_list("rating", flat=True))
    seller_rows = list(visible.filter(subject_id=seller_id, role="buyer").values_list("rating", flat=True))
    result = {"gig": _avg(gig_rows), "seller": _avg(seller_rows)}
    for buyer_id in buyer_ids:
        result[buyer_id] = _avg(
            list(visible.filter(subject_id=buyer_id, role="seller").values_list("rating", flat=True))
        )
    return result


def _avg(values):
    if not values:
        return (Decimal("0.00"), 0)
    return ((Decimal(sum(values)) / len(values)).quantize(Decimal("0.01")), len(values))


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["buyer", "seller", "hide", "sweep"]), st.integers(0, 2), st.integers(1, 5)),
        min_size=1,
        max_size=12,
    )
)
def test_aggregates_equal_a_fresh_computation(steps):
    seller = SellerFactory()
    the_gig = GigFactory(seller=seller, packages=[(1000, 3, 1)])
    orders = [flow.completed(the_gig, UserFactory()) for _ in range(3)]
    far = timezone.now() + timedelta(days=11)
    for action, index, rating in steps:
        order = orders[index]
        try:
            if action == "buyer":
                services.review_submit(
                    order_id=order.pk,
                    author=order.buyer,
                    data=ReviewData(rating, "Some honest words", rating, rating, rating),
                )
            elif action == "seller":
                services.review_submit(order_id=order.pk, author=seller, data=ReviewData(rating, "Some honest words"))
            elif action == "hide":
                review = Review.objects.filter(order=order).first()
                if review:
                    services.review_hide(review_id=review.pk, actor=seller, reason="spam")
            else:
                services.reviews_reveal_due(now=far)
        except ReviewError:
            pass
        the_gig.refresh_from_db()
        seller.profile.refresh_from_db()
        fresh = _fresh(the_gig.pk, seller.pk, [o.buyer_id for o in orders])
        assert (the_gig.rating_avg, the_gig.rating_count) == fresh["gig"]
        assert (seller.profile.rating_avg, seller.profile.rating_count) == fresh["seller"]
        for o in orders:
            p = Profile.objects.get(pk=o.buyer_id)
            assert (p.buyer_rating_avg, p.buyer_rating_count) == fresh[o.buyer_id]


# --- levels at the edges of each threshold -----------------------------------------------------------


def stats(**overrides) -> SellerStats:
    base = dict(
        completed=10,
        cancelled=0,
        on_time_rate=Decimal("0.9"),
        completion_rate=Decimal("0.85"),
        repeat_buyer_rate=None,
        rating=Decimal("4.6"),
        rating_count=10,
        days_on_site=60,
    )
    base.update(overrides)
    return SellerStats(**base)


@pytest.mark.parametrize(
    ("overrides", "level"),
    [
        ({}, SellerLevel.ADVANCED),  # exactly at every edge
        ({"completed": 9}, SellerLevel.NEW),
        ({"rating": Decimal("4.59")}, SellerLevel.NEW),
        ({"on_time_rate": Decimal("0.899")}, SellerLevel.NEW),
        ({"completion_rate": Decimal("0.849")}, SellerLevel.NEW),
        ({"days_on_site": 59}, SellerLevel.NEW),
        ({"rating_count": 0}, SellerLevel.NEW),
        (
            {
                "completed": 50,
                "rating": Decimal("4.8"),
                "on_time_rate": Decimal("0.95"),
                "completion_rate": Decimal("0.9"),
                "days_on_site": 180,
            },
            SellerLevel.PROFESSIONAL,
        ),
        (
            {
                "completed": 50,
                "rating": Decimal("4.79"),
                "on_time_rate": Decimal("0.95"),
                "completion_rate": Decimal("0.9"),
                "days_on_site": 180,
            },
            SellerLevel.ADVANCED,
        ),
    ],
)
def test_seller_level_thresholds(overrides, level):
    assert services.seller_level_for(stats(**overrides)) == level


@pytest.mark.parametrize(
    ("purchases", "level"), [(0, 0), (1, 1), (6, 1), (7, 2), (19, 2), (20, 3), (50, 4), (89, 4), (90, 5)]
)
def test_buyer_levels(purchases, level):
    assert services.buyer_level_for(purchases) == level


def test_refresh_computes_stats_from_prepared_history(gig, buyer):  # noqa: F811
    done = flow.completed(gig, buyer)
    flow.completed(gig, buyer)  # the same buyer again: a repeat buyer
    late = flow.in_progress(gig, UserFactory())
    with time_machine.travel(late.deadline_at + timedelta(hours=1)):
        order_services.order_deliver(order_id=late.pk, seller=gig.seller, message="late", files=[])
        order_services.order_accept(order_id=late.pk, buyer=late.buyer)
    cancelled = flow.in_progress(gig, UserFactory())
    order_services.order_cancel(order_id=cancelled.pk, actor=gig.seller, reason="Cannot do it")
    profile = services.reputation_refresh_user(user_id=gig.seller_id)
    assert profile.orders_completed == 3
    assert profile.on_time_rate == Decimal("0.667")
    assert profile.completion_rate == Decimal("0.750")
    assert profile.repeat_buyer_rate == Decimal("0.500")
    assert profile.seller_level == SellerLevel.NEW
    buyer_profile = services.reputation_refresh_user(user_id=buyer.pk)
    assert buyer_profile.purchases_count == 2 and buyer_profile.buyer_level == 1
    assert done.pk


def test_profile_shows_level_criteria_to_the_owner_only(client, gig, buyer):  # noqa: F811
    url = reverse("accounts:profile", args=[gig.seller.username])
    assert "level-title" not in client.get(url).content.decode()
    client.force_login(gig.seller)
    page = client.get(url).content.decode()
    assert "level-title" in page and "Completed orders" in page


def test_response_time_is_measured_from_messages(seller):
    from messaging.models import Conversation, Message
    from reviews.services import reputation_refresh_user

    client_a, client_b = UserFactory(), UserFactory()
    start = timezone.now() - timedelta(days=1)
    for other, delay in ((client_a, 30), (client_b, 90)):
        low, high = sorted([seller, other], key=lambda u: u.pk)
        conversation = Conversation.objects.create(user_low=low, user_high=high)
        first = Message.objects.create(conversation=conversation, sender=other, body="Hello, are you free?")
        reply = Message.objects.create(conversation=conversation, sender=seller, body="Yes!")
        Message.objects.filter(pk=first.pk).update(created_at=start)
        Message.objects.filter(pk=reply.pk).update(created_at=start + timedelta(minutes=delay))
    assert reputation_refresh_user(user_id=seller.pk).response_minutes == 60


def _ru(name, *args) -> str:
    """The Russian page's address (reverse() inside the tests' English override gives /en/...)."""
    with translation.override("ru"):
        return reverse(name, args=args)


def test_review_form_is_star_radios_with_spoken_labels(client, gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    client.force_login(buyer)
    page = client.get(_ru("orders:detail", order.pk)).content.decode()
    form = page.split('action="' + _ru("reviews:submit", order.pk), 1)[1].split("</form>", 1)[0]
    for name in ("rating", "communication", "quality", "on_time"):
        widget = (
            form.split(f'id="id_{name}_0"', 1)[0].rsplit('<div class="star-rating">', 1)[1]
            + form.split(f'id="id_{name}_0"', 1)[1].split("</div>", 1)[0]
        )
        radios = re.findall(rf'<input type="radio" name="{name}" value="(\d)"', widget)
        assert radios == ["1", "2", "3", "4", "5"]  # in order: the right arrow gives more stars
        for n in range(1, 6):
            assert f'<span class="visually-hidden">{n} из 5</span>' in widget
    assert form.count('class="star-rating-input"') == 20
    assert "style=" not in form
    # An unrated criterion says so next to its stars, and the typed text stays.
    response = client.post(
        _ru("reviews:submit", order.pk), {"rating": "5", "quality": "4", "text": "Отличная работа, спасибо!"}
    )
    assert response.status_code == 400 and Review.objects.filter(order=order).count() == 0
    page = response.content.decode()
    assert 'id="id_communication_error"' in page and "Отличная работа, спасибо!" in page
    assert 'name="quality" value="4" class="star-rating-input" id="id_quality_3" required checked' in page
