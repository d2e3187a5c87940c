import io

import pytest
from cryptography.fernet import Fernet
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from escrow.checks import payout_details_key_check
from escrow.models import Account, Journal, PayoutDetailsView, ReconciliationReport, Withdrawal
from escrow.payout_details import payout_details_decrypt
from escrow.services import ledger_reconcile, payout_method_add, withdrawal_request
from escrow.tasks import ledger_reconcile_task
from tests.factories import UserFactory

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
    "payoutdetailsview",
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


# --- payout details: masked, shown in full only with the permission, each showing audited ---

FULL_CARD = "4242424242424242"


def _staff_with(*codenames):
    member = UserFactory(is_staff=True)
    for codename in codenames:
        member.user_permissions.add(Permission.objects.get(content_type__app_label="escrow", codename=codename))
    return member


def _withdrawal_page(client, withdrawal, **extra):
    return client.get(reverse("admin:escrow_withdrawal_change", args=[withdrawal.pk]), **extra).content.decode()


def test_the_withdrawal_list_shows_the_mask_only(staff_client, withdrawals):
    page = staff_client.get(reverse("admin:escrow_withdrawal_changelist")).content.decode()
    assert "•••• 4242" in page and FULL_CARD not in page
    assert not PayoutDetailsView.objects.exists()


def test_staff_without_the_permission_see_only_the_mask(client, withdrawals):
    _seller, (first, *_rest) = withdrawals
    client.force_login(_staff_with("view_withdrawal"))
    page = _withdrawal_page(client, first)
    assert "•••• 4242" in page and FULL_CARD not in page
    assert "Can see the full payout details of withdrawals" in page  # says who may see them
    assert not PayoutDetailsView.objects.exists()


def test_staff_with_the_permission_see_the_full_details_and_each_view_is_recorded(client, withdrawals):
    _seller, (first, second, _third) = withdrawals
    payer = _staff_with("view_withdrawal", "view_payout_details")
    client.force_login(payer)
    assert FULL_CARD in _withdrawal_page(client, first, REMOTE_ADDR="203.0.113.7")
    assert FULL_CARD in _withdrawal_page(client, first, REMOTE_ADDR="203.0.113.7")
    assert FULL_CARD in _withdrawal_page(client, second)
    views = list(PayoutDetailsView.objects.order_by("pk"))
    assert [(v.viewer, v.withdrawal_id) for v in views] == [(payer, first.pk), (payer, first.pk), (payer, second.pk)]
    assert views[0].ip == "203.0.113.7" and views[0].payout_method_id == first.payout_method_id
    # A refused change (POST) shows nothing and records nothing.
    client.post(reverse("admin:escrow_withdrawal_change", args=[first.pk]), {"status": "paid"})
    assert PayoutDetailsView.objects.count() == 3


def test_a_superuser_sees_the_details_too_and_is_recorded(staff_client, staff, withdrawals):
    _seller, (first, *_rest) = withdrawals
    assert FULL_CARD in _withdrawal_page(staff_client, first)
    assert PayoutDetailsView.objects.get().viewer == staff
    audit = staff_client.get(reverse("admin:escrow_payoutdetailsview_changelist")).content.decode()
    assert str(staff) in audit


def test_the_audit_cannot_be_edited_or_deleted(staff_client, withdrawals):
    _seller, (first, *_rest) = withdrawals
    _withdrawal_page(staff_client, first)
    view = PayoutDetailsView.objects.get()
    assert staff_client.get(reverse("admin:escrow_payoutdetailsview_delete", args=[view.pk])).status_code == 403
    assert staff_client.post(reverse("admin:escrow_payoutdetailsview_change", args=[view.pk]), {}).status_code == 403


def test_the_database_holds_no_plain_details(withdrawals):
    _seller, (first, *_rest) = withdrawals
    paypal = payout_method_add(user=first.user, kind="paypal", value="payee@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM escrow_payoutmethod WHERE id IN (%s, %s)", [first.payout_method_id, paypal.pk])
        rows = cursor.fetchall()
    text = repr(rows)
    assert FULL_CARD not in text and "payee@example.com" not in text
    assert payout_details_decrypt(paypal.details) == "payee@example.com"


