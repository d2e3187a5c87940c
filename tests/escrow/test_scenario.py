"""The issue's "done when", end to end through the pages: a buyer tops up with the sandbox
card and pays an order into escrow, the freelancer is paid, asks for two withdrawals, staff
pay one and reject the other in admin, and the reconciliation command finds no drift."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from escrow.fees import FeePolicy, fee_for
from escrow.models import Payment, PayoutMethod, Withdrawal
from escrow.selectors import escrow_balance
from escrow.services import escrow_hold, escrow_settle
from tests.factories import SellerFactory, UserFactory

from .factories import VALID_CARD, balance, next_order_id, rub

pytestmark = pytest.mark.django_db


def test_money_goes_round_and_the_books_balance(client, staff, capsys, django_capture_on_commit_callbacks):
    buyer, seller = UserFactory(), SellerFactory()

    client.force_login(buyer)
    checkout = client.post(reverse("escrow:top_up"), {"amount": "12000"})["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(checkout, {"card_number": VALID_CARD, "expiry": "12/39", "cvc": "123"})["Location"]
    assert client.get(back)["Location"] == reverse("escrow:wallet")
    assert Payment.objects.get(user=buyer).status == Payment.Status.SUCCEEDED

    # What the orders app will do: snapshot the rate, hold, and settle on acceptance.
    order = next_order_id()
    rate = FeePolicy.from_settings().rate_for(amount=rub(10000), turnover=rub(0))
    escrow_hold(order_id=order, buyer=buyer, amount=rub(10000))
    escrow_settle(order_id=order, seller=seller, fee=fee_for(rub(10000), rate))
    assert escrow_balance(order_id=order) == rub(0)
    assert balance(seller) == rub(8000)
    page = client.get(reverse("escrow:wallet")).content.decode()
    assert f"Order #{order}: payment held" in page and "2,000" in page

    client.force_login(seller)
    client.post(reverse("escrow:payout_methods"), {"kind": "yoomoney", "value": "410012345678901"})
    method = PayoutMethod.objects.get(user=seller)
    for key in ("first-request", "second-request"):
        client.post(reverse("escrow:withdraw"), {"amount": "3000", "payout_method": method.pk, "key": key})
    first, second = Withdrawal.objects.order_by("pk")
    assert balance(seller) == rub(2000)

    staff_client = Client()
    staff_client.force_login(staff)
    changelist = reverse("admin:escrow_withdrawal_changelist")
    staff_client.post(changelist, {"action": "mark_paid", ACTION_CHECKBOX_NAME: [first.pk]})
    staff_client.post(
        changelist, {"action": "reject", ACTION_CHECKBOX_NAME: [second.pk], "apply": "1", "reason": "Wallet is closed"}
    )
    assert balance(seller) == rub(5000)
    page = client.get(reverse("escrow:wallet")).content.decode()
    assert f"Order #{order}: payment received" in page
    assert "Wallet is closed" in page and "Paid" in page

    call_command("ledger_reconcile")
    assert "No drift" in capsys.readouterr().out
