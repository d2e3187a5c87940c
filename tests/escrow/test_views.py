import json

import pytest
from django.urls import reverse

from escrow.models import Payment, PayoutMethod, Withdrawal
from escrow.providers.sandbox import SIGNATURE_HEADER, sign
from escrow.services import escrow_hold, payment_start, withdrawal_reject, withdrawal_request
from tests.factories import SellerFactory, UserFactory

from .factories import (
    DECLINED_CARD,
    DELAYED_CARD,
    VALID_CARD,
    StaffFactory,
    balance,
    card_method,
    next_order_id,
    rub,
    seller_with_money,
    top_up,
)

pytestmark = pytest.mark.django_db

CARD = {"expiry": "12/39", "cvc": "123"}


def test_the_wallet_needs_a_login(client):
    response = client.get(reverse("escrow:wallet"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_wallet_shows_balances_and_history_in_plain_words(client, user):
    top_up(user, 5000)
    order = next_order_id()
    escrow_hold(order_id=order, buyer=user, amount=rub(1500))
    stranger = UserFactory()
    top_up(stranger, 777)
    client.force_login(user)
    page = client.get(reverse("escrow:wallet")).content.decode()
    assert "3,500" in page  # available
    assert "Top-up by card" in page
    assert f"Order #{order}: payment held" in page
    assert "777" not in page  # someone else's money
    assert "Request a withdrawal" not in page  # not a freelancer


def test_the_wallet_history_is_paginated_newest_first(client, user):
    for amount in range(1, 26):
        top_up(user, amount)
    client.force_login(user)
    first = client.get(reverse("escrow:wallet")).content.decode()
    second = client.get(reverse("escrow:wallet") + "?page=2").content.decode()
    assert first.index("+25") < first.index("+24")
    assert "+1\u00a0₽" in second and "+25\u00a0₽" not in second
    assert client.get(reverse("escrow:wallet") + "?page=abc").status_code == 200


def test_top_up_by_card_end_to_end(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    response = client.post(reverse("escrow:top_up"), {"amount": "1 500,50"})
    assert response.status_code == 302
    payment = Payment.objects.get(user=user)
    assert response["Location"] == reverse("escrow:sandbox_checkout", args=[payment.pk])
    assert payment.amount == rub("1500.50")

    page = client.get(response["Location"])
    assert page.status_code == 200 and "4242 4242 4242 4242" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"card_number": VALID_CARD, **CARD})
    assert response["Location"] == reverse("escrow:payment_return", args=[payment.pk])
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == reverse("escrow:wallet")
    wallet = client.get(reverse("escrow:wallet")).content.decode()
    assert "1,500.50" in wallet and "Your wallet was topped up" in wallet
    assert balance(user) == rub("1500.50")


def test_paying_returns_to_the_next_page(client, user):
    payment = payment_start(user=user, amount=rub(100), next_url="/orders/42/").payment
    client.force_login(user)
    client.post(reverse("escrow:sandbox_checkout", args=[payment.pk]), {"card_number": VALID_CARD, **CARD})
    response = client.get(reverse("escrow:payment_return", args=[payment.pk]))
    assert response["Location"] == "/orders/42/"


def test_declined_card_shows_a_failure(client, user):
    payment = payment_start(user=user, amount=rub(100)).payment
    client.force_login(user)
    client.post(reverse("escrow:sandbox_checkout", args=[payment.pk]), {"card_number": DECLINED_CARD, **CARD})
    page = client.get(reverse("escrow:payment_return", args=[payment.pk])).content.decode()
    assert "Payment failed" in page
    assert balance(user) == rub(0)


def test_delayed_card_shows_processing_and_refreshes_itself(client, user):
    payment = payment_start(user=user, amount=rub(100)).payment
    client.force_login(user)
    client.post(reverse("escrow:sandbox_checkout", args=[payment.pk]), {"card_number": DELAYED_CARD, **CARD})
    response = client.get(reverse("escrow:payment_return", args=[payment.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Payment processing" in page and 'http-equiv="refresh"' in page
    # A paid payment's card page sends the browser to the return page instead of charging again.
    assert client.get(reverse("escrow:sandbox_checkout", args=[payment.pk])).status_code == 302


@pytest.mark.parametrize(
    ("card", "error"),
    [
        ({"card_number": "4242 4242 4242 4241", **CARD}, "not valid"),
        ({"card_number": VALID_CARD, "expiry": "01/20", "cvc": "123"}, "expired"),
        ({"card_number": VALID_CARD, "expiry": "13/30", "cvc": "123"}, "MM/YY"),
        ({"card_number": VALID_CARD, "expiry": "12/39", "cvc": "12a"}, "3 or 4 digits"),
    ],
)
def test_the_card_form_checks_its_input(client, user, card, error):
    payment = payment_start(user=user, amount=rub(100)).payment
    client.force_login(user)
    response = client.post(reverse("escrow:sandbox_checkout", args=[payment.pk]), card)
    assert response.status_code == 200 and error in response.content.decode()
    assert Payment.objects.get().status == Payment.Status.PENDING


def test_someone_elses_payment_pages_are_404(client, user):
    payment = payment_start(user=UserFactory(), amount=rub(100)).payment
    client.force_login(user)
    assert client.get(reverse("escrow:sandbox_checkout", args=[payment.pk])).status_code == 404
    assert (
        client.post(
            reverse("escrow:sandbox_checkout", args=[payment.pk]), {"card_number": VALID_CARD, **CARD}
        ).status_code
        == 404
    )
    assert client.get(reverse("escrow:payment_return", args=[payment.pk])).status_code == 404
    assert Payment.objects.get().status == Payment.Status.PENDING


@pytest.mark.parametrize(
    "amount",
    [
        "-100",
        "0",
        "10.005",
        "NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "abc",
        "1e30",
        "99999999999999999999",
        "",
        "1" * 50,
    ],
)
def test_bad_top_up_amounts_are_form_errors_and_write_nothing(client, user, amount):
    client.force_login(user)
    response = client.post(reverse("escrow:top_up"), {"amount": amount})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Payment.objects.exists()


def test_top_up_above_the_ceiling_is_a_form_error(client, user):
    client.force_login(user)
    response = client.post(reverse("escrow:top_up"), {"amount": "1000000.01"})
    assert "at most" in response.content.decode()
    assert not Payment.objects.exists()


def test_webhook_view_verifies_the_signature(client, user):
    payment = payment_start(user=user, amount=rub(250)).payment
    body = json.dumps(
        {
            "id": "evt_view",
            "type": "payment.succeeded",
            "data": {"payment_id": payment.provider_payment_id, "amount": "250.00", "currency": "RUB"},
        }
    ).encode()
    url = reverse("escrow:webhook", args=["sandbox"])
    forged = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: "0" * 64})
    assert forged.status_code == 400
    missing = client.post(url, body, content_type="application/json")
    assert missing.status_code == 400
    assert balance(user) == rub(0)

    ok = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: sign(body)})
    assert ok.status_code == 200 and ok.content == b"ok"
    again = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: sign(body)})
    assert again.status_code == 200 and again.content == b"duplicate"
    assert balance(user) == rub(250)
    assert client.get(url).status_code == 405
    assert (
        client.post(reverse("escrow:webhook", args=["paypal"]), body, content_type="application/json").status_code
        == 404
    )


