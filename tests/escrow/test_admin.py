import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from escrow.models import Account, Journal, Withdrawal
from escrow.services import ledger_reconcile, withdrawal_request

from .factories import balance, card_method, rub, seller_with_money

pytestmark = pytest.mark.django_db

LEDGER_MODELS = [
    "account",
    "journal",
    "payment",
    "webhookevent",
    "sandboxcharge",
    "payoutmethod",
    "clearance",
    "reconciliationreport",
]


@pytest.fixture
def withdrawals(db):
    seller = seller_with_money(9000)
    method = card_method(seller)
    return seller, [withdrawal_request(user=seller, amount=rub(2000), payout_method=method) for _ in range(3)]


@pytest.mark.parametrize("model", [*LEDGER_MODELS, "withdrawal"])
def test_staff_see_every_money_list(staff_client, withdrawals, model):
    ledger_reconcile(notify=False)
    assert staff_client.get(reverse(f"admin:escrow_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", [*LEDGER_MODELS, "withdrawal"])
def test_ledger_rows_cannot_be_added_by_hand(staff_client, model):
    assert staff_client.get(reverse(f"admin:escrow_{model}_add")).status_code == 403


def test_a_journal_page_is_read_only_with_its_transfers(staff_client, withdrawals):
    journal = Journal.objects.filter(kind=Journal.Kind.WITHDRAWAL).first()
    url = reverse("admin:escrow_journal_change", args=[journal.pk])
    page = staff_client.get(url).content.decode()
    assert journal.key in page and "Save" not in page
    before = journal.memo
    assert staff_client.post(url, {"memo": "edited"}).status_code == 403
    journal.refresh_from_db()
    assert journal.memo == before
    assert staff_client.get(reverse("admin:escrow_journal_delete", args=[journal.pk])).status_code == 403
    account = Account.objects.filter(kind=Account.Kind.PAYOUTS).first()
    assert staff_client.post(reverse("admin:escrow_account_change", args=[account.pk]), {}).status_code == 403


def test_non_staff_cannot_open_the_admin(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:escrow_withdrawal_changelist"))
    assert response.status_code == 302


def test_mark_paid_action(staff_client, withdrawals):
    _seller, (first, second, _third) = withdrawals
    response = staff_client.post(
        reverse("admin:escrow_withdrawal_changelist"),
        {"action": "mark_paid", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert set(Withdrawal.objects.filter(status="paid").values_list("pk", flat=True)) == {first.pk, second.pk}
    # Deciding again shows an error and changes nothing.
    response = staff_client.post(
        reverse("admin:escrow_withdrawal_changelist"),
        {"action": "mark_paid", ACTION_CHECKBOX_NAME: [first.pk]},
        follow=True,
    )
    assert "already decided" in response.content.decode()
    assert Withdrawal.objects.filter(status="paid").count() == 2


def test_reject_action_asks_for_a_reason(staff_client, withdrawals):
    seller, (first, _second, _third) = withdrawals
    url = reverse("admin:escrow_withdrawal_changelist")
    page = staff_client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [first.pk]})
    assert page.status_code == 200 and "Reason" in page.content.decode()
    empty = staff_client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [first.pk], "apply": "1", "reason": ""})
    assert empty.status_code == 200
    first.refresh_from_db()
    assert first.status == Withdrawal.Status.REQUESTED

    done = staff_client.post(
        url, {"action": "reject", ACTION_CHECKBOX_NAME: [first.pk], "apply": "1", "reason": "Wrong card"}
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == Withdrawal.Status.REJECTED and first.reason == "Wrong card"
    assert balance(seller) == rub(5000)


def test_a_withdrawal_page_is_read_only(staff_client, withdrawals):
    _seller, (first, *_rest) = withdrawals
    url = reverse("admin:escrow_withdrawal_change", args=[first.pk])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"status": "paid"}).status_code == 403
    first.refresh_from_db()
    assert first.status == Withdrawal.Status.REQUESTED
