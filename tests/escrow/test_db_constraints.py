"""The database itself refuses what the ledger must never contain, with the ORM's save()
bypassed (raw SQL and queryset updates). CHECK and UNIQUE constraints hold on SQLite and
PostgreSQL; the append-only triggers exist on PostgreSQL only."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from escrow.models import Account, Journal, Payment, Transfer, Withdrawal
from escrow.services import withdrawal_mark_paid, withdrawal_request

from .factories import StaffFactory, card_method, rub, seller_with_money, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(user):
    top_up(user, 1000)
    journal = Journal.objects.get()
    transfer = Transfer.objects.get()
    return {
        "journal": journal,
        "transfer": transfer,
        "world": transfer.debit,
        "wallet": transfer.credit,
    }


def _refused(statement, params=()):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _insert_transfer(ledger, *, debit, credit, amount, currency="RUB"):
    _refused(
        "INSERT INTO escrow_transfer (journal_id, debit_id, credit_id, amount, amount_currency) "
        "VALUES (%s, %s, %s, %s, %s)",
        [ledger["journal"].pk, debit, credit, amount, currency],
    )


@pytest.mark.parametrize("amount", ["-5.00", "0.00"])
def test_a_negative_or_zero_transfer_is_refused(ledger, amount):
    _insert_transfer(ledger, debit=ledger["world"].pk, credit=ledger["wallet"].pk, amount=amount)


def test_a_transfer_needs_two_different_accounts(ledger):
    _insert_transfer(ledger, debit=ledger["wallet"].pk, credit=ledger["wallet"].pk, amount="1.00")
    # A one-sided (unbalanced) entry cannot even be written: both sides are required.
    _insert_transfer(ledger, debit=ledger["world"].pk, credit=None, amount="1.00")
    _insert_transfer(ledger, debit=None, credit=ledger["wallet"].pk, amount="1.00")


def test_a_wallet_can_never_be_negative(ledger):
    _refused("UPDATE escrow_account SET balance = -0.01 WHERE id = %s", [ledger["wallet"].pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=ledger["wallet"].pk).update(balance=-1)
    ledger["wallet"].refresh_from_db()
    assert ledger["wallet"].balance == rub(1000)


def test_only_the_outside_world_may_be_negative(ledger):
    ledger["world"].refresh_from_db()
    assert ledger["world"].balance == rub(-1000)


def test_account_owner_must_match_its_kind(ledger, user):
    _refused(
        "INSERT INTO escrow_account (kind, user_id, order_id, balance, balance_currency, created_at) "
        "VALUES ('escrow', %s, 5, 0, 'RUB', %s)",
        [user.pk, timezone.now()],
    )


def test_a_second_wallet_for_the_same_user_is_refused(ledger, user):
    _refused(
        "INSERT INTO escrow_account (kind, user_id, order_id, balance, balance_currency, created_at) "
        "VALUES ('wallet', %s, NULL, 0, 'RUB', %s)",
        [user.pk, timezone.now()],
    )


def _insert_journal(key, *, kind="top_up", reverses=None):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO escrow_journal (key, kind, request_hash, order_id, actor_id, memo, reverses_id, created_at) "
            "VALUES (%s, %s, '', NULL, NULL, '', %s, %s)",
            [key, kind, reverses, timezone.now()],
        )


def test_an_idempotency_key_is_used_once(ledger):
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_journal(ledger["journal"].key)


def test_a_journal_is_reversed_at_most_once(ledger):
    _insert_journal("fix:1", kind="reversal", reverses=ledger["journal"].pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_journal("fix:2", kind="reversal", reverses=ledger["journal"].pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_journal("fix:3", kind="top_up", reverses=None)  # fine
        _insert_journal("fix:4", kind="reversal", reverses=None)  # a reversal must point back


def test_a_paid_payment_needs_its_journal(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(user=user, amount=rub(10), provider="sandbox", status=Payment.Status.SUCCEEDED)


def test_a_decided_withdrawal_needs_its_decision_and_a_rejection_its_reason():
    seller = seller_with_money(3000)
    withdrawal = withdrawal_request(user=seller, amount=rub(1000), payout_method=card_method(seller))
    with pytest.raises(IntegrityError), transaction.atomic():
        Withdrawal.objects.filter(pk=withdrawal.pk).update(status="paid")
    with pytest.raises(IntegrityError), transaction.atomic():
        Withdrawal.objects.filter(pk=withdrawal.pk).update(
            status="rejected", decided_at=timezone.now(), decision_journal=withdrawal.request_journal, reason=""
        )


# --- PostgreSQL triggers -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE escrow_journal SET memo = 'edited' WHERE id = %(journal)s",
        "DELETE FROM escrow_journal WHERE id = %(journal)s",
        "UPDATE escrow_transfer SET amount = 999999 WHERE id = %(transfer)s",
        "DELETE FROM escrow_transfer WHERE id = %(transfer)s",
        "DELETE FROM escrow_account WHERE id = %(wallet)s",
        "UPDATE escrow_account SET user_id = NULL, kind = 'revenue' WHERE id = %(wallet)s",
        "UPDATE escrow_account SET balance_currency = 'USD' WHERE id = %(wallet)s",
    ],
)
def test_ledger_rows_are_append_only_in_the_database(ledger, statement):
    params = {"journal": ledger["journal"].pk, "transfer": ledger["transfer"].pk, "wallet": ledger["wallet"].pk}
    _refused(statement, params)
    assert Transfer.objects.get().amount == rub(1000)
    assert Journal.objects.get().memo == ledger["journal"].memo


@pytest.mark.postgres
def test_the_orm_cannot_edit_or_delete_ledger_rows_either(ledger):
    with pytest.raises(IntegrityError), transaction.atomic():
        Journal.objects.filter(pk=ledger["journal"].pk).update(memo="edited")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger["journal"].memo = "edited"
        ledger["journal"].save()
    assert Transfer.objects.count() == 1


@pytest.mark.postgres
def test_a_transfer_in_another_currency_than_its_accounts_is_refused(ledger):
    _insert_transfer(ledger, debit=ledger["world"].pk, credit=ledger["wallet"].pk, amount="1.00", currency="USD")


@pytest.mark.postgres
def test_a_decided_withdrawal_cannot_be_changed(staff):
    seller = seller_with_money(3000)
    withdrawal = withdrawal_request(user=seller, amount=rub(1000), payout_method=card_method(seller))
    withdrawal_mark_paid(withdrawal_id=withdrawal.pk, actor=StaffFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Withdrawal.objects.filter(pk=withdrawal.pk).update(status="rejected", reason="changed my mind")
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.PAID
