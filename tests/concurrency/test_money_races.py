"""Races on the money paths, with real threads and real PostgreSQL transactions.

Each test makes the threads collide (a barrier, and a short pause inside the critical
section), and the tests of a lock come with a control run that removes the lock and shows
the race it prevents."""

import json
import threading
import time

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client
from django.urls import reverse

from escrow.errors import EscrowStateError, IdempotencyConflictError, InsufficientFundsError, WithdrawalError
from escrow.models import Account, Journal, Payment, WebhookEvent, Withdrawal
from escrow.providers.sandbox import SIGNATURE_HEADER, sign
from escrow.services import (
    AccountRef,
    TransferSpec,
    accounts_ensure,
    escrow_hold,
    escrow_refund,
    escrow_settle,
    ledger_post,
    ledger_reconcile,
    payment_start,
    wallet_top_up,
    withdrawal_mark_paid,
    withdrawal_reject,
    withdrawal_request,
)
from escrow.services import ledger as ledger_module
from escrow.services import payments as payments_module
from tests.escrow.factories import (
    StaffFactory,
    balance,
    card_method,
    next_order_id,
    rub,
    seller_with_money,
    system_balance,
    top_up,
)
from tests.factories import SellerFactory, UserFactory

from .threads import BalanceWatcher, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _count_balance_checks(monkeypatch) -> dict:
    """Count how many postings got past the balance check (on the rows they read)."""
    counts = {"passed": 0, "refused": 0}
    real_check = ledger_module._check_balance
    lock = threading.Lock()

    def counting_check(account, delta):
        if delta >= 0:
            return real_check(account, delta)
        try:
            real_check(account, delta)
        except InsufficientFundsError:
            with lock:
                counts["refused"] += 1
            raise
        with lock:
            counts["passed"] += 1

    monkeypatch.setattr(ledger_module, "_check_balance", counting_check)
    return counts


def _hold_the_lock_a_little(monkeypatch, seconds=0.05):
    # The winner keeps its locks a moment longer, so the others are sure to queue on them.
    real_lock = ledger_module.lock_accounts

    def slow_lock(account_ids):
        locked = real_lock(account_ids)
        time.sleep(seconds)
        return locked

    monkeypatch.setattr(ledger_module, "lock_accounts", slow_lock)


# --- 10 withdrawals from a wallet that holds enough for one -------------------------------


def test_ten_withdrawals_at_once_from_a_wallet_that_holds_enough_for_one(monkeypatch):
    seller = seller_with_money(1500)
    method = card_method(seller)
    wallet = Account.objects.get(user=seller, kind=Account.Kind.WALLET)
    checks = _count_balance_checks(monkeypatch)
    _hold_the_lock_a_little(monkeypatch)

    with BalanceWatcher(wallet.pk) as watcher:
        outcomes = run_at_once(
            10, lambda i: withdrawal_request(user=seller, amount=rub(1000), payout_method=method, key=f"race-{i:04d}")
        )

    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(o.error, InsufficientFundsError) for o in outcomes if not o.ok)
    assert checks == {"passed": 1, "refused": 9}  # the nine saw the balance after the winner
    assert balance(seller) == rub(500)
    assert system_balance(Account.Kind.PAYOUTS) == rub(1000)
    assert Withdrawal.objects.count() == 1
    assert watcher.samples and min(watcher.samples) >= 0
    assert ledger_reconcile(notify=False).ok


def test_control_without_the_lock_every_request_passes_the_check(monkeypatch):
    """The same race with `select_for_update` removed: all ten read 1 500, all ten pass the
    service's balance check, and only the database CHECK (balance >= 0) stops nine
    overdrafts, as raw IntegrityErrors (500 pages) instead of a readable refusal."""
    seller = seller_with_money(1500)
    method = card_method(seller)
    wallet = Account.objects.get(user=seller, kind=Account.Kind.WALLET)
    checks = _count_balance_checks(monkeypatch)
    everyone_has_read = threading.Barrier(10)

    def read_without_locking(account_ids):
        rows = {account.pk: account for account in Account.objects.filter(pk__in=set(account_ids))}
        everyone_has_read.wait(timeout=30)  # all ten read the balance before anyone writes
        return rows

    monkeypatch.setattr(ledger_module, "lock_accounts", read_without_locking)

    with BalanceWatcher(wallet.pk) as watcher:
        outcomes = run_at_once(
            10, lambda i: withdrawal_request(user=seller, amount=rub(1000), payout_method=method, key=f"ctrl-{i:04d}")
        )

    assert checks == {"passed": 10, "refused": 0}  # the race happened: the check saw stale money
    errors = [o.error for o in outcomes if not o.ok]
    assert sum(o.ok for o in outcomes) == 1
    assert len(errors) == 9 and all(isinstance(e, IntegrityError) for e in errors)
    assert all("ledger_account_balance_not_negative" in str(e) for e in errors)
    assert balance(seller) == rub(500)  # the database constraint kept the money
    assert min(watcher.samples) >= 0
    assert ledger_reconcile(notify=False).ok