def test_details_kept_under_an_old_key_still_open_after_rotation(settings, withdrawals):
    _seller, (first, *_rest) = withdrawals
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PAYOUT_DETAILS_KEYS = [old_key]
    method = payout_method_add(user=first.user, kind="webmoney", value="Z123456789012")
    settings.PAYOUT_DETAILS_KEYS = [new_key, old_key]
    assert payout_details_decrypt(method.details) == "Z123456789012"
    with pytest.raises(CommandError, match="1 payout method"):  # the fixture's card, under the derived key
        call_command("payout_details_rotate", stdout=io.StringIO())
    method.refresh_from_db()
    settings.PAYOUT_DETAILS_KEYS = [new_key]
    assert payout_details_decrypt(method.details) == "Z123456789012"


def test_production_refuses_to_start_without_a_key(settings):
    settings.PAYOUT_DETAILS_KEYS = []
    settings.PAYOUT_DETAILS_KEY_DERIVED = False
    assert [error.id for error in payout_details_key_check(None)] == ["escrow.E001"]
    settings.PAYOUT_DETAILS_KEYS = ["not-a-fernet-key"]
    assert [error.id for error in payout_details_key_check(None)] == ["escrow.E001"]
    settings.PAYOUT_DETAILS_KEYS = [Fernet.generate_key().decode()]
    assert payout_details_key_check(None) == []


# --- reconciliation: the reports and "Run reconciliation now" ---------------------------------


def test_run_reconciliation_now_writes_a_report_naming_who_ran_it(client, withdrawals):
    runner = _staff_with("view_reconciliationreport", "run_reconciliation")
    client.force_login(runner)
    url = reverse("admin:escrow_reconciliationreport_changelist")
    page = client.get(url).content.decode()
    assert reverse("admin:escrow_reconciliation_run") in page
    response = client.post(reverse("admin:escrow_reconciliation_run"), follow=True)
    assert response.redirect_chain[-1][0] == url
    report = ReconciliationReport.objects.get()
    assert report.ok and report.triggered_by == runner
    assert report.started_at <= report.finished_at
    assert report.accounts_checked == Account.objects.count()
    assert str(runner) in response.content.decode()


def test_a_broken_cached_balance_shows_as_a_mismatch_in_the_report(client, withdrawals):
    seller, _ = withdrawals
    wallet = Account.objects.get(user=seller, kind=Account.Kind.WALLET)
    with connection.cursor() as cursor:  # the cached balance is not append-only; transfers are
        cursor.execute("UPDATE escrow_account SET balance = balance + 7 WHERE id = %s", [wallet.pk])
    client.force_login(_staff_with("view_reconciliationreport", "run_reconciliation"))
    client.post(reverse("admin:escrow_reconciliation_run"))
    report = ReconciliationReport.objects.get()
    assert not report.ok
    assert any(f"Account #{wallet.pk}" in problem and "cached balance" in problem for problem in report.problems)
    page = client.get(reverse("admin:escrow_reconciliationreport_change", args=[report.pk])).content.decode()
    assert f"Account #{wallet.pk}" in page


def test_staff_without_the_permission_cannot_run_it(client, withdrawals):
    client.force_login(_staff_with("view_reconciliationreport"))
    page = client.get(reverse("admin:escrow_reconciliationreport_changelist")).content.decode()
    assert reverse("admin:escrow_reconciliation_run") not in page
    assert client.post(reverse("admin:escrow_reconciliation_run")).status_code == 403
    assert client.get(reverse("admin:escrow_reconciliation_run")).status_code == 405
    assert not ReconciliationReport.objects.exists()


def test_the_nightly_task_leaves_a_report_run_by_nobody(withdrawals):
    ledger_reconcile_task.delay()
    assert ReconciliationReport.objects.get().triggered_by is None
