"""Ordering with the keyboard only: Tab to move, Enter and Space to act."""

import pytest
from moneyed import Money

from escrow.services import wallet_top_up
from orders.models import Order
from tests.e2e.test_journey import PASSWORD, log_in
from tests.factories import GigFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_to(page, predicate_js: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached: {predicate_js}")


def test_keyboard_only_ordering(people):
    buyer = UserFactory(username="keyboard_buyer", email="keys@example.com", password=PASSWORD, language="ru")
    gig = GigFactory(title="Keyboard friendly logo", with_image=True)
    gig.questions.all().delete()
    wallet_top_up(user=buyer, amount=Money(5000, "RUB"), key="e2e-keyboard")
    person = people("keyboard")
    log_in(person, buyer.email)
    page = person.page
    person.go(f"/gig/{gig.pk}/{gig.slug}/")

    tab_to(page, "el.tagName === 'BUTTON' && el.closest('form') && el.closest('form').action.includes('/checkout/')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/checkout/" in page.url
    # A visible focus ring on the focused control (CSS :focus-visible).
    tab_to(page, "el.classList.contains('btn-lg')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/pay/" in page.url
    tab_to(page, "el.tagName === 'BUTTON' && el.classList.contains('btn-lg')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    order = Order.objects.get(buyer=buyer)
    assert order.status == Order.Status.IN_PROGRESS
    assert f"/orders/{order.pk}/" in page.url
