"""What a person sees at the widths people use: a freelancer's header leaves room to type a
search, and the review's stars are radios that the keyboard drives."""

import pytest

from tests.e2e.test_journey import PASSWORD, log_in
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_freelancers_header_keeps_room_for_the_search(people):
    seller = SellerFactory(email="header-seller@example.com", password=PASSWORD)
    seller.profile.display_name = "Анна Соколова"
    seller.profile.save()
    person = people("header")
    log_in(person, seller.email)
    page = person.page
    for width in (1200, 1366, 1400, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        person.go("/")
        search = page.eval_on_selector("#header-q", "e => e.getBoundingClientRect().width")
        assert search >= 240, (width, search)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        # Every link still has its words for a screen reader, shown or not.
        names = page.eval_on_selector_all(".site-header .nav-link[href]", "els => els.map(e => e.textContent.trim())")
        assert all(names), (width, names)
    page.set_viewport_size({"width": 1366, "height": 800})
    person.go("/")
    assert page.locator(".site-header a[title='Продажи'] .bi").is_visible()
    person.shot("seller-header")


def test_review_stars_are_driven_by_the_keyboard(people):
    buyer = UserFactory(email="stars@example.com", password=PASSWORD)
    order = flow.completed(GigFactory(), buyer)
    person = people("stars")
    log_in(person, buyer.email)
    person.go(f"/orders/{order.pk}/")
    page = person.page
    page.locator("input[name=rating][value='4'] + label").click()
    assert page.eval_on_selector("input[name=rating]:checked", "e => e.value") == "4"
    page.keyboard.press("Tab")  # into the next criterion: one tab stop per group
    assert page.evaluate("document.activeElement.name") == "communication"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.eval_on_selector("input[name=communication]:checked", "e => e.value") == "3"
    outline = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert outline != "none"  # the focused star shows its ring
    # Lit up to the chosen star, and not beyond.
    lit = page.eval_on_selector_all(
        "input[name=communication] + label", "els => els.map(e => getComputedStyle(e).color)"
    )
    assert lit[0] == lit[1] == lit[2] != lit[3] == lit[4]
    person.shot("review-stars")
