"""Factories and small helpers for the escrow tests."""

import itertools
from decimal import Decimal

from django.db.models import Sum
from moneyed import Money

from escrow.models import Account, Transfer
from escrow.services import payout_method_add, wallet_top_up
from marketplace.money import round_amount
from tests.factories import SellerFactory, UserFactory

_keys = itertools.count(1)
_orders = itertools.count(1000)

VALID_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
DELAYED_CARD = "4000 0000 0000 3220"


def rub(amount) -> Money:
    return Money(Decimal(str(amount)), "RUB")


def next_key(prefix: str = "test") -> str:
    return f"{prefix}:{next(_keys)}"


def next_order_id() -> int:
    return next(_orders)


def top_up(user, amount) -> None:
    wallet_top_up(user=user, amount=rub(amount), key=next_key("topup:test"))


def balance(user, kind=Account.Kind.WALLET) -> Money:
    account = Account.objects.filter(user=user, kind=kind).first()
    return account.balance if account else rub(0)


def system_balance(kind) -> Money:
    account = Account.objects.filter(kind=kind, user__isnull=True, order_id__isnull=True).first()
    return account.balance if account else rub(0)


def ledger_totals() -> dict:
    """Facts every test can assert after anything: the sum of all balances, and the accounts
    whose cached balance differs from the sum of their transfers."""
    # Sums are rounded to kopecks: SQLite adds decimals in floating point.
    total = round_amount(Decimal(Account.objects.aggregate(total=Sum("balance"))["total"] or 0), "RUB")
    credited = dict(Transfer.objects.order_by().values_list("credit").annotate(s=Sum("amount")))
    debited = dict(Transfer.objects.order_by().values_list("debit").annotate(s=Sum("amount")))
    drift = [
        pk
        for pk, cached in Account.objects.values_list("pk", "balance")
        if cached != round_amount(Decimal(credited.get(pk, 0)) - Decimal(debited.get(pk, 0)), "RUB")
    ]
    return {"sum": total, "drift": drift}


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


def seller_with_money(amount, **kwargs):
    seller = SellerFactory(**kwargs)
    if amount:
        top_up(seller, amount)
    return seller


def card_method(user, number: str = VALID_CARD):
    return payout_method_add(user=user, kind="card", value=number)
