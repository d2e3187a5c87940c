"""The lock order, checked from the SQL a transaction sends (PostgreSQL).

The README ("Lock order") is the rule; this reads every statement a connection runs, works
out which rows it locks (explicitly with SELECT ... FOR ..., implicitly with UPDATE and
DELETE) and reports each place a transaction breaks the rule:

- strength: an explicit row lock is FOR NO KEY UPDATE, never FOR UPDATE (which also blocks
  the key-share lock of every insert that references the row: the withdrawal deadlock);
- only what is meant: a locking SELECT that joins another table names its own table (OF);
- order: the ranked tables are first locked in RANKS order, and the rows of one ranked
  table in ascending id order.

A "transaction" is the outermost `atomic` a service opens (inside a test's own transaction,
the first one under it): that is what runs concurrently in production.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.transaction import Atomic

# Lower first. Tables not listed are a service's own rows (events, messages...) and unranked.
RANKS = {
    # 1. the row the operation is about
    "orders_order": 10,
    "escrow_withdrawal": 10,
    "escrow_clearance": 10,
    "escrow_payment": 10,
    "buyer_requests_buyerrequest": 10,
    # 2. rows that belong to it
    "orders_dispute": 20,
    "reviews_review": 20,
    "buyer_requests_offer": 20,
    # 3. money, accounts by id
    "escrow_account": 30,
    # 4. counters and aggregates: the gig, then profiles by id
    "gigs_gig": 40,
    "accounts_profile": 50,
    # 5. the user row, a per-person mutex taken last (or alone)
    "accounts_user": 60,
}

_LOCK_CLAUSE = re.compile(r" FOR (NO KEY UPDATE|UPDATE|SHARE|KEY SHARE)(?: OF ([^;]+?))?(?: NOWAIT| SKIP LOCKED)?\s*$")
_FROM_TABLES = re.compile(r'(?:FROM|JOIN) "(\w+)"')
_UPDATE = re.compile(r'^\s*UPDATE "(\w+)"')
_DELETE = re.compile(r'^\s*DELETE FROM "(\w+)"')


@dataclass
class Lock:
    table: str
    mode: str
    ids: frozenset[int] | None  # None: the statement does not say which rows
    sql: str


@dataclass
class Violation:
    rule: str
    detail: str
    sql: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}\n    {self.sql[:300]}"


@dataclass
class Transaction:
    locks: list[Lock] = field(default_factory=list)
    held: dict[str, set[int]] = field(default_factory=dict)
    top_rank: int = 0
    top_table: str = ""


def _pk_columns() -> dict[str, str]:
    return {m._meta.db_table: m._meta.pk.column for m in apps.get_models()}


def _referenced_tables() -> frozenset[str]:
    """Tables some foreign key points at: an insert there takes a key-share lock on them."""
    return frozenset(
        f.related_model._meta.db_table
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if f.concrete and (f.many_to_one or f.one_to_one)
    )


def _ids(sql: str, params, table: str, pk: str) -> frozenset[int] | None:
    """The ids a `WHERE "table"."pk" = %s` or `IN (%s, ...)` names, from the parameters."""
    if not isinstance(params, list | tuple):
        return None
    where = sql.find(" WHERE ")
    if where < 0:
        return None
    column = f'"{table}"."{pk}"'
    match = re.compile(re.escape(column) + r" (= %s|IN \(((?:%s(?:, )?)+)\))").search(sql, where)
    if match is None:
        return None
    first = sql.count("%s", 0, match.start())
    count = 1 if match.group(1).startswith("=") else match.group(2).count("%s")
    values = params[first : first + count]
    if len(values) != count or not all(isinstance(v, int) for v in values):
        return None
    return frozenset(values)


def locks_of(
    sql: str, params, pk_columns: dict[str, str], referenced: frozenset[str] = frozenset()
) -> tuple[list[Lock], list[Violation]]:
    """The row locks one statement takes, and the strength/OF rules it breaks."""
    violations: list[Violation] = []
    if sql.lstrip().startswith("SELECT"):
        clause = _LOCK_CLAUSE.search(sql)
        if clause is None:
            return [], []
        mode, of = clause.group(1), clause.group(2)
        head = sql[: clause.start()]
        top = head[: head.find(" WHERE ")] if " WHERE " in head else head
        tables = list(dict.fromkeys(_FROM_TABLES.findall(top)))
        if mode == "KEY SHARE":
            return [], []
        if of:
            tables = [t.strip().strip('"') for t in of.split(",")]
        elif len(tables) > 1:
            violations.append(Violation("only what is meant", f"locks every joined table {tables}; use of=", sql))
        if mode == "UPDATE" and referenced.intersection(tables):
            violations.append(Violation("strength", "FOR UPDATE on rows others point at; lock with no_key=True", sql))
        return [Lock(t, mode, _ids(sql, params, t, pk_columns.get(t, "id")), sql) for t in tables], violations
    for pattern, mode in ((_UPDATE, "NO KEY UPDATE"), (_DELETE, "UPDATE")):
        match = pattern.match(sql)
        if match:
            table = match.group(1)
            return [Lock(table, mode, _ids(sql, params, table, pk_columns.get(table, "id")), sql)], []
    return [], []


def check(txn: Transaction, lock: Lock) -> list[Violation]:
    """Add `lock` to the transaction's history; the order rules it breaks."""
    txn.locks.append(lock)
    rank = RANKS.get(lock.table)
    if rank is None:
        return []
    violations = []
    held = txn.held.get(lock.table)
    new = None if lock.ids is None else set(lock.ids) - (held or set())
    relock = held is not None and (lock.ids is None or not new)
    if rank < txn.top_rank and not relock:
        violations.append(
            Violation(
                "order", f"{lock.table} (rank {rank}) locked after {txn.top_table} (rank {txn.top_rank})", lock.sql
            )
        )
    if held and new and min(new) < max(held):
        violations.append(
            Violation("order", f"{lock.table} ids {sorted(new)} locked after ids {sorted(held)}", lock.sql)
        )
    txn.held.setdefault(lock.table, set()).update(lock.ids or ())
    if rank > txn.top_rank:
        txn.top_rank, txn.top_table = rank, lock.table
    return violations


