"""One definition of each seller stat (orders.stats), the same on every page, at once; and
what the seller is paid, on the order and sales pages."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from moneyed import Money

from accounts.models import Profile
from orders import services
from orders.models import Order
from reviews.services import reputation_refresh_user, seller_stats
from tests.factories import UserFactory
from tests.orders import flow

pytestmark = pytest.mark.django_db


def _judge():
    judge = UserFactory(is_staff=True)
    judge.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))
    return type(judge).objects.get(pk=judge.pk)


def _history(gig):
    """Accepted, auto-completed, late, released after a dispute, split, refunded, cancelled by
    the seller, the buyer's free cancellation and an unpaid one."""
    judge = _judge()
    flow.completed(gig, UserFactory())
    auto = flow.delivered(gig, UserFactory())
    services.order_auto_complete(order_id=auto.pk, now=auto.auto_complete_at + timedelta(minutes=1))
    late = flow.in_progress(gig, UserFactory())
    with time_machine.travel(late.deadline_at + timedelta(hours=1)):
        services.order_deliver(order_id=late.pk, seller=gig.seller, message="late", files=[])
        services.order_accept(order_id=late.pk, buyer=late.buyer)
    for outcome, percent in (("release", None), ("split", 40), ("refund", None)):
        disputed = flow.disputed(gig, UserFactory())
        services.dispute_resolve(
            order_id=disputed.pk, actor=judge, outcome=outcome, seller_percent=percent, decision="Decided."
        )
    by_seller = flow.in_progress(gig, UserFactory())
    services.order_cancel(order_id=by_seller.pk, actor=gig.seller, reason="Cannot do it")
    free = flow.paid(gig, UserFactory())
    services.order_cancel(order_id=free.pk, actor=free.buyer)
    flow.placed(gig, UserFactory())


def test_every_page_counts_the_same_the_moment_an_order_ends(client, gig):
    _history(gig)
    # Done: accepted, auto, late, released = 4. Not done: split, refund, seller's cancel = 3.
    profile = Profile.objects.get(pk=gig.seller_id)
    assert profile.orders_completed == 4
    assert str(profile.completion_rate) == "0.571"  # 4 / 7
    assert str(profile.on_time_rate) == "0.750"  # 3 of the 4 in time
    stats = seller_stats(user=gig.seller)
    assert (stats.completed, stats.cancelled, stats.completion_rate) == (4, 3, profile.completion_rate)
    # The nightly job finds nothing to correct.
    refreshed = reputation_refresh_user(user_id=gig.seller_id)
    assert (refreshed.orders_completed, refreshed.completion_rate, refreshed.on_time_rate) == (
        profile.orders_completed, profile.completion_rate, profile.on_time_rate,
    )  # fmt: skip
    # The profile's stats and the owner's level table say the same.
    client.force_login(gig.seller)
    page = client.get(reverse("accounts:profile", args=[gig.seller.username])).content.decode()
    done = re.search(r"Orders done</dt><dd[^>]*>(\d+)<", page).group(1)
    in_table = re.search(r"<td>Completed orders</td><td>\d+</td><td>(\d+)</td>", page).group(1)
    rate = re.search(r"Completion rate</dt><dd[^>]*>(\d+)%<", page).group(1)
    assert done == in_table == "4" and rate == "57"
    gig_page = client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    assert re.search(r"Orders done</dt>\s*<dd[^>]*>4</dd>", gig_page)


def test_a_split_is_not_shown_as_completed(client, gig, buyer):
    order = flow.disputed(gig, buyer)
    services.dispute_resolve(order_id=order.pk, actor=_judge(), outcome="split", seller_percent=40, decision="Half.")
    order = Order.objects.get(pk=order.pk)
    assert order.status == Order.Status.COMPLETED and order.completion_kind == Order.CompletionKind.SPLIT
    client.force_login(gig.seller)
    with translation.override("ru"):
        gig.seller.language = "ru"
        gig.seller.save(update_fields=["language"])
        page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
        listing = client.get(reverse("orders:sales") + "?tab=completed").content.decode()
    assert "Разделён арбитражем" in page and "Выполнен</span>" not in page
    assert "40% суммы — продавцу" in page
    # The seller's part: 400 ₽, the fee 20% of it, 320 ₽ received.
    assert "Ваша часть по решению спора" in page and "−80\u00a0₽" in page and "320\u00a0₽" in page
    assert "Разделён арбитражем" in listing and "вы получили 320\u00a0₽" in listing
    assert Profile.objects.get(pk=gig.seller_id).completion_rate == 0


def test_the_seller_sees_the_fee_and_the_net_payout_before_and_after(client, gig, buyer):
    order = flow.in_progress(gig, buyer, tier=2)  # 2 500 ₽ at 20%
    client.force_login(gig.seller)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Platform fee (20%)" in page and "−500\u00a0₽" in page
    assert "You will receive" in page and "2,000\u00a0₽" in page
    sales = client.get(reverse("orders:sales")).content.decode()
    assert "you get 2,000\u00a0₽" in sales
    services.order_deliver(order_id=order.pk, seller=gig.seller, message="Done", files=[])
    services.order_accept(order_id=order.pk, buyer=buyer)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "You received 2,000\u00a0₽ after the 500\u00a0₽ fee." in page
    assert "you got 2,000\u00a0₽" in client.get(reverse("orders:sales") + "?tab=completed").content.decode()
    # The buyer's pages show no fee and no payout.
    client.force_login(buyer)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Platform fee" not in page and "You received" not in page
    assert "you got" not in client.get(reverse("orders:purchases") + "?tab=completed").content.decode()
    assert order.total == Money(2500, "RUB")


def test_an_unpaid_or_cancelled_order_promises_no_payout(client, gig, buyer):
    unpaid = flow.placed(gig, buyer)
    cancelled = flow.cancelled(gig, UserFactory())
    client.force_login(gig.seller)
    for order in (unpaid, cancelled):
        page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
        assert 'data-testid="order-payout"' not in page
