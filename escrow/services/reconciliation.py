"""Nightly reconciliation: check every invariant of the ledger (DESIGN.md, "Money: the ledger")
against the rows themselves, keep a report, and tell the admins when anything drifted."""

import logging
import time
from decimal import Decimal

from django.core.mail import mail_admins
from django.db import connection, transaction
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.errors import DomainError
from marketplace.jobs import publish
from marketplace.money import round_amount

from ..models import (
    Account,
    CardRefund,
    Clearance,
    Journal,
    PairTurnover,
    Payment,
    ReconciliationReport,
    Transfer,
    Withdrawal,
)
from .ledger import request_hash_of_rows
from .turnover import pair_turnovers_from_ledger

logger = logging.getLogger(__name__)

MAX_LISTED = 50  # problems of one kind listed in a report; the rest are counted
_DECIMAL = DecimalField(max_digits=30, decimal_places=2)
_ZERO = Value(Decimal(0), output_field=_DECIMAL)


def ledger_reconcile(*, notify: bool = True, triggered_by: User | None = None) -> ReconciliationReport:
    """Run every check, store a ReconciliationReport and, on drift, e-mail the admins.
    `triggered_by`: the staff member who asked for this run (None: the schedule or a command)."""
    nested = connection.in_atomic_block
    started_at = timezone.now()
    started = time.monotonic()
    problems: list[str] = []
    with transaction.atomic():
        if connection.vendor == "postgresql" and not nested:
            # One snapshot for every check: money moving while we read is not drift.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        totals = _check_sum_is_zero(problems)
        _check_no_negative_accounts(problems)
        _check_cached_balances(problems)
        journals_checked = _check_journals(problems)
        _check_transfers(problems)
        _check_escrow_accounts(problems)
        _check_payouts_in_flight(problems)
        _check_pending_wallets(problems)
        _check_payments(problems)
        _check_pair_turnovers(problems)
        accounts_checked = Account.objects.count()
        transfers_checked = Transfer.objects.count()
    report = ReconciliationReport.objects.create(
        started_at=started_at,
        triggered_by=triggered_by,
        ok=not problems,
        accounts_checked=accounts_checked,
        journals_checked=journals_checked,
        transfers_checked=transfers_checked,
        totals={currency: str(total) for currency, total in totals.items()},
        problems=problems,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if problems:
        logger.error("Ledger reconciliation found %s problem(s): %s", len(problems), "; ".join(problems[:5]))
        if notify:
            mail_admins(
                _("Ledger drift: %(n)s problem(s)") % {"n": len(problems)},
                "\n".join(
                    [_("Reconciliation report #%(id)s found:") % {"id": report.pk}, "", *(f"- {p}" for p in problems)]
                ),
            )
    return report


def ledger_reconcile_request(*, actor: User) -> bool:
    """Staff's "Run reconciliation now". The run reads every ledger row, so a Celery worker
    does it, not the request (with CELERY_TASK_ALWAYS_EAGER, as in tests, it is done when this
    returns); its report names `actor`. False when the broker could not take the task."""
    if not actor.has_perm("escrow.run_reconciliation"):
        raise DomainError(_("You do not have the permission to run the reconciliation."))
    from ..tasks import ledger_reconcile_task  # the tasks module imports the services

    return publish(ledger_reconcile_task, triggered_by_id=actor.pk)


def _rounded(expression):
    # SQLite sums decimals in floating point: compare at the columns' 2 places, not at 1e-17.
    return Round(expression, 2, output_field=_DECIMAL)


def _listed(problems: list[str], found: list[str]) -> None:
    problems.extend(found[:MAX_LISTED])
    if len(found) > MAX_LISTED:
        problems.append(_("... and %(n)s more like these.") % {"n": len(found) - MAX_LISTED})


def _check_sum_is_zero(problems: list[str]) -> dict[str, Decimal]:
    # Invariant 1: money is only ever moved, so all balances add up to zero per currency.
    totals = {
        row["balance_currency"]: round_amount(Decimal(row["total"] or 0), row["balance_currency"])
        for row in Account.objects.order_by().values("balance_currency").annotate(total=Sum("balance"))
    }
    for currency, total in sorted(totals.items()):
        if total != 0:
            problems.append(
                _("The balances in %(currency)s add up to %(total)s instead of zero.")
                % {"currency": currency, "total": total}
            )
    return totals


def _check_no_negative_accounts(problems: list[str]) -> None:
    # Invariant 2: only the outside world may be negative.
    found = [
        _("Account #%(id)s (%(account)s) is negative: %(balance)s.")
        % {"id": account.pk, "account": account, "balance": account.balance}
        for account in Account.objects.exclude(kind=Account.Kind.WORLD).filter(balance__lt=0).select_related("user")
    ]
    _listed(problems, found)


def _sum_of(transfers, column: str):
    return Coalesce(
        Subquery(
            transfers.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=_DECIMAL,
        ),
        _ZERO,
        output_field=_DECIMAL,
    )


def _check_cached_balances(problems: list[str]) -> None:
    # Invariant 5: the cached balance is credits minus debits.
    rows = (
        Account.objects.annotate(
            credited=_sum_of(Transfer.objects.all(), "credit"),
            debited=_sum_of(Transfer.objects.all(), "debit"),
        )
        .annotate(drift=_rounded(F("balance") - (F("credited") - F("debited"))))
        .filter(~Q(drift=0))
        .values("pk", "kind", "balance", "balance_currency", "credited", "debited")
    )
    found = [
        _("Account #%(id)s (%(kind)s): cached balance %(balance)s, but its transfers add up to %(computed)s.")
        % {
            "id": row["pk"],
            "kind": row["kind"],
            "balance": row["balance"],
            "computed": round_amount(row["credited"] - row["debited"], row["balance_currency"]),
        }
        for row in rows
    ]
    _listed(problems, found)


def _check_journals(problems: list[str]) -> int:
    """Invariant 6 and the journals' integrity: unique keys, at least one transfer each,
    and each journal's stored request hash still matches its transfers."""
    duplicate_keys = [
        _("The idempotency key %(key)s is used by %(n)s journals.") % {"key": row["key"], "n": row["n"]}
        for row in Journal.objects.order_by().values("key").annotate(n=Count("id")).filter(n__gt=1)
    ]
    _listed(problems, duplicate_keys)

    found: list[str] = []
    checked = 0
    transfers = (
        Transfer.objects.order_by("journal_id", "id")
        .values_list("journal_id", "debit_id", "credit_id", "amount", "amount_currency")
        .iterator(chunk_size=5000)
    )
    pending = next(transfers, None)
    for journal_id, key, kind, stored_hash in (
        Journal.objects.order_by("id").values_list("id", "key", "kind", "request_hash").iterator(chunk_size=5000)
    ):
        checked += 1
        rows = []
        while pending is not None and pending[0] <= journal_id:
            if pending[0] == journal_id:
                rows.append(pending[1:])
            pending = next(transfers, None)
        if not rows:
            found.append(_("Journal %(key)s has no transfers.") % {"key": key})
        elif request_hash_of_rows(kind, rows) != stored_hash:
            found.append(_("Journal %(key)s: its transfers do not match its request hash.") % {"key": key})
    _listed(problems, found)
    return checked


def _check_transfers(problems: list[str]) -> None:
    # Each transfer balances itself (one debit, one credit, one amount); the database checks
    # amount > 0 and two accounts; the currency must be both accounts' currency.
    bad = Transfer.objects.filter(
        Q(amount__lte=0)
        | Q(debit=F("credit"))
        | ~Q(amount_currency=F("debit__balance_currency"))
        | ~Q(amount_currency=F("credit__balance_currency"))
    ).values_list("pk", "journal__key")
    _listed(
        problems,
        [_("Transfer #%(id)s in journal %(key)s is malformed.") % {"id": pk, "key": key} for pk, key in bad],
    )


def _check_escrow_accounts(problems: list[str]) -> None:
    """Invariant 3, as far as escrow can know it without orders: an escrow account only
    takes money from its order's hold and only gives it to its order's release; it equals
    what was held minus what was released, and it is empty once a release happened."""
    escrow_transfers = Transfer.objects.filter(Q(debit__kind=Account.Kind.ESCROW) | Q(credit__kind=Account.Kind.ESCROW))
    strays = escrow_transfers.filter(
        (Q(credit__kind=Account.Kind.ESCROW) & ~Q(journal__order_id=F("credit__order_id")))
        | (Q(debit__kind=Account.Kind.ESCROW) & ~Q(journal__order_id=F("debit__order_id")))
        | Q(journal__order_id__isnull=True)
        | (Q(credit__kind=Account.Kind.ESCROW) & ~Q(journal__kind__in=[Journal.Kind.HOLD, Journal.Kind.REVERSAL]))
        | (Q(debit__kind=Account.Kind.ESCROW) & ~Q(journal__kind__in=[*Journal.RELEASE_KINDS, Journal.Kind.REVERSAL]))
    ).values_list("pk", "journal__key")
    _listed(
        problems,
        [
            _("Transfer #%(id)s (%(key)s) moves escrow money outside its order's hold or release.")
            % {"id": pk, "key": key}
            for pk, key in strays
        ],
    )

    # Invariant 4: an order's escrow is released (settled, refunded or split) at most once.
    released_twice = (
        Journal.objects.filter(kind__in=Journal.RELEASE_KINDS, reversed_by__isnull=True)
        .order_by()
        .values("order_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    _listed(
        problems,
        [
            _("Order #%(order)s was released %(n)s times.") % {"order": row["order_id"], "n": row["n"]}
            for row in released_twice
        ],
    )

    unreversed_release = Transfer.objects.filter(
        debit=OuterRef("pk"), journal__kind__in=Journal.RELEASE_KINDS, journal__reversed_by__isnull=True
    )
    rows = (
        Account.objects.filter(kind=Account.Kind.ESCROW)
        .annotate(
            held=_sum_of(Transfer.objects.filter(journal__kind=Journal.Kind.HOLD), "credit"),
            released=_sum_of(Transfer.objects.filter(journal__kind__in=Journal.RELEASE_KINDS), "debit"),
            reversed_in=_sum_of(Transfer.objects.filter(journal__kind=Journal.Kind.REVERSAL), "credit"),
            reversed_out=_sum_of(Transfer.objects.filter(journal__kind=Journal.Kind.REVERSAL), "debit"),
            was_released=Exists(unreversed_release),
        )
        .annotate(
            expected=_rounded(F("held") - F("released") + F("reversed_in") - F("reversed_out")),
            off_by=_rounded(F("balance") - F("expected")),
        )
        .filter(~Q(off_by=0) | (Q(was_released=True) & ~Q(balance=0)))
        .values("order_id", "balance", "expected", "was_released")
    )
    found = []
    for row in rows:
        if row["was_released"] and row["balance"] != 0:
            found.append(
                _("Escrow of order #%(order)s still holds %(balance)s after its release.")
                % {"order": row["order_id"], "balance": row["balance"]}
            )
        else:
            found.append(
                _("Escrow of order #%(order)s holds %(balance)s, but held minus released is %(expected)s.")
                % {"order": row["order_id"], "balance": row["balance"], "expected": row["expected"]}
            )
    _listed(problems, found)


def _check_payouts_in_flight(problems: list[str]) -> None:
    # Payouts in flight hold exactly the withdrawals that wait for a decision or are being
    # sent, and the returns to card the provider has not decided yet.
    waiting: dict[str, Decimal] = {}
    for rows in (
        Withdrawal.objects.filter(status__in=Withdrawal.OPEN_STATUSES),
        CardRefund.objects.filter(status=CardRefund.Status.PENDING),
    ):
        for row in rows.order_by().values("amount_currency").annotate(total=Sum("amount")):
            currency = row["amount_currency"]
            waiting[currency] = waiting.get(currency, Decimal(0)) + round_amount(Decimal(row["total"]), currency)
    in_flight = {
        row["balance_currency"]: row["balance"]
        for row in Account.objects.filter(kind=Account.Kind.PAYOUTS).values("balance_currency", "balance")
    }
    for currency in sorted(set(waiting) | set(in_flight)):
        expected, actual = waiting.get(currency, Decimal(0)), in_flight.get(currency, Decimal(0))
        if expected != actual:
            problems.append(
                _("Payouts in flight hold %(actual)s %(currency)s, but the waiting withdrawals add up to %(expected)s.")
                % {"actual": actual, "currency": currency, "expected": expected}
            )


def _check_pending_wallets(problems: list[str]) -> None:
    # A pending wallet holds exactly its user's earnings that have not cleared yet.
    waiting = Coalesce(
        Subquery(
            Clearance.objects.filter(
                user=OuterRef("user"), released_journal__isnull=True, amount_currency=OuterRef("balance_currency")
            )
            .order_by()
            .values("user")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=_DECIMAL,
        ),
        _ZERO,
        output_field=_DECIMAL,
    )
    rows = (
        Account.objects.filter(kind=Account.Kind.WALLET_PENDING)
        .annotate(waiting=waiting, off_by=_rounded(F("balance") - waiting))
        .filter(~Q(off_by=0))
        .values_list("user_id", "balance", "waiting")
    )
    _listed(
        problems,
        [
            _("The pending wallet of user #%(user)s holds %(balance)s, but uncleared earnings add up to %(waiting)s.")
            % {"user": user_id, "balance": balance, "waiting": waiting}
            for user_id, balance, waiting in rows
        ],
    )


def _check_payments(problems: list[str]) -> None:
    # A paid payment topped up exactly its amount, into its payer's wallet.
    topped_up = Coalesce(
        Subquery(
            Transfer.objects.filter(journal=OuterRef("journal"), credit__user=OuterRef("user"))
            .order_by()
            .values("journal")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=_DECIMAL,
        ),
        _ZERO,
        output_field=_DECIMAL,
    )
    rows = (
        Payment.objects.filter(status=Payment.Status.SUCCEEDED)
        .annotate(topped_up=topped_up, off_by=_rounded(F("amount") - topped_up))
        .filter(~Q(off_by=0))
        .values_list("pk", "amount", "topped_up")
    )
    _listed(
        problems,
        [
            _("Payment %(id)s of %(amount)s topped the wallet up by %(topped_up)s.")
            % {"id": pk, "amount": amount, "topped_up": topped}
            for pk, amount, topped in rows
        ],
    )


def _check_pair_turnovers(problems: list[str]) -> None:
    # The turnover kept per buyer-seller pair (the base of the fee tiers) is what the
    # ledger's settlements say, recomputed by the same rule.
    expected = {pair: round_amount(amount, pair[2]) for pair, amount in pair_turnovers_from_ledger().items()}
    rows = PairTurnover.objects.values_list("buyer_id", "seller_id", "amount_currency", "amount")
    kept = {(buyer_id, seller_id, currency): amount for buyer_id, seller_id, currency, amount in rows if amount}
    found = []
    for buyer_id, seller_id, currency in sorted(set(expected) | set(kept)):
        pair = (buyer_id, seller_id, currency)
        values = {"kept": kept.get(pair, Decimal(0)), "expected": expected.get(pair, Decimal(0))}
        if values["kept"] != values["expected"]:
            found.append(
                _(
                    "The turnover of buyer #%(buyer)s with seller #%(seller)s is %(kept)s %(currency)s, "
                    "but their settled orders add up to %(expected)s."
                )
                % {"buyer": buyer_id, "seller": seller_id, "currency": currency, **values}
            )
    _listed(problems, found)
