"""Every read the escrow views, tasks and the orders app need, with the access checks."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import User

from . import conf
from .fees import FeePolicy
from .models import Account, CardRefund, Journal, PairTurnover, Payment, PayoutMethod, Transfer, Withdrawal


@dataclass(frozen=True)
class WalletBalances:
    available: Money
    pending: Money

    @property
    def total(self) -> Money:
        return self.available + self.pending


@dataclass(frozen=True)
class WalletEntry:
    """One line of the wallet history, in plain words."""

    transfer_id: int
    created_at: datetime
    description: str
    amount: Money
    direction: str  # "in", "out" or "internal" (pending -> available)
    pending: bool  # the movement is in (or out of) the pending balance
    note: str = ""


def wallet_balances(*, user: User, currency: str | None = None) -> WalletBalances:
    currency = currency or conf.currency()
    balances = dict(
        Account.objects.filter(user=user, balance_currency=currency, kind__in=Account.USER_KINDS).values_list(
            "kind", "balance"
        )
    )
    return WalletBalances(
        available=Money(balances.get(Account.Kind.WALLET, Decimal(0)), currency),
        pending=Money(balances.get(Account.Kind.WALLET_PENDING, Decimal(0)), currency),
    )


def wallet_transfers(*, user: User) -> QuerySet[Transfer]:
    """Every transfer into or out of the user's wallets, newest first."""
    # Account ids first: the OR of two indexed foreign keys, not of two joins.
    account_ids = list(Account.objects.filter(user=user).values_list("pk", flat=True))
    return (
        Transfer.objects.filter(Q(debit_id__in=account_ids) | Q(credit_id__in=account_ids))
        .select_related(
            "journal",
            "debit",
            "credit",
            "journal__withdrawal_requested__payout_method",
            "journal__withdrawal_decided__payout_method",
            "journal__card_refund_decided",
        )
        .order_by("-id")
    )


def wallet_entries(*, user: User, transfers) -> list[WalletEntry]:
    """Describe transfers (from `wallet_transfers`) as a person would."""
    return [_entry(user, transfer) for transfer in transfers]


def _entry(user: User, transfer: Transfer) -> WalletEntry:
    journal = transfer.journal
    mine_in = transfer.credit.user_id == user.pk
    mine_out = transfer.debit.user_id == user.pk
    direction = "internal" if (mine_in and mine_out) else ("in" if mine_in else "out")
    pending = (mine_in and transfer.credit.kind == Account.Kind.WALLET_PENDING) or (
        mine_out and transfer.debit.kind == Account.Kind.WALLET_PENDING
    )
    order = {"order": journal.order_id}
    note = ""
    kind = journal.kind
    if kind == Journal.Kind.TOP_UP:
        description = _("Top-up by card")
    elif kind == Journal.Kind.HOLD:
        description = _("Order #%(order)s: payment held") % order
    elif kind == Journal.Kind.SETTLE:
        description = _("Order #%(order)s: payment received") % order
    elif kind == Journal.Kind.REFUND:
        description = _("Order #%(order)s: refund") % order
    elif kind == Journal.Kind.SPLIT:
        description = (
            _("Order #%(order)s: part of the payment returned") % order
            if transfer.credit.kind == Account.Kind.WALLET and not pending and _is_buyer_part(transfer, user)
            else _("Order #%(order)s: part of the payment received") % order
        )
    elif kind == Journal.Kind.CLEARANCE:
        description = _("Order #%(order)s: earnings became available") % order
    elif kind == Journal.Kind.WITHDRAWAL:
        withdrawal = getattr(journal, "withdrawal_requested", None)
        description = _("Withdrawal to %(destination)s") % {"destination": _destination(withdrawal)}
    elif kind == Journal.Kind.WITHDRAWAL_REJECTED:
        withdrawal = getattr(journal, "withdrawal_decided", None)
        description = _("Withdrawal to %(destination)s rejected: money returned") % {
            "destination": _destination(withdrawal)
        }
        note = withdrawal.reason if withdrawal else ""
    elif kind == Journal.Kind.CARD_REFUND:
        description = _("Return to card")
    elif kind == Journal.Kind.CARD_REFUND_FAILED:
        refund = getattr(journal, "card_refund_decided", None)
        description = _("Return to card refused by the bank: money returned")
        note = refund.failure_reason if refund else ""
    elif kind == Journal.Kind.REVERSAL:
        description = _("Correction of an earlier entry")
    else:
        description = journal.get_kind_display()
    return WalletEntry(
        transfer_id=transfer.pk,
        created_at=journal.created_at,
        description=description,
        amount=transfer.amount,
        direction=direction,
        pending=pending,
        note=note,
    )


def _is_buyer_part(transfer: Transfer, user: User) -> bool:
    # In a split the buyer's part comes back to the wallet that paid the hold.
    return Transfer.objects.filter(
        journal__kind=Journal.Kind.HOLD, journal__order_id=transfer.journal.order_id, debit__user=user
    ).exists()


def _destination(withdrawal: Withdrawal | None) -> str:
    return withdrawal.payout_method.label if withdrawal else _("your payout method")


def payment_get_for_user(*, user: User, payment_id) -> Payment:
    """The user's own payment; someone else's (or none) is a 404."""
    payment = Payment.objects.filter(pk=payment_id, user=user).first()
    if payment is None:
        raise Http404
    return payment


def payout_methods_for_user(*, user: User) -> QuerySet[PayoutMethod]:
    return PayoutMethod.objects.filter(user=user, is_active=True).order_by("-created_at")


def payout_method_get_for_user(*, user: User, method_id: int) -> PayoutMethod:
    method = PayoutMethod.objects.filter(pk=method_id, user=user, is_active=True).first()
    if method is None:
        raise Http404
    return method


def card_refunds_for_user(*, user: User, limit: int = 5) -> list[CardRefund]:
    return list(CardRefund.objects.filter(user=user).order_by("-created_at")[:limit])


def withdrawals_for_user(*, user: User, limit: int = 10) -> list[Withdrawal]:
    return list(Withdrawal.objects.filter(user=user).select_related("payout_method").order_by("-created_at")[:limit])


def escrow_balance(*, order_id: int, currency: str | None = None) -> Money:
    """What the order's escrow account holds now (zero if nothing was ever held)."""
    currency = currency or conf.currency()
    balance = (
        Account.objects.filter(kind=Account.Kind.ESCROW, order_id=order_id, balance_currency=currency)
        .values_list("balance", flat=True)
        .first()
    )
    return Money(balance if balance is not None else Decimal(0), currency)


def turnover_between(*, buyer_id: int, seller_id: int, currency: str | None = None) -> Money:
    """What the buyer has paid the seller through settled orders (the seller's part, fee
    included): the base of the fee tiers. One row, kept at settlement by the ledger
    (`escrow.services.turnover` says what counts)."""
    currency = currency or conf.currency()
    amount = (
        PairTurnover.objects.filter(buyer_id=buyer_id, seller_id=seller_id, amount_currency=currency)
        .values_list("amount", flat=True)
        .first()
    )
    return Money(amount if amount is not None else Decimal(0), currency)


def fee_rate_for(*, buyer_id: int, seller_id: int, amount: Money) -> Decimal:
    """The fee rate an order of `amount` between these two would get now (to snapshot on the order)."""
    turnover = turnover_between(buyer_id=buyer_id, seller_id=seller_id, currency=amount.currency.code)
    return FeePolicy.from_settings().rate_for(amount=amount, turnover=turnover)
