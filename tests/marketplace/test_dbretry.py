"""A service PostgreSQL gives up as a deadlock victim runs again, a bounded number of times,
and what still fails reaches the person as a readable message with nothing saved."""

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse

from escrow.models import Withdrawal
from escrow.services import withdrawals as withdrawals_module
from marketplace.dbretry import ATTEMPTS, BusyError, retry_on_conflict
from tests.escrow.factories import balance, card_method, rub, seller_with_money

# The retry runs only in the outermost transaction: these tests must not be inside one.
pytestmark = pytest.mark.django_db(transaction=True)


class _PgError(Exception):
    def __init__(self, pgcode):
        super().__init__(pgcode)
        self.pgcode = pgcode


def db_error(pgcode="40P01") -> OperationalError:
    error = OperationalError("deadlock detected" if pgcode == "40P01" else "other")
    error.__cause__ = _PgError(pgcode)
    return error


def failing(times, pgcode="40P01"):
    calls = []

    @retry_on_conflict
    def service():
        calls.append(1)
        if len(calls) <= times:
            raise db_error(pgcode)
        return "done"

    return service, calls


def test_a_deadlock_victim_runs_again():
    service, calls = failing(ATTEMPTS - 1)
    assert service() == "done"
    assert len(calls) == ATTEMPTS


def test_retries_are_bounded_then_a_readable_error():
    service, calls = failing(100)
    with pytest.raises(BusyError) as caught:
        service()
    assert len(calls) == ATTEMPTS
    assert "nothing was saved" in caught.value.message


def test_a_serialisation_failure_is_retried_other_errors_are_not():
    service, calls = failing(1, pgcode="40001")
    assert service() == "done" and len(calls) == 2
    service, calls = failing(1, pgcode="23505")
    with pytest.raises(OperationalError):
        service()
    assert len(calls) == 1


def test_inside_a_callers_transaction_it_runs_once():
    service, calls = failing(1)
    with pytest.raises(OperationalError), transaction.atomic():
        service()
    assert len(calls) == 1


def _deadlocking_ledger(monkeypatch, times):
    real = withdrawals_module.ledger_post
    calls = []

    def ledger_post(**kwargs):
        calls.append(1)
        journal = real(**kwargs)  # written, then rolled back with the whole transaction
        if len(calls) <= times:
            raise db_error()
        return journal

    monkeypatch.setattr(withdrawals_module, "ledger_post", ledger_post)
    return calls


def test_a_withdrawal_that_deadlocked_once_is_asked_for_once(client, monkeypatch):
    seller = seller_with_money(5000)
    method = card_method(seller)
    calls = _deadlocking_ledger(monkeypatch, 1)
    client.force_login(seller)
    response = client.post(
        reverse("escrow:withdraw"), {"amount": "2000", "payout_method": method.pk, "key": "retry-once-1"}
    )
    assert response.status_code == 302
    assert len(calls) == 2
    assert Withdrawal.objects.count() == 1
    assert balance(seller) == rub(3000)


def test_a_withdrawal_that_keeps_deadlocking_shows_the_form_again_with_nothing_saved(client, monkeypatch):
    seller = seller_with_money(5000)
    method = card_method(seller)
    _deadlocking_ledger(monkeypatch, 100)
    client.force_login(seller)
    response = client.post(
        reverse("escrow:withdraw"), {"amount": "2000", "payout_method": method.pk, "key": "retry-many-1"}
    )
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert not Withdrawal.objects.exists()
    assert balance(seller) == rub(5000)
