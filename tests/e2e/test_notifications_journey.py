"""The notification centre in a real browser: a client orders and pays, the seller sees the
bell's count on the next page, opens the centre, clicks through to the order, and the
count is gone; the email settings page."""

import pytest
from moneyed import Money

from escrow.services import wallet_top_up
from orders.models import Order
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.e2e.test_journey import PASSWORD, log_in
from tests.factories import GigFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def header_shot(person, name: str) -> None:
    """The header alone, at both widths: the bell and its count are what this is about."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        person.page.set_viewport_size(size)
        person.page.locator("header").screenshot(path=str(ARTIFACTS / f"{person.name}-{name}-{label}.png"))
    person.page.set_viewport_size(DESKTOP)


def test_the_seller_follows_the_bell_to_the_new_order(people):
    seller = SellerFactory(username="nina_design", email="nina@example.com", password=PASSWORD, language="ru")
    client = UserFactory(username="oleg_client", email="oleg@example.com", password=PASSWORD, language="ru")
    gig = GigFactory(seller=seller, title="Нарисую иконки для приложения", with_image=True)
    wallet_top_up(user=client, amount=Money(20000, "RUB"), key="e2e-notifications-topup")

    nina = people("notify-seller")
    log_in(nina, seller.email)
    nina.go("/")
    assert nina.page.get_by_test_id("notifications-count").count() == 0
    nina.go("/notifications/")
    assert "Пока ничего не произошло" in nina.page.locator("main").inner_text()
    nina.shot("notifications-empty")

    # --- the client orders twice and pays from the balance ----------------------------------------------
    oleg = people("notify-client")
    log_in(oleg, client.email)
    for _ in range(2):
        oleg.go(f"/checkout/{gig.pk}/?package=1")
        oleg.submit("main form", "button.btn-lg")
        oleg.submit("main form")
    first, order = Order.objects.filter(buyer=client).order_by("pk")
    assert order.status == Order.Status.IN_PROGRESS

    # --- the seller's next page shows the bell with one; the centre leads to the order -----------------
    nina.go("/")
    desktop_bell = nina.page.get_by_test_id("notifications-bell")
    assert desktop_bell.get_by_test_id("notifications-count").inner_text().startswith("2")
    header_shot(nina, "header-bell")
    nina.page.set_viewport_size(PHONE)
    phone_bell = nina.page.get_by_test_id("notifications-bell-phone")
    assert phone_bell.is_visible() and "2" in phone_bell.inner_text()  # in sight without opening the menu
    nina.page.set_viewport_size(DESKTOP)
    with nina.page.expect_navigation():
        desktop_bell.click()
    assert nina.page.url.endswith("/notifications/")
    item = nina.page.get_by_test_id("notification").first
    text = item.inner_text()
    assert "oleg_client заказывает «Нарисую иконки для приложения»" in text and f"№{order.pk}" in text
    nina.shot("notifications-centre")
    with nina.page.expect_navigation():
        item.click()
    assert nina.page.url.endswith(f"/orders/{order.pk}/")
    assert "Нарисую иконки для приложения" in nina.page.locator("main").inner_text()
    assert nina.page.get_by_test_id("notifications-count").first.inner_text().startswith("1")  # read by opening it

    # --- the other one: "mark all read"; then the email settings ----------------------------------------
    nina.go("/notifications/")
    unread = nina.page.locator(".notification-unread")
    assert unread.count() == 1 and f"№{first.pk}" in unread.inner_text()
    nina.submit("form[action='/notifications/read/']")
    assert "Все уведомления отмечены как прочитанные." in nina.page.locator("main").inner_text()
    assert nina.page.locator(".notification-unread").count() == 0
    assert nina.page.get_by_test_id("notifications-count").count() == 0
    nina.shot("notifications-all-read")
    nina.go("/settings/notifications/")
    nina.page.locator("input[value=order_new]").uncheck()
    nina.shot("notification-settings")
    nina.submit("main form")
    assert "Настройки писем сохранены." in nina.page.locator("main").inner_text()
    assert not nina.page.locator("input[value=order_new]").is_checked()
    assert nina.page.locator("input[value=order_delivered]").is_checked()
