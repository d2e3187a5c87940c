import pytest
from django.db import connection

from escrow.errors import InsufficientFundsError, InvalidAmountError, PayoutMethodError, WithdrawalError
from escrow.models import Account, Journal, PayoutMethod, Withdrawal
from escrow.payout_details import payout_details_decrypt
from escrow.services import (
    ledger_reconcile,
    payout_method_add,
    payout_method_remove,
    withdrawal_mark_paid,
    withdrawal_reject,
    withdrawal_request,
)
from tests.factories import SellerFactory, UserFactory

from .factories import StaffFactory, balance, card_method, rub, seller_with_money, system_balance, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def freelancer(db):
    return seller_with_money(5000)


@pytest.fixture
def method(freelancer):
    return card_method(freelancer)


def test_a_withdrawal_leaves_the_wallet_at_once(freelancer, method):
    withdrawal = withdrawal_request(user=freelancer, amount=rub(3000), payout_method=method)
    assert withdrawal.status == Withdrawal.Status.REQUESTED
    assert balance(freelancer) == rub(2000)
    assert system_balance(Account.Kind.PAYOUTS) == rub(3000)
    assert withdrawal.request_journal.kind == Journal.Kind.WITHDRAWAL


def test_paid_sends_the_money_to_the_world(freelancer, method, staff):
    withdrawal = withdrawal_request(user=freelancer, amount=rub(3000), payout_method=method)
    world_before = system_balance(Account.Kind.WORLD)
    paid = withdrawal_mark_paid(withdrawal_id=withdrawal.pk, actor=staff)
    assert paid.status == Withdrawal.Status.PAID and paid.decided_by == staff
    assert system_balance(Account.Kind.PAYOUTS) == rub(0)
    assert system_balance(Account.Kind.WORLD) == world_before + rub(3000)
    assert balance(freelancer) == rub(2000)
    assert ledger_reconcile(notify=False).ok


def test_rejected_returns_the_money_with_a_reason(freelancer, method, staff):
    withdrawal = withdrawal_request(user=freelancer, amount=rub(3000), payout_method=method)
    rejected = withdrawal_reject(withdrawal_id=withdrawal.pk, actor=staff, reason="The card is blocked.")
    assert rejected.status == Withdrawal.Status.REJECTED
    assert rejected.reason == "The card is blocked."
    assert balance(freelancer) == rub(5000)
    assert system_balance(Account.Kind.PAYOUTS) == rub(0)


def test_a_withdrawal_is_decided_once(freelancer, method, staff):
    withdrawal = withdrawal_request(user=freelancer, amount=rub(3000), payout_method=method)
    withdrawal_mark_paid(withdrawal_id=withdrawal.pk, actor=staff)
    with pytest.raises(WithdrawalError):
        withdrawal_reject(withdrawal_id=withdrawal.pk, actor=staff, reason="too late")
    with pytest.raises(WithdrawalError):
        withdrawal_mark_paid(withdrawal_id=withdrawal.pk, actor=staff)
    assert balance(freelancer) == rub(2000)
    assert Journal.objects.filter(key=f"withdrawal:{withdrawal.pk}:decision").count() == 1


def test_only_staff_decide_and_a_rejection_needs_a_reason(freelancer, method, staff):
    withdrawal = withdrawal_request(user=freelancer, amount=rub(3000), payout_method=method)
    with pytest.raises(WithdrawalError):
        withdrawal_mark_paid(withdrawal_id=withdrawal.pk, actor=freelancer)
    with pytest.raises(WithdrawalError):
        withdrawal_reject(withdrawal_id=withdrawal.pk, actor=staff, reason="   ")
    with pytest.raises(WithdrawalError):
        withdrawal_reject(withdrawal_id=withdrawal.pk, actor=staff, reason="x" * 1001)
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.REQUESTED