# --- webhooks --------------------------------------------------------------------------


def _paid_body(payment: Payment, event_id: str) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "type": "payment.succeeded",
            "data": {
                "payment_id": payment.provider_payment_id,
                "amount": str(payment.amount.amount),
                "currency": "RUB",
            },
        }
    ).encode()


def _slow_top_up(monkeypatch):
    real = payments_module.wallet_top_up

    def slow(**kwargs):
        journal = real(**kwargs)
        time.sleep(0.1)  # the first delivery is still inside its transaction when the others arrive
        return journal

    monkeypatch.setattr(payments_module, "wallet_top_up", slow)


def test_the_same_webhook_event_five_times_at_once_tops_up_once(monkeypatch):
    user = UserFactory()
    payment = payment_start(user=user, amount=rub(1500)).payment
    body = _paid_body(payment, "evt_race")
    _slow_top_up(monkeypatch)

    def deliver(_index):
        response = Client().post(
            reverse("escrow:webhook", args=["sandbox"]),
            body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: sign(body)},
        )
        return response.status_code, response.content

    outcomes = run_at_once(5, deliver)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert sorted(o.value for o in outcomes) == [(200, b"duplicate")] * 4 + [(200, b"ok")]
    assert balance(user) == rub(1500)
    assert WebhookEvent.objects.count() == 1
    assert Journal.objects.filter(kind=Journal.Kind.TOP_UP).count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert ledger_reconcile(notify=False).ok


def test_five_different_events_for_one_payment_at_once_top_up_once(monkeypatch):
    # A provider retrying with new event ids: the locked payment row is the guard.
    user = UserFactory()
    payment = payment_start(user=user, amount=rub(700)).payment
    _slow_top_up(monkeypatch)
    outcomes = run_at_once(
        5,
        lambda i: payments_module.webhook_receive(
            provider_name="sandbox",
            body=_paid_body(payment, f"evt_{i}"),
            headers={SIGNATURE_HEADER: sign(_paid_body(payment, f"evt_{i}"))},
        ),
    )
    assert all(o.ok for o in outcomes)
    assert sum(o.value.outcome == WebhookEvent.Outcome.TOPPED_UP for o in outcomes) == 1
    assert balance(user) == rub(700)
    assert WebhookEvent.objects.count() == 5


# --- idempotency keys ------------------------------------------------------------------------


def test_the_same_key_posted_at_once_moves_money_once(monkeypatch):
    user = UserFactory()
    _hold_the_lock_a_little(monkeypatch)
    outcomes = run_at_once(8, lambda i: wallet_top_up(user=user, amount=rub(250), key="topup:race:same"))
    assert all(o.ok for o in outcomes)
    assert len({o.value.pk for o in outcomes}) == 1
    assert sum(not o.value.is_replay for o in outcomes) == 1
    assert balance(user) == rub(250)


def test_the_same_key_with_different_payloads_at_once_is_refused_for_all_but_one():
    # Disjoint accounts, so the account locks do not serialise them: the unique key does.
    pairs = []
    for _ in range(6):
        payer, payee = UserFactory(), UserFactory()
        top_up(payer, 100)
        pairs.append(accounts_ensure(AccountRef.wallet(payer), AccountRef.wallet(payee)))
    outcomes = run_at_once(
        6,
        lambda i: ledger_post(
            key="race:one-key",
            kind=Journal.Kind.HOLD,
            transfers=[TransferSpec(debit=pairs[i][0], credit=pairs[i][1], amount=rub(100))],
        ),
    )
    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(o.error, IdempotencyConflictError) for o in outcomes if not o.ok)
    assert Journal.objects.filter(key="race:one-key").count() == 1
    moved = [pair for pair in pairs if Account.objects.get(pk=pair[1].pk).balance == rub(100)]
    assert len(moved) == 1
    assert ledger_reconcile(notify=False).ok


# --- an order is settled exactly once ----------------------------------------------------------


