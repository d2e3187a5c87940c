"""Top up by card and pay in one step: the webhook that credits the wallet pays the order."""

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from moneyed import Money

from escrow.models import Payment
from escrow.providers.sandbox import SIGNATURE_HEADER, sign
from escrow.selectors import escrow_balance, wallet_balances
from escrow.services import webhook_receive
from orders import services
from orders.models import Order
from tests.escrow.factories import DELAYED_CARD, VALID_CARD
from tests.orders import flow
from tests.orders.conftest import top_up

pytestmark = pytest.mark.django_db
S = Order.Status
CARD = {"expiry": "12/30", "cvc": "123"}


def _start_card_payment(client, order) -> Payment:
    response = client.post(reverse("orders:pay", args=[order.pk]))
    assert response.status_code == 302 and "/payments/sandbox/" in response["Location"]
    return Payment.objects.get(order_id=order.pk)


def _paid_body(payment: Payment, event_id: str) -> bytes:
    data = {"payment_id": payment.provider_payment_id, "amount": str(payment.amount.amount), "currency": "RUB"}
    return json.dumps({"id": event_id, "type": "payment.succeeded", "data": data}).encode()


def _webhook(payment: Payment, event_id: str = "evt_order_1"):
    body = _paid_body(payment, event_id)
    return webhook_receive(provider_name="sandbox", body=body, headers={SIGNATURE_HEADER: sign(body)})


def test_the_card_payment_pays_the_order_and_the_return_page_shows_it(client, gig, buyer):
    client.force_login(buyer)
    order = flow.placed(gig, buyer)  # 1 000 ₽
    top_up(buyer, 400)
    payment = _start_card_payment(client, order)
    assert payment.amount == Money(600, "RUB")  # only what is missing
    card_page = client.get(reverse("escrow:sandbox_checkout", args=[payment.pk]))
    assert card_page.status_code == 200
    response = client.post(reverse("escrow:sandbox_checkout", args=[payment.pk]), {"card_number": VALID_CARD, **CARD})
    # The webhook came in before the browser returned: the order is paid, not just the wallet.
    order.refresh_from_db()
    assert order.status == S.AWAITING_REQUIREMENTS and order.paid_at is not None
    assert escrow_balance(order_id=order.pk) == Money(1000, "RUB")
    assert wallet_balances(user=buyer).available == Money(0, "RUB")
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == reverse("orders:detail", args=[order.pk])
    texts = [str(m) for m in get_messages(page.wsgi_request)]
    assert texts == ["Paid by card. The money is held safely until you accept the work."]
    assert "Pay from balance" not in page.content.decode()


def test_a_webhook_delivered_again_pays_once(client, gig, buyer):
    client.force_login(buyer)
    order = flow.placed(gig, buyer)
    payment = _start_card_payment(client, order)
    first = _webhook(payment, "evt_a")
    again = _webhook(payment, "evt_a")
    other_id = _webhook(payment, "evt_b")  # a provider retrying under a new event id
    assert (first.duplicate, again.duplicate, other_id.duplicate) == (False, True, False)
    order.refresh_from_db()
    assert order.status == S.AWAITING_REQUIREMENTS
    assert escrow_balance(order_id=order.pk) == Money(1000, "RUB")
    assert wallet_balances(user=buyer).available == Money(0, "RUB")


def test_an_order_that_expired_meanwhile_keeps_the_money_in_the_wallet(client, gig, buyer):
    client.force_login(buyer)
    order = flow.placed(gig, buyer)
    payment = _start_card_payment(client, order)
    services.orders_sweep(now=timezone.now() + timedelta(hours=25))  # the unpaid order expires
    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    _webhook(payment)
    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    assert wallet_balances(user=buyer).available == Money(1000, "RUB")
    assert escrow_balance(order_id=order.pk) == Money(0, "RUB")


def test_money_spent_elsewhere_meanwhile_leaves_the_order_to_pay_by_hand(client, gig, buyer):
    client.force_login(buyer)
    order = flow.placed(gig, buyer)
    other = flow.placed(gig, buyer)
    top_up(buyer, 400)
    payment = _start_card_payment(client, order)  # 600 ₽ by card
    top_up(buyer, 600, key="second")
    flow_pay = services.order_pay(order_id=other.pk, buyer=buyer)  # the 1 000 ₽ go on the other order
    assert flow_pay.status == S.AWAITING_REQUIREMENTS
    _webhook(payment)
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT
    assert wallet_balances(user=buyer).available == Money(600, "RUB")
    # The payment page asks for the 400 ₽ still missing; the return page says nothing was paid.
    page = client.get(reverse("orders:pay", args=[order.pk]) + "?from=card")
    assert page.status_code == 200 and "400" in page.content.decode()


def test_a_top_up_for_someone_elses_order_pays_nothing(gig, buyer):
    from escrow.services import payment_start
    from tests.factories import UserFactory

    order = flow.placed(gig, buyer)
    stranger = UserFactory()
    payment = payment_start(user=stranger, amount=Money(1000, "RUB"), order_id=order.pk).payment
    _webhook(payment)
    assert Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT
    assert wallet_balances(user=stranger).available == Money(1000, "RUB")


def test_a_delayed_card_pays_the_order_when_its_late_webhook_arrives(client, gig, buyer):
    from escrow.providers.sandbox import sandbox_deliver_due

    client.force_login(buyer)
    order = flow.placed(gig, buyer)
    payment = _start_card_payment(client, order)
    client.post(reverse("escrow:sandbox_checkout", args=[payment.pk]), {"card_number": DELAYED_CARD, **CARD})
    processing = client.get(reverse("escrow:payment_return", args=[payment.pk]))
    assert processing.status_code == 200 and Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT
    assert sandbox_deliver_due(now=timezone.now() + timedelta(minutes=1)) == 1
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_REQUIREMENTS
    done = client.get(reverse("escrow:payment_return", args=[payment.pk]), follow=True)
    assert done.redirect_chain[-1][0] == reverse("orders:detail", args=[order.pk])