def test_the_same_form_submitted_twice_asks_once(freelancer, method):
    first = withdrawal_request(user=freelancer, amount=rub(1000), payout_method=method, key="form-token-1")
    second = withdrawal_request(user=freelancer, amount=rub(1000), payout_method=method, key="form-token-1")
    assert first.pk == second.pk
    assert balance(freelancer) == rub(4000)
    with pytest.raises(WithdrawalError):
        withdrawal_request(user=freelancer, amount=rub(2000), payout_method=method, key="form-token-1")


def test_withdrawal_rules(freelancer, method):
    with pytest.raises(WithdrawalError):
        withdrawal_request(user=freelancer, amount=rub("999.99"), payout_method=method)
    with pytest.raises(InsufficientFundsError):
        withdrawal_request(user=freelancer, amount=rub("5000.01"), payout_method=method)
    with pytest.raises(InvalidAmountError):
        withdrawal_request(user=freelancer, amount=rub("1000.001"), payout_method=method)
    buyer = UserFactory()
    top_up(buyer, 5000)
    with pytest.raises(WithdrawalError):
        withdrawal_request(user=buyer, amount=rub(1000), payout_method=method)
    with pytest.raises(WithdrawalError):
        withdrawal_request(user=SellerFactory(), amount=rub(1000), payout_method=method)  # not theirs
    payout_method_remove(user=freelancer, method_id=method.pk)
    with pytest.raises(WithdrawalError):
        withdrawal_request(user=freelancer, amount=rub(1000), payout_method=method)
    assert not Withdrawal.objects.exists()
    assert balance(freelancer) == rub(5000)


def test_the_minimum_comes_from_settings(settings, freelancer, method):
    settings.WITHDRAWAL_MIN_AMOUNT = "100"
    assert withdrawal_request(user=freelancer, amount=rub(100), payout_method=method).amount == rub(100)


@pytest.mark.parametrize(
    ("kind", "value", "masked", "details"),
    [
        ("card", "4242 4242 4242 4242", "•••• 4242", "4242424242424242"),
        ("card", "5555-5555-5555-4444", "•••• 4444", "5555555555554444"),
        ("paypal", " Jane.Doe@Example.com ", "j•••@example.com", "jane.doe@example.com"),
        ("webmoney", "z123456789012", "Z•••9012", "Z123456789012"),
        ("yoomoney", "4100 1234 5678 901", "•••• 8901", "410012345678901"),
    ],
)
def test_payout_methods_keep_the_details_encrypted_and_show_a_mask(user, kind, value, masked, details):
    method = payout_method_add(user=user, kind=kind, value=value)
    assert method.masked == masked
    assert payout_details_decrypt(method.details) == details
    # The row read raw holds no plain details (nor their last digits beyond the mask).
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM escrow_payoutmethod WHERE id = %s", [method.pk])
        row = cursor.fetchone()
    assert not any(details in str(column) or details.lower() in str(column).lower() for column in row)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("card", "4242 4242 4242 4241"),  # fails Luhn
        ("card", "4242"),
        ("card", "４２４２４２４２４２４２４２４２"),  # full-width digits
        ("paypal", "not-an-email"),
        ("webmoney", "Z12345"),
        ("yoomoney", "1234567890123"),
        ("bitcoin", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
    ],
)
def test_bad_payout_details_are_refused(user, kind, value):
    with pytest.raises(PayoutMethodError):
        payout_method_add(user=user, kind=kind, value=value)
    assert not PayoutMethod.objects.exists()


def test_the_same_method_twice_is_refused_but_can_be_added_after_removal(user):
    method = card_method(user)
    with pytest.raises(PayoutMethodError):
        card_method(user, "4242-4242-4242-4242")
    payout_method_remove(user=user, method_id=method.pk)
    assert card_method(user).pk != method.pk
    with pytest.raises(PayoutMethodError):
        payout_method_remove(user=user, method_id=method.pk)


def test_someone_elses_method_cannot_be_removed(user):
    method = card_method(StaffFactory())
    with pytest.raises(PayoutMethodError):
        payout_method_remove(user=user, method_id=method.pk)