def test_settles_and_refunds_racing_on_one_order_release_it_once(monkeypatch):
    buyer, seller = UserFactory(), SellerFactory()
    top_up(buyer, 5000)
    order = next_order_id()
    escrow_hold(order_id=order, buyer=buyer, amount=rub(5000))
    _hold_the_lock_a_little(monkeypatch)

    def release(index):
        if index % 2:
            return escrow_refund(order_id=order, buyer=buyer)
        return escrow_settle(order_id=order, seller=seller, fee=rub(1000))

    outcomes = run_at_once(10, release)
    journals = {o.value.pk for o in outcomes if o.ok}
    assert len(journals) == 1
    assert all(isinstance(o.error, EscrowStateError) for o in outcomes if not o.ok)
    assert Journal.objects.filter(order_id=order, kind__in=Journal.RELEASE_KINDS).count() == 1
    assert Account.objects.get(kind=Account.Kind.ESCROW, order_id=order).balance == rub(0)
    paid_seller, refunded = balance(seller) == rub(4000), balance(buyer) == rub(5000)
    assert paid_seller != refunded  # one or the other, never both
    assert ledger_reconcile(notify=False).ok


# --- accounts and lock order -------------------------------------------------------------------


def test_a_new_users_first_top_ups_at_once_create_one_wallet():
    user = UserFactory()
    outcomes = run_at_once(8, lambda i: wallet_top_up(user=user, amount=rub(10), key=f"topup:first:{i}"))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert Account.objects.filter(user=user).count() == 1
    assert balance(user) == rub(80)


def test_opposite_transfers_at_once_do_not_deadlock(monkeypatch):
    first, second = UserFactory(), UserFactory()
    top_up(first, 1000)
    top_up(second, 1000)
    a, b = accounts_ensure(AccountRef.wallet(first), AccountRef.wallet(second))
    _hold_the_lock_a_little(monkeypatch, 0.02)
    outcomes = run_at_once(
        20,
        lambda i: ledger_post(
            key=f"swap:{i}",
            kind=Journal.Kind.HOLD,
            transfers=[TransferSpec(debit=a, credit=b, amount=rub(1)) if i % 2 else TransferSpec(b, a, rub(1))],
        ),
    )
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert balance(first) == rub(1000) and balance(second) == rub(1000)


def test_control_locking_in_request_order_deadlocks(monkeypatch):
    """Why accounts are locked in id order: locked in the order a request names them
    (debit first), two opposite transfers wait for each other until PostgreSQL kills one."""
    first, second = UserFactory(), UserFactory()
    top_up(first, 1000)
    top_up(second, 1000)
    a, b = accounts_ensure(AccountRef.wallet(first), AccountRef.wallet(second))
    both_hold_one = threading.Barrier(2)

    def lock_in_request_order(account_ids):
        rows = {}
        for index, pk in enumerate(dict.fromkeys(account_ids)):
            rows[pk] = Account.objects.select_for_update().get(pk=pk)
            if index == 0:
                both_hold_one.wait(timeout=30)
        return rows

    monkeypatch.setattr(ledger_module, "lock_accounts", lock_in_request_order)
    outcomes = run_at_once(
        2,
        lambda i: ledger_post(
            key=f"swap-control:{i}",
            kind=Journal.Kind.HOLD,
            transfers=[TransferSpec(a, b, rub(1)) if i == 0 else TransferSpec(b, a, rub(1))],
        ),
    )
    errors = [o.error for o in outcomes if not o.ok]
    assert len(errors) == 1 and isinstance(errors[0], OperationalError)
    assert "deadlock" in str(errors[0])


# --- withdrawals are decided once ----------------------------------------------------------------


def test_staff_deciding_one_withdrawal_at_once_decide_it_once(monkeypatch):
    seller = seller_with_money(3000)
    withdrawal = withdrawal_request(user=seller, amount=rub(2000), payout_method=card_method(seller))
    staff = [StaffFactory() for _ in range(6)]
    _hold_the_lock_a_little(monkeypatch)

    def decide(index):
        if index % 2:
            return withdrawal_reject(withdrawal_id=withdrawal.pk, actor=staff[index], reason="Wrong details")
        return withdrawal_mark_paid(withdrawal_id=withdrawal.pk, actor=staff[index])

    outcomes = run_at_once(6, decide)
    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(o.error, WithdrawalError) for o in outcomes if not o.ok)
    withdrawal.refresh_from_db()
    assert withdrawal.status in {Withdrawal.Status.PAID, Withdrawal.Status.REJECTED}
    expected = rub(1000) if withdrawal.status == Withdrawal.Status.PAID else rub(3000)
    assert balance(seller) == expected
    assert system_balance(Account.Kind.PAYOUTS) == rub(0)
    assert ledger_reconcile(notify=False).ok
