import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from escrow.models import Account, Journal, ReconciliationReport
from escrow.services import (
    AccountRef,
    TransferSpec,
    accounts_ensure,
    escrow_hold,
    escrow_settle,
    ledger_post,
    ledger_reconcile,
    withdrawal_request,
)
from escrow.tasks import ledger_reconcile_task
from tests.factories import SellerFactory, UserFactory

from .factories import card_method, next_order_id, rub, seller_with_money, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_ledger(db):
    buyer, seller = UserFactory(), SellerFactory()
    top_up(buyer, 10000)
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(4000))
    escrow_settle(order_id=order, seller=seller, fee=rub(800))
    escrow_hold(order_id=next_order_id(), buyer=buyer, amount=rub(1000))  # still held
    earner = seller_with_money(3000)
    withdrawal_request(user=earner, amount=rub(1500), payout_method=card_method(earner))
    return {"buyer": buyer, "seller": seller, "order": order}


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Money", "money@example.com")]


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_clean_ledger_reports_no_drift(busy_ledger, admins):
    report = ledger_reconcile()
    assert report.ok and report.problems == []
    assert report.totals == {"RUB": "0.00"}
    assert report.journals_checked == Journal.objects.count()
    assert mail.outbox == []


def test_a_tampered_cached_balance_is_reported_and_mailed(busy_ledger, admins):
    wallet = Account.objects.get(user=busy_ledger["buyer"], kind=Account.Kind.WALLET)
    _sql("UPDATE escrow_account SET balance = balance + 1 WHERE id = %s", [wallet.pk])
    report = ledger_reconcile()
    assert not report.ok
    text = " ".join(report.problems)
    assert "add up to 1.00 instead of zero" in text
    assert f"Account #{wallet.pk}" in text and "cached balance" in text
    assert len(mail.outbox) == 1 and "Ledger drift" in mail.outbox[0].subject


def test_escrow_money_outside_hold_and_release_is_reported(busy_ledger, admins):
    order = next_order_id()
    world, escrow = accounts_ensure(AccountRef.system(Account.Kind.WORLD), AccountRef.escrow(order))
    ledger_post(key="manual:escrow", kind=Journal.Kind.TOP_UP, transfers=[TransferSpec(world, escrow, rub(5))])
    report = ledger_reconcile()
    assert any("outside its order's hold or release" in problem for problem in report.problems)
    assert any(f"order #{order}" in problem for problem in report.problems)


def test_a_changed_transfer_no_longer_matches_its_request_hash(busy_ledger):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the UPDATE itself (see test_db_constraints)")
    journal = Journal.objects.get(key=f"order:{busy_ledger['order']}:settle")
    _sql("UPDATE escrow_transfer SET amount = amount - 100 WHERE journal_id = %s AND amount > 1000", [journal.pk])
    report = ledger_reconcile(notify=False)
    assert any(journal.key in p and "request hash" in p for p in report.problems)


def test_payouts_in_flight_must_match_waiting_withdrawals(busy_ledger):
    payouts = Account.objects.get(kind=Account.Kind.PAYOUTS)
    world = Account.objects.get(kind=Account.Kind.WORLD)
    _sql("UPDATE escrow_account SET balance = balance - 1 WHERE id = %s", [payouts.pk])
    _sql("UPDATE escrow_account SET balance = balance + 1 WHERE id = %s", [world.pk])
    problems = ledger_reconcile(notify=False).problems
    assert any("Payouts in flight" in problem for problem in problems)


def test_the_command_exits_non_zero_on_drift(busy_ledger, capsys):
    call_command("ledger_reconcile", "--no-email")
    assert "No drift" in capsys.readouterr().out
    wallet = Account.objects.get(user=busy_ledger["seller"], kind=Account.Kind.WALLET)
    _sql("UPDATE escrow_account SET balance = balance + 5 WHERE id = %s", [wallet.pk])
    with pytest.raises(CommandError):
        call_command("ledger_reconcile", "--no-email")
    assert ReconciliationReport.objects.filter(ok=False).count() == 1


def test_the_nightly_task_stores_a_report(busy_ledger):
    report_id = ledger_reconcile_task.delay().get()
    assert ReconciliationReport.objects.get(pk=report_id).ok


def test_an_order_released_twice_is_reported(busy_ledger):
    buyer, seller = busy_ledger["buyer"], busy_ledger["seller"]
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(1000))
    escrow, buyer_wallet, seller_wallet = accounts_ensure(
        AccountRef.escrow(order), AccountRef.wallet(buyer), AccountRef.wallet(seller)
    )
    # Two half releases posted around the services: each balances, together they break invariant 4.
    ledger_post(
        key=f"order:{order}:settle",
        kind=Journal.Kind.SETTLE,
        order_id=order,
        transfers=[TransferSpec(escrow, seller_wallet, rub(500))],
    )
    ledger_post(
        key=f"order:{order}:refund",
        kind=Journal.Kind.REFUND,
        order_id=order,
        transfers=[TransferSpec(escrow, buyer_wallet, rub(500))],
    )
    problems = ledger_reconcile(notify=False).problems
    assert f"Order #{order} was released 2 times." in problems
