"""Buyer requests and custom offers in a real browser: a client posts a request, two
freelancers send offers, the client compares and accepts one and pays; a freelancer sends
a custom offer in a conversation and the client accepts and pays it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from buyer_requests.models import BuyerRequest, Offer
from escrow.services import wallet_top_up
from gigs.models import Category
from gigs.services import category_tree_seed
from orders.models import Order
from tests.e2e.test_journey import PASSWORD, admin_action, log_in, rub
from tests.factories import SellerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person_user(factory, username, **kwargs):
    user = factory(username=username, email=f"{username}@example.com", password=PASSWORD, language="ru", **kwargs)
    return user


def test_request_offers_and_custom_offer(people):
    category_tree_seed()
    websites = Category.objects.get(parent__slug="development", slug="websites")
    client_user = person_user(UserFactory, "olga_client")
    maxim = person_user(SellerFactory, "maxim_dev")
    pavel = person_user(SellerFactory, "pavel_dev")
    staff = person_user(UserFactory, "request_moderator", is_staff=True)
    for codename in ("moderate_buyerrequest", "view_buyerrequest", "change_buyerrequest"):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    from moneyed import Money

    wallet_top_up(user=client_user, amount=Money(60000, "RUB"), key="e2e-requests-topup")

    # --- the client posts a request ----------------------------------------------------------------------
    olga = people("client")
    log_in(olga, client_user.email)
    olga.go("/requests/new/")
    olga.page.fill("input[name=title]", "Сайт-визитка для студии йоги")
    olga.page.fill(
        "textarea[name=description]",
        "Нужен сайт-визитка: главная, расписание, цены, контакты. Дизайн простой и светлый, адаптивная вёрстка.",
    )
    olga.page.select_option("select[name=category]", str(websites.pk))
    olga.page.fill("input[name=budget_min]", "15000")
    olga.page.fill("input[name=budget_max]", "25000")
    olga.shot("request-form")
    olga.submit("main form")
    buyer_request = BuyerRequest.objects.get(title="Сайт-визитка для студии йоги")

    moderator = people("request-staff")
    log_in(moderator, staff.email)
    admin_action(moderator, "/admin/buyer_requests/buyerrequest/", buyer_request.pk, "approve_selected")
    buyer_request.refresh_from_db()
    assert buyer_request.status == "active"

    # --- two freelancers send offers -------------------------------------------------------------------
    for seller, price, days in ((maxim, "18000", "10"), (pavel, "22000", "7")):
        freelancer = people(seller.username)
        log_in(freelancer, seller.email)
        freelancer.go("/requests/")
        assert "Сайт-визитка для студии йоги" in freelancer.page.locator("main").inner_text()
        freelancer.shot("board")
        freelancer.go(f"/requests/{buyer_request.pk}/")
        form = f"form[action='/requests/{buyer_request.pk}/offer/']"
        freelancer.page.fill(f"{form} textarea[name=message]", f"Сделаю за {days} дней, покажу похожие работы.")
        freelancer.page.fill(f"{form} input[name=price]", price)
        freelancer.page.fill(f"{form} input[name=delivery_days]", days)
        freelancer.page.fill(f"{form} input[name=revisions]", "2")
        freelancer.submit(form)
    assert Offer.objects.filter(request=buyer_request).count() == 2

    # --- the client compares, accepts one and pays -------------------------------------------------------
    olga.go(f"/requests/{buyer_request.pk}/offers/")
    text = rub(olga.page.locator("main").inner_text())
    assert "18 000" in text and "22 000" in text
    olga.shot("compare-offers")
    chosen = Offer.objects.get(freelancer=pavel)
    olga.submit(f"form[action='/requests/offers/{chosen.pk}/accept/']")
    order = Order.objects.get(buyer=client_user, seller=pavel)
    assert f"/orders/{order.pk}/pay/" in olga.page.url
    assert "22 000" in rub(olga.page.get_by_test_id("pay-total").inner_text())
    olga.submit("main form")
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS and order.total.amount == Decimal("22000")
    assert Offer.objects.get(freelancer=maxim).status == "declined"

    # --- a freelancer sends a custom offer in a conversation; the client accepts it ------------------------
    olga.go(f"/messages/with/{maxim.username}/")
    olga.page.fill("textarea[name=body]", "Жаль, что не вышло. Сможете сделать логотип студии?")
    with olga.page.expect_navigation():
        olga.page.locator("#composer button[type=submit]").last.click()
    maxim_page = people("maxim-chat")
    log_in(maxim_page, maxim.email)
    maxim_page.go("/messages/")
    assert "Сможете сделать логотип" in maxim_page.page.locator("main").inner_text()
    maxim_page.go(f"/messages/with/{client_user.username}/")
    maxim_page.page.locator("#custom-offer-form summary").click()
    maxim_page.page.fill("#custom-offer-form input[name=title]", "Логотип для студии йоги")
    maxim_page.page.fill("#custom-offer-form textarea[name=description]", "Три варианта, исходники, фавикон.")
    maxim_page.page.fill("#custom-offer-form input[name=price]", "6000")
    maxim_page.page.fill("#custom-offer-form input[name=delivery_days]", "4")
    maxim_page.submit("#custom-offer-form form")
    maxim_page.shot("custom-offer-sent")
    olga.page.reload()
    offer_card = olga.page.get_by_test_id("custom-offer").last
    assert "Логотип для студии йоги" in offer_card.inner_text()
    olga.shot("custom-offer-received")
    with olga.page.expect_navigation():
        offer_card.locator("form[action$='/accept/'] button").click()
    custom = Order.objects.get(buyer=client_user, seller=maxim)
    assert custom.total.amount == Decimal("6000")
    olga.submit("main form")
    custom.refresh_from_db()
    assert custom.status == Order.Status.IN_PROGRESS
    assert User.objects.get(pk=client_user.pk).profile is not None