class LockTracer:
    """Install on the current thread's connection; `violations` collects what breaks the rule."""

    def __init__(self):
        self.violations: list[Violation] = []
        self.transactions: list[Transaction] = []
        self._pk_columns = _pk_columns()
        self._referenced = _referenced_tables()
        self._current: Transaction | None = None
        self._thread = threading.get_ident()

    @staticmethod
    def _levels() -> tuple[int, int]:
        """(atomic blocks open, of which the test's own): a service's transaction is the next one."""
        blocks = connection.atomic_blocks
        return len(blocks), sum(1 for block in blocks if getattr(block, "_from_testcase", False))

    def start(self, monkeypatch) -> None:
        tracer = self
        real_enter = Atomic.__enter__

        def enter(atomic):
            real_enter(atomic)
            if threading.get_ident() != tracer._thread or atomic.using not in (None, "default"):
                return
            depth, base = tracer._levels()
            if depth == base + 1 and not getattr(atomic, "_from_testcase", False):
                tracer._current = Transaction()
                tracer.transactions.append(tracer._current)

        monkeypatch.setattr(Atomic, "__enter__", enter)
        self._wrapper_cm = connection.execute_wrapper(self)
        self._wrapper_cm.__enter__()

    def stop(self) -> None:
        self._wrapper_cm.__exit__(None, None, None)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not many and isinstance(sql, str):
            locks, violations = locks_of(sql, params, self._pk_columns, self._referenced)
            if locks and context["cursor"].rowcount == 0:
                locks = []  # no row matched: nothing was locked
            if locks or violations:
                depth, base = self._levels()
                inside = depth > base and self._current is not None
                txn = self._current if inside else Transaction()  # autocommit: a transaction of its own
                self.violations.extend(violations)
                for lock in locks:
                    self.violations.extend(check(txn, lock))
        return result