def test_a_freelancer_withdraws_from_the_wallet_page(client):
    seller = seller_with_money(5000)
    method = card_method(seller)
    client.force_login(seller)
    page = client.get(reverse("escrow:wallet")).content.decode()
    assert "Request a withdrawal" in page and "•••• 4242" in page
    response = client.post(
        reverse("escrow:withdraw"), {"amount": "2000", "payout_method": method.pk, "key": "a1b2c3d4e5f6"}
    )
    assert response.status_code == 302
    assert balance(seller) == rub(3000)
    # The same form again (a double click) asks for nothing more.
    client.post(reverse("escrow:withdraw"), {"amount": "2000", "payout_method": method.pk, "key": "a1b2c3d4e5f6"})
    assert Withdrawal.objects.count() == 1
    page = client.get(reverse("escrow:wallet")).content.decode()
    assert "Withdrawal to Bank card •••• 4242" in page


@pytest.mark.parametrize(
    ("amount", "error"),
    [("999.99", "smallest withdrawal"), ("5000.01", "Not enough money"), ("-5", "is-invalid"), ("1.001", "is-invalid")],
)
def test_withdrawal_form_errors(client, amount, error):
    seller = seller_with_money(5000)
    method = card_method(seller)
    client.force_login(seller)
    response = client.post(reverse("escrow:withdraw"), {"amount": amount, "payout_method": method.pk, "key": "k" * 16})
    assert response.status_code == 200 and error in response.content.decode()
    assert not Withdrawal.objects.exists()
    assert balance(seller) == rub(5000)


def test_buyers_cannot_withdraw_and_methods_of_others_are_not_offered(client, user):
    top_up(user, 5000)
    method = card_method(user)
    client.force_login(user)
    response = client.post(reverse("escrow:withdraw"), {"amount": "2000", "payout_method": method.pk, "key": "k" * 16})
    assert response.status_code == 404
    seller = seller_with_money(5000)
    card_method(seller, "5555 5555 5555 4444")
    client.force_login(seller)
    response = client.post(reverse("escrow:withdraw"), {"amount": "2000", "payout_method": method.pk, "key": "k" * 16})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_a_rejection_reason_is_shown_to_the_freelancer(client):
    seller = seller_with_money(5000)
    withdrawal = withdrawal_request(user=seller, amount=rub(2000), payout_method=card_method(seller))
    withdrawal_reject(withdrawal_id=withdrawal.pk, actor=StaffFactory(), reason="Card holder name does not match")
    client.force_login(seller)
    page = client.get(reverse("escrow:wallet")).content.decode()
    assert "Card holder name does not match" in page
    assert "rejected: money returned" in page
    assert balance(seller) == rub(5000)


def test_payout_methods_are_added_and_removed_by_their_owner(client, user):
    client.force_login(user)
    url = reverse("escrow:payout_methods")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "card", "value": "4242 4242 4242 4241"})
    assert response.status_code == 200 and "not valid" in response.content.decode()
    response = client.post(url, {"kind": "paypal", "value": "me@example.com"})
    assert response.status_code == 302
    method = PayoutMethod.objects.get(user=user)
    assert "m•••@example.com" in client.get(url).content.decode()

    other = SellerFactory()
    client.force_login(other)
    assert client.post(reverse("escrow:payout_method_remove", args=[method.pk])).status_code == 404
    client.force_login(user)
    assert client.post(reverse("escrow:payout_method_remove", args=[method.pk])).status_code == 302
    method.refresh_from_db()
    assert not method.is_active


def test_payout_method_pages_need_a_login(client):
    assert client.get(reverse("escrow:payout_methods")).status_code == 302
