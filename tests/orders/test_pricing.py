"""Delivery time: urgent extras set it, quantity scales it, one rule for checkout and order."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from moneyed import Money

from gigs.models import GigExtra
from orders import services
from orders.pricing import delivery_days
from tests.orders import flow

pytestmark = pytest.mark.django_db


def _extra(gig, title="Срочно за 1 день", price=1000, **fields):
    return GigExtra.objects.create(gig=gig, title=title, price=Money(price, "RUB"), **fields)


@pytest.mark.parametrize(
    ("package_days", "extras", "quantity", "days"),
    [
        (5, [], 1, 5),
        (5, [(0, 1)], 1, 1),  # urgent: 1 day instead of 5
        (5, [(2, None), (0, 1)], 1, 1),  # urgent sets the whole time, the added days included
        (5, [(0, 3), (0, 2)], 1, 2),  # the fastest of two urgent extras
        (2, [(0, 3)], 1, 2),  # never longer than without it
        (3, [], 3, 6),  # each further unit adds half of one: 3 + 1.5 + 1.5
        (3, [], 2, 5),  # 3 + 1.5, rounded up
        (5, [(0, 1)], 3, 2),  # urgent, three units: 1 + 0.5 + 0.5
        (5, [(1, None)], 2, 9),  # (5 + 1) + 3
    ],
)
def test_delivery_days_rule(package_days, extras, quantity, days):
    chosen = [GigExtra(extra_days=added, urgent_days=urgent) for added, urgent in extras]
    assert delivery_days(package_days=package_days, extras=chosen, quantity=quantity) == days


def test_an_urgent_order_is_due_in_the_urgent_time_and_its_revision_too(gig, buyer):
    urgent = _extra(gig, urgent_days=1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        order = flow.in_progress(gig, buyer, tier=2, extras=[urgent.pk])  # package 2: 5 days
        assert order.delivery_days == 1 and order.revision_days == 1
        assert order.deadline_at == timezone.now() + timedelta(days=1)
        assert order.extras == [{"title": "Срочно за 1 день", "price": "1000.00", "days": 0, "urgent_days": 1}]
        assert order.total == Money(3500, "RUB")
        order = services.order_deliver(order_id=order.pk, seller=order.seller, message="Done", files=[])
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        order = services.order_request_revision(order_id=order.pk, buyer=buyer, reason="Bigger letters")
        assert order.deadline_at == timezone.now() + timedelta(days=1)


def test_checkout_says_the_urgent_rule_and_the_quantity_rule(client, gig, buyer):
    urgent = _extra(gig, urgent_days=1)
    buyer.language = "ru"
    buyer.save(update_fields=["language"])
    client.force_login(buyer)
    with translation.override("ru"):
        url = reverse("orders:checkout", args=[gig.pk])
        page = client.get(url, {"package": 2}).content.decode()
        # The gig's extras list says what the urgent one does.
        assert "Срочно за 1 день" in page and "срок 1 день" in page
        summary = client.get(url, {"package": 2, "extras": [urgent.pk], "quantity": 1}, HTTP_HX_REQUEST="true")
        text = summary.content.decode()
        assert "Срок выполнения: 1 день" in text and "Срочно: вместо 5 дней" in text
        summary = client.get(url, {"package": 2, "quantity": 3}, HTTP_HX_REQUEST="true")
        text = summary.content.decode()
        assert "Срок выполнения: 10 дней" in text and "половину срока одной" in text
        assert "Срочно" not in text


def test_the_gig_page_shows_what_an_urgent_extra_does(client, gig):
    _extra(gig, urgent_days=1)
    with translation.override("ru"):
        page = client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    assert "срок 1 день" in page


def test_an_urgent_extra_never_adds_days_too(gig):
    with pytest.raises(IntegrityError), transaction.atomic():
        _extra(gig, extra_days=2, urgent_days=1)


def test_the_editor_saves_an_urgent_extra_and_refuses_a_slow_one(client, seller):
    from gigs.models import Gig
    from tests.factories import CategoryFactory
    from tests.gigs.editor import editor_post

    client.force_login(seller)
    category = CategoryFactory()
    slow = editor_post(category.pk, extras=[{"title": "Срочно", "price": "900", "extra_days": "0", "urgent_days": "5"}])
    response = client.post(reverse("gigs:create"), slow)  # packages take 3 and 5 days
    assert response.status_code == 200 and not Gig.objects.exists()
    assert "quicker than your packages: from 1 to 4 days" in response.content.decode()
    both = editor_post(category.pk, extras=[{"title": "Срочно", "price": "900", "extra_days": "2", "urgent_days": "1"}])
    response = client.post(reverse("gigs:create"), both)
    assert response.status_code == 200 and not Gig.objects.exists()
    assert "cannot add days as well" in response.content.decode()
    good = editor_post(category.pk, extras=[{"title": "Срочно", "price": "900", "extra_days": "0", "urgent_days": "1"}])
    assert client.post(reverse("gigs:create"), good).status_code == 302
    extra = Gig.objects.get().extras.get()
    assert extra.urgent_days == 1 and extra.extra_days == 0
    # The editor shows it again when the gig is edited.
    page = client.get(reverse("gigs:edit", args=[Gig.objects.get().pk])).content.decode()
    assert 'name="extra-0-urgent_days" value="1"' in page
