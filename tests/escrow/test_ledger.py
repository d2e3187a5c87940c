from decimal import Decimal

import pytest
from django.db import transaction
from moneyed import Money

from escrow.errors import (
    CurrencyMismatchError,
    IdempotencyConflictError,
    InsufficientFundsError,
    InvalidAmountError,
    LedgerError,
)
from escrow.models import Account, Journal, Transfer
from escrow.services import AccountRef, TransferSpec, accounts_ensure, ledger_post, ledger_reverse, wallet_top_up
from marketplace.errors import DomainError
from tests.factories import UserFactory

from .factories import balance, ledger_totals, next_key, rub, system_balance, top_up

pytestmark = pytest.mark.django_db


def _wallets(*users):
    return accounts_ensure(*(AccountRef.wallet(user) for user in users))


def _world():
    return accounts_ensure(AccountRef.system(Account.Kind.WORLD))[0]


def test_top_up_moves_money_from_the_world_and_keeps_the_books_balanced(user):
    journal = wallet_top_up(user=user, amount=rub("1500.50"), key="topup:test:1")
    assert journal.kind == Journal.Kind.TOP_UP and not journal.is_replay
    assert balance(user) == rub("1500.50")
    assert system_balance(Account.Kind.WORLD) == rub("-1500.50")
    assert ledger_totals() == {"sum": Decimal("0.00"), "drift": []}


def test_the_same_key_and_payload_returns_the_first_journal_and_moves_nothing(user):
    first = wallet_top_up(user=user, amount=rub(100), key="topup:test:same")
    again = wallet_top_up(user=user, amount=rub(100), key="topup:test:same")
    assert again.pk == first.pk and again.is_replay
    assert balance(user) == rub(100)
    assert Journal.objects.count() == 1 and Transfer.objects.count() == 1


def test_the_same_key_with_another_payload_is_refused(user):
    wallet_top_up(user=user, amount=rub(100), key="topup:test:k")
    with pytest.raises(IdempotencyConflictError):
        wallet_top_up(user=user, amount=rub(200), key="topup:test:k")
    with pytest.raises(IdempotencyConflictError):
        wallet_top_up(user=UserFactory(), amount=rub(100), key="topup:test:k")
    assert balance(user) == rub(100)
    assert Journal.objects.count() == 1


def test_not_enough_money_is_refused_with_the_shortfall_and_writes_nothing(user):
    top_up(user, 300)
    other = UserFactory()
    source, target = _wallets(user, other)
    journals = Journal.objects.count()
    with pytest.raises(InsufficientFundsError) as caught:
        ledger_post(
            key=next_key(),
            kind=Journal.Kind.HOLD,
            transfers=[TransferSpec(debit=source, credit=target, amount=rub("300.01"))],
        )
    assert caught.value.shortfall == rub("0.01")
    assert caught.value.available == rub(300)
    assert Journal.objects.count() == journals
    assert balance(user) == rub(300) and balance(other) == rub(0)


@pytest.mark.parametrize(
    "amount",
    [
        rub(-1),
        rub(0),
        rub("1.005"),
        Money(Decimal("NaN"), "RUB"),
        Money(Decimal("Infinity"), "RUB"),
        rub("1e30"),
        rub("1000000000000.01"),
        Decimal("100"),
        100.0,
        "100",
        None,
    ],
    ids=[
        "negative",
        "zero",
        "three-decimals",
        "nan",
        "infinity",
        "huge",
        "above-ceiling",
        "decimal",
        "float",
        "text",
        "none",
    ],
)
def test_bad_amounts_are_a_domain_error_and_write_nothing(user, amount):
    with pytest.raises(DomainError):
        wallet_top_up(user=user, amount=amount, key="topup:test:bad")
    assert not Journal.objects.exists()
    assert not Transfer.objects.exists()


def test_another_currency_is_refused(user):
    with pytest.raises(CurrencyMismatchError):
        wallet_top_up(user=user, amount=Money(10, "USD"), key="topup:test:usd")
    assert not Journal.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 201, "has space", "ключ", None, 42])
def test_bad_keys_are_refused(user, key):
    with pytest.raises(LedgerError):
        wallet_top_up(user=user, amount=rub(1), key=key)


def test_a_transfer_needs_two_accounts_and_a_known_kind(user):
    (wallet,) = _wallets(user)
    with pytest.raises(LedgerError):
        ledger_post(key=next_key(), kind=Journal.Kind.HOLD, transfers=[TransferSpec(wallet, wallet, rub(1))])
    with pytest.raises(LedgerError):
        ledger_post(key=next_key(), kind="gift", transfers=[TransferSpec(_world(), wallet, rub(1))])
    with pytest.raises(LedgerError):
        ledger_post(key=next_key(), kind=Journal.Kind.TOP_UP, transfers=[])
    assert not Journal.objects.exists()


def test_one_journal_may_hold_several_transfers(user):
    other = UserFactory()
    world = _world()
    first, second = _wallets(user, other)
    ledger_post(
        key=next_key(),
        kind=Journal.Kind.TOP_UP,
        transfers=[TransferSpec(world, first, rub(10)), TransferSpec(world, second, rub(20))],
    )
    assert balance(user) == rub(10) and balance(other) == rub(20)
    assert system_balance(Account.Kind.WORLD) == rub(-30)


def test_money_moves_with_the_callers_transaction_or_not_at_all(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        wallet_top_up(user=user, amount=rub(100), key="topup:test:rolled-back")
        assert balance(user) == rub(100)
        raise RuntimeError("the order change failed")
    assert balance(user) == rub(0)
    assert not Journal.objects.filter(key="topup:test:rolled-back").exists()


def test_a_reversal_points_back_and_happens_once(user):
    journal = wallet_top_up(user=user, amount=rub(100), key="topup:test:mistake")
    reversal = ledger_reverse(journal_id=journal.pk, key="fix:1", memo="typo")
    assert reversal.reverses_id == journal.pk and reversal.kind == Journal.Kind.REVERSAL
    assert balance(user) == rub(0)
    assert ledger_reverse(journal_id=journal.pk, key="fix:1").pk == reversal.pk  # a retry
    with pytest.raises(LedgerError):
        ledger_reverse(journal_id=journal.pk, key="fix:2")
    with pytest.raises(LedgerError):
        ledger_reverse(journal_id=reversal.pk, key="fix:3")
    assert ledger_totals()["drift"] == []


def test_a_reversal_cannot_overdraw(user):
    journal = wallet_top_up(user=user, amount=rub(100), key="topup:test:spent")
    other = UserFactory()
    source, target = _wallets(user, other)
    ledger_post(key=next_key(), kind=Journal.Kind.HOLD, transfers=[TransferSpec(source, target, rub(60))])
    with pytest.raises(InsufficientFundsError):
        ledger_reverse(journal_id=journal.pk, key="fix:spent")
    assert balance(user) == rub(40)


def test_accounts_are_created_once(user):
    first = accounts_ensure(AccountRef.wallet(user), AccountRef.escrow(7), AccountRef.system(Account.Kind.REVENUE))
    second = accounts_ensure(AccountRef.system(Account.Kind.REVENUE), AccountRef.escrow(7), AccountRef.wallet(user))
    assert [a.pk for a in first] == [a.pk for a in reversed(second)]
    assert Account.objects.count() == 3


def test_invalid_amount_message_is_readable(user):
    with pytest.raises(InvalidAmountError) as caught:
        wallet_top_up(user=user, amount=rub("1.005"), key="topup:test:x")
    assert "2 digits" in caught.value.message
