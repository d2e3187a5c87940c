"""In a real browser: an urgent extra and top-up-and-pay in one step (a client with an empty
wallet orders "Срочно за 1 день", sees the rule on the checkout, pays the missing amount by
card, and lands on the paid order without another click); recently viewed gigs, share links
and "online"."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from moneyed import Money

from accounts.models import Profile
from escrow.selectors import escrow_balance, wallet_balances
from gigs.models import GigExtra
from orders.models import Order
from tests.e2e.test_journey import PASSWORD, log_in
from tests.factories import GigFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def rub(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_urgent_extra_and_card_top_up_pay_the_order_in_one_step(people):
    gig = GigFactory(seller=SellerFactory(), title="Нарисую логотип за один день", packages=[(3000, 5, 2)])
    urgent = GigExtra.objects.create(gig=gig, title="Срочно за 1 день", price=Money(1000, "RUB"), urgent_days=1)
    client = UserFactory(username="olga_client", email="olga@example.com", language="ru", password=PASSWORD)
    if not EmailAddress.objects.filter(user=client, email=client.email).update(verified=True, primary=True):
        EmailAddress.objects.create(user=client, email=client.email, verified=True, primary=True)

    olga = people("olga")
    log_in(olga, "olga@example.com")
    olga.go(f"/gig/{gig.pk}/")
    assert "срок 1 день" in olga.page.locator("main").inner_text()

    # --- the checkout says what the urgent extra does -----------------------------------------------
    olga.go(f"/checkout/{gig.pk}/?package=1")
    olga.page.locator(f"#extra-{urgent.pk}").check()
    olga.page.get_by_test_id("checkout-urgent").wait_for()
    summary = olga.page.locator("#checkout-summary").inner_text()
    assert "Срочно: вместо 5 дней" in summary and "Срок выполнения: 1 день" in summary
    assert "4 000" in rub(olga.page.get_by_test_id("checkout-total").inner_text())
    olga.shot("checkout-urgent")
    olga.submit("main form", "button.btn-lg")

    # --- nothing in the wallet: one button tops up by card and pays ----------------------------------
    assert "4 000" in rub(olga.page.get_by_test_id("pay-total").inner_text())
    olga.shot("pay-by-card")
    olga.submit("main form")
    assert "/payments/sandbox/" in olga.page.url
    olga.page.fill("input[name=card_number]", "4242 4242 4242 4242")
    olga.page.fill("input[name=expiry]", "12/30")
    olga.page.fill("input[name=cvc]", "123")
    olga.submit("main form")

    order = Order.objects.get(buyer=client)
    assert olga.page.url.rstrip("/").endswith(f"/orders/{order.pk}")
    main = olga.page.locator("main").inner_text()
    assert "Оплачено картой" in main and "Оплатить с баланса" not in main
    olga.shot("order-paid-by-card")
    assert order.status == Order.Status.IN_PROGRESS and order.delivery_days == 1  # the gig asks no questions
    assert escrow_balance(order_id=order.pk) == Money(Decimal("4000"), "RUB")
    assert wallet_balances(user=client).available == Money(0, "RUB")
    assert olga.console_errors == []


def test_recently_viewed_gigs_follow_the_browser_not_the_page(people):
    first = GigFactory(title="Сделаю сайт-визитку на Тильде", packages=[(5000, 5, 2)])
    second = GigFactory(title="Напишу продающий текст для лендинга", packages=[(1500, 2, 1)])
    Profile.objects.filter(pk=first.seller_id).update(last_seen_at=timezone.now())
    visitor = people("visitor")
    visitor.go("/")
    assert visitor.page.locator("section.recently-viewed").is_hidden()
    visitor.go(f"/gig/{first.pk}/")
    visitor.go(f"/gig/{second.pk}/")
    visitor.page.locator("section.recently-viewed .gig-card").first.wait_for()
    on_gig_page = visitor.page.locator("section.recently-viewed").inner_text()
    assert first.title in on_gig_page and second.title not in on_gig_page  # not the gig being viewed
    visitor.shot("gig-share-and-recent")
    visitor.go("/")
    visitor.page.locator("section.recently-viewed .gig-card").first.wait_for()
    cards = visitor.page.locator("section.recently-viewed .gig-card h3").all_inner_texts()
    assert cards == [second.title, first.title]  # newest first
    assert visitor.page.locator("section.recently-viewed .gig-card-online").count() == 1
    visitor.shot("home-recent")
    # Another browser has seen nothing.
    other = people("other")
    other.go("/")
    assert other.page.locator("section.recently-viewed").is_hidden()
    visitor.page.locator("[data-recent-clear]").click()
    visitor.go("/")
    assert visitor.page.locator("section.recently-viewed").is_hidden()
