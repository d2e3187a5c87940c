"""In a real browser, with PAYMENT_PROVIDER=yookassa and PAYOUT_PROVIDER=yookassa against the
local fake of YooKassa's API (tests/fakes/yookassa.py), which posts its notifications to the
live server's webhook as YooKassa would:

- a client orders with an empty wallet, pays on the provider's page, and lands on the paid
  order (the notification was read back and captured, the top-up paid the order);
- the client tops up again and sends part of it back to the card (a refund with a receipt);
- the seller withdraws to a card, staff send it from Django admin, the gateway pays it.

The reconciliation finds nothing at the end."""

import copy
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from moneyed import Money

from escrow.models import CardRefund, Payment, Withdrawal
from escrow.selectors import wallet_balances
from escrow.services import ledger_reconcile
from orders.models import Order
from tests.e2e.test_journey import PASSWORD, log_in, make_staff
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.fakes.yookassa import FakeYooKassa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def yookassa(live_server, settings):
    with FakeYooKassa(notify_url=live_server.url + "/webhooks/yookassa/") as fake:
        settings.SITE_URL = live_server.url
        settings.PAYMENT_PROVIDER = settings.PAYOUT_PROVIDER = "yookassa"
        settings.YOOKASSA_API_URL = fake.url + "/v3"
        settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = fake.shop_id, fake.secret_key
        settings.YOOKASSA_PAYOUT_AGENT_ID, settings.YOOKASSA_PAYOUT_SECRET_KEY = fake.agent_id, fake.payout_secret
        settings.YOOKASSA_NOTIFICATION_IPS = ["127.0.0.1/32"]  # the fake posts from loopback
        settings.YOOKASSA_RETRY_BACKOFF_SECONDS = 0.05
        # Our pages may send forms to the provider's page (https: in production; the fake is http).
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], fake.url]
        settings.CONTENT_SECURITY_POLICY = policy
        yield fake


def _verified(user):
    if not EmailAddress.objects.filter(user=user, email=user.email).update(verified=True, primary=True):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def rub(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_pay_return_to_card_and_withdraw_through_yookassa(people, yookassa):
    seller = _verified(SellerFactory(username="ivan_seller", email="ivan@example.com", password=PASSWORD))
    gig = GigFactory(seller=seller, title="Сверстаю лендинг по макету", packages=[(3000, 5, 2)])
    client = _verified(UserFactory(username="olga_client", email="olga@example.com", language="ru", password=PASSWORD))

    # --- the client pays for an order on YooKassa's page --------------------------------------------
    olga = people("olga-yookassa")
    log_in(olga, "olga@example.com")
    olga.go(f"/checkout/{gig.pk}/?package=1")
    olga.submit("main form", "button.btn-lg")
    olga.submit("main form")  # "top up by card and pay"
    assert olga.page.url.startswith(yookassa.url + "/checkout/")
    olga.shot("provider-checkout", check_a11y=False)  # the provider's page, not ours
    payment = Payment.objects.get(user=client)
    ((_payment_id, receipt),) = yookassa.receipts
    assert receipt["customer"]["email"] == "olga@example.com"
    olga.submit("form", "#pay")
    # Back on our return page, which reloads until the notification has been read back.
    olga.page.wait_for_url("**/orders/*/", timeout=20_000)
    order = Order.objects.get(buyer=client)
    assert order.status in (Order.Status.IN_PROGRESS, Order.Status.AWAITING_REQUIREMENTS)
    assert yookassa.payments[payment.provider_payment_id]["status"] == "succeeded"
    assert "Оплачено картой" in olga.page.locator("main").inner_text()
    olga.shot("order-paid-through-yookassa")

    # --- a top-up, then part of it back to the card ------------------------------------------------
    olga.go("/wallet/")
    olga.page.fill("#top-up-amount", "2000")
    olga.submit("form[action$='/wallet/top-up/']")
    olga.submit("form", "#pay")
    olga.page.wait_for_url("**/wallet/", timeout=20_000)
    assert wallet_balances(user=client).available == Money(Decimal("2000"), "RUB")
    olga.page.locator("#card-refund").wait_for()
    olga.shot("wallet-return-to-card")
    olga.page.fill("#card-refund-amount", "500")
    olga.submit("#card-refund form")
    assert "возвращается на карту" in olga.page.locator("main").inner_text().lower() or "500" in rub(
        olga.page.locator("main").inner_text()
    )
    refund = CardRefund.objects.get(user=client)
    refund.refresh_from_db()
    assert refund.status == CardRefund.Status.SUCCEEDED
    assert wallet_balances(user=client).available == Money(Decimal("1500"), "RUB")
    assert len(yookassa.refund_receipts) == 1
    olga.go("/wallet/")
    assert "Возвращено на карту" in olga.page.locator("#card-refund").inner_text()
    olga.shot("wallet-returned")

    # --- the seller withdraws; staff send it from admin; the gateway pays it ------------------------
    from escrow.services import wallet_top_up

    wallet_top_up(user=seller, amount=Money(5000, "RUB"), key="topup:test:ivan")
    ivan = people("ivan-yookassa")
    log_in(ivan, "ivan@example.com")
    ivan.go("/wallet/payout-methods/")
    ivan.page.select_option("select[name=kind]", "card")
    ivan.page.fill("input[name=value]", "4111 1111 1111 1111")
    ivan.submit("main form")
    ivan.go("/wallet/")
    ivan.page.fill("#withdraw-amount", "2000")
    ivan.submit("#withdraw form")
    withdrawal = Withdrawal.objects.get(user=seller)
    assert withdrawal.status == Withdrawal.Status.REQUESTED

    staff = make_staff()
    moderator = people("moderator-yookassa")
    log_in(moderator, staff.email)
    moderator.go("/admin/escrow/withdrawal/")
    moderator.page.locator(f"input[name=_selected_action][value='{withdrawal.pk}']").check()
    moderator.page.select_option("select[name=action]", "send_through_provider")
    moderator.submit("#changelist-form", "button[name=index]")
    assert "1" in moderator.page.locator(".messagelist").inner_text()
    moderator.shot("admin-sent-through-gateway", check_a11y=False)
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.SENDING and withdrawal.provider_payout_id
    yookassa.complete_payout(withdrawal.provider_payout_id)
    yookassa.wait_notifications(len(yookassa.notifications_log) + 1, timeout=10)
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.PAID
    ivan.go("/wallet/")
    assert "Оплачено" in ivan.page.locator("#withdrawals-heading + ul").inner_text()
    ivan.shot("wallet-withdrawal-paid")

    assert all(entry["status_code"] == 200 for entry in yookassa.notifications_log), yookassa.notifications_log
    report = ledger_reconcile(notify=False)
    assert report.ok, report.problems
    assert olga.console_errors == [] and ivan.console_errors == []
