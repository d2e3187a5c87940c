"""Random sequences of every money operation, repeats of the same keys included, against a
plain Python model of who should hold what. After every step the ledger must agree with
the model and keep its invariants: the balances add up to zero, no account but the world
is negative, every cached balance equals its transfers, and each escrow holds exactly what
was held minus what left it."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from escrow.errors import (
    EscrowStateError,
    IdempotencyConflictError,
    InsufficientFundsError,
    WithdrawalError,
)
from escrow.fees import fee_for
from escrow.models import Account, Journal
from escrow.selectors import escrow_balance
from escrow.services import (
    escrow_hold,
    escrow_refund,
    escrow_settle,
    escrow_split,
    wallet_top_up,
    withdrawal_mark_paid,
    withdrawal_reject,
    withdrawal_request,
)
from marketplace.money import round_amount
from tests.factories import SellerFactory, UserFactory

from .factories import StaffFactory, card_method, ledger_totals, next_order_id, rub

pytestmark = pytest.mark.django_db


def kopecks(high: int):
    return st.integers(min_value=1, max_value=high).map(lambda k: Decimal(k).scaleb(-2))


any_amount = kopecks(3_000_000)
# Typical amounts most of the time (so holds find money and withdrawals pass the minimum),
# any amount from a kopeck to 30 000 now and then.
top_up_amounts = st.one_of(st.sampled_from([Decimal("3000"), Decimal("10000.50"), Decimal("25000")]), any_amount)
order_amounts = st.one_of(st.sampled_from([Decimal("500"), Decimal("1500.55"), Decimal("4000")]), kopecks(800_000))
withdrawal_amounts = st.sampled_from([Decimal("1000"), Decimal("2500.01"), Decimal("999.99")])
rates = st.sampled_from([Decimal(0), Decimal("0.075"), Decimal("0.12"), Decimal("0.2"), Decimal("0.1234567891")])
ORDERS = 4  # order slots per run: few, so holds, releases and their repeats collide


@dataclass
class Release:
    kind: str
    payees: dict  # who got what: {user id or "revenue": amount}; zero amounts left out


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run is one savepoint, rolled back in teardown: runs start from an empty ledger.
        self._atomic = transaction.atomic()
        # The test's own transaction, not a service's: the lock-order check looks inside it.
        self._atomic._from_testcase = True
        self._atomic.__enter__()
        self.buyers = [UserFactory() for _ in range(2)]
        self.sellers = [SellerFactory() for _ in range(2)]
        self.users = self.buyers + self.sellers
        self.staff = StaffFactory()
        self.methods = {seller.pk: card_method(seller) for seller in self.sellers}
        self.order_ids = [next_order_id() for _ in range(ORDERS)]
        # The model: plain numbers.
        self.wallet: dict[int, Decimal] = defaultdict(Decimal)
        self.world = Decimal(0)
        self.revenue = Decimal(0)
        self.payouts = Decimal(0)
        self.escrow: dict[int, Decimal] = defaultdict(Decimal)
        self.holds: dict[int, tuple[int, Decimal]] = {}  # order -> (buyer, amount)
        self.releases: dict[int, Release] = {}
        self.top_ups: dict[str, tuple[int, Decimal]] = {}
        self.withdrawal_keys: dict[str, tuple[int, Decimal]] = {}
        self.withdrawals: dict[int, dict] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- rules ---------------------------------------------------------------------------

    @initialize(buyer_money=st.sampled_from([Decimal("20000"), Decimal(0)]), seller_money=st.sampled_from([3000, 0]))
    def some_money_to_start_with(self, buyer_money, seller_money):
        for index, user in enumerate(self.users):
            amount = Decimal(buyer_money if user in self.buyers else seller_money)
            if amount:
                wallet_top_up(user=user, amount=rub(amount), key=f"topup:start:{index}")
                self.wallet[user.pk] += amount
                self.world -= amount

    @rule(who=st.integers(0, 3), key=st.integers(0, 11), amount=top_up_amounts)
    def top_up(self, who, key, amount):
        user = self.users[who]
        key = f"topup:hypothesis:{key}"
        known = self.top_ups.get(key)
        if known is not None and known != (user.pk, amount):
            event("top-up: key reused for another payload")
            with pytest.raises(IdempotencyConflictError):
                wallet_top_up(user=user, amount=rub(amount), key=key)
            return
        journal = wallet_top_up(user=user, amount=rub(amount), key=key)
        event("top-up: repeated" if known else "top-up: new")
        assert journal.is_replay == (known is not None)
        if known is None:
            self.top_ups[key] = (user.pk, amount)
            self.wallet[user.pk] += amount
            self.world -= amount

    @precondition(lambda self: self.top_ups)
    @rule(data=st.data())
    def repeat_a_top_up(self, data):
        key = data.draw(st.sampled_from(sorted(self.top_ups)))
        user_id, amount = self.top_ups[key]
        user = next(u for u in self.users if u.pk == user_id)
        assert wallet_top_up(user=user, amount=rub(amount), key=key).is_replay

    @rule(who=st.integers(0, 1), slot=st.integers(0, ORDERS - 1), amount=order_amounts)
    def hold(self, who, slot, amount):
        buyer, order = self.buyers[who], self.order_ids[slot]
        known = self.holds.get(order)
        if known is not None:
            if known == (buyer.pk, amount):
                assert escrow_hold(order_id=order, buyer=buyer, amount=rub(amount)).is_replay
            else:
                with pytest.raises(IdempotencyConflictError):
                    escrow_hold(order_id=order, buyer=buyer, amount=rub(amount))
            return
        if self.wallet[buyer.pk] < amount:
            event("hold: not enough money")
            with pytest.raises(InsufficientFundsError) as caught:
                escrow_hold(order_id=order, buyer=buyer, amount=rub(amount))
            assert caught.value.shortfall == rub(amount - self.wallet[buyer.pk])
            return
        escrow_hold(order_id=order, buyer=buyer, amount=rub(amount))
        event("hold: held")
        self.holds[order] = (buyer.pk, amount)
        self.wallet[buyer.pk] -= amount
        self.escrow[order] += amount

    @precondition(lambda self: self.holds)
    @rule(data=st.data(), who=st.integers(0, 1), rate=rates)
    def settle(self, data, who, rate):
        order, seller = self._pick_order(data), self.sellers[who]
        held = self._held_for_release(order)
        fee = fee_for(rub(held), rate).amount if held is not None else Decimal(0)
        self._release(
            order,
            Journal.Kind.SETTLE,
            lambda: escrow_settle(order_id=order, seller=seller, fee=rub(fee)),
            lambda held: {seller.pk: held - fee, "revenue": fee},
        )

    @precondition(lambda self: self.holds)
    @rule(data=st.data())
    def refund(self, data):
        order = self._pick_order(data)
        buyer_id = self.holds[order][0] if order in self.holds else self.buyers[0].pk
        buyer = next(u for u in self.buyers if u.pk == buyer_id)
        self._release(
            order,
            Journal.Kind.REFUND,
            lambda: escrow_refund(order_id=order, buyer=buyer),
            lambda held: {buyer.pk: held},
        )

    @precondition(lambda self: self.holds)
    @rule(data=st.data(), who=st.integers(0, 1), share=st.integers(0, 100), rate=rates)
    def split(self, data, who, share, rate):
        order, seller = self._pick_order(data), self.sellers[who]
        held = self._held_for_release(order)
        if held is None:
            held = Decimal("1.00")  # nothing held: any parts, the escrow is refused anyway
        buyer_id = self.holds[order][0] if order in self.holds else self.buyers[0].pk
        buyer = next(u for u in self.buyers if u.pk == buyer_id)
        buyer_part = round_amount(held * share / 100, "RUB")
        seller_part = held - buyer_part
        fee = fee_for(rub(seller_part), rate).amount
        self._release(
            order,
            Journal.Kind.SPLIT,
            lambda: escrow_split(
                order_id=order,
                buyer=buyer,
                seller=seller,
                buyer_part=rub(buyer_part),
                seller_part=rub(seller_part),
                fee=rub(fee),
            ),
            lambda held: {buyer.pk: buyer_part, seller.pk: seller_part - fee, "revenue": fee},
        )

    @rule(who=st.integers(0, 1), key=st.integers(0, 3), amount=withdrawal_amounts)
    def withdraw(self, who, key, amount):
        seller = self.sellers[who]
        key = f"hypothesis-{key:04d}"
        method = self.methods[seller.pk]
        known = self.withdrawal_keys.get(key)
        if known is not None:
            event("withdrawal: key reused")
            if known == (seller.pk, amount):
                withdrawal_request(user=seller, amount=rub(amount), payout_method=method, key=key)
            else:
                with pytest.raises(WithdrawalError):
                    withdrawal_request(user=seller, amount=rub(amount), payout_method=method, key=key)
            return
        if amount < 1000:
            event("withdrawal: below the minimum")
            with pytest.raises(WithdrawalError):
                withdrawal_request(user=seller, amount=rub(amount), payout_method=method, key=key)
            return
        if self.wallet[seller.pk] < amount:
            event("withdrawal: not enough money")
            with pytest.raises(InsufficientFundsError):
                withdrawal_request(user=seller, amount=rub(amount), payout_method=method, key=key)
            return
        withdrawal = withdrawal_request(user=seller, amount=rub(amount), payout_method=method, key=key)
        event("withdrawal: requested")
        self.withdrawal_keys[key] = (seller.pk, amount)
        self.withdrawals[withdrawal.pk] = {"user": seller.pk, "amount": amount, "decided": False}
        self.wallet[seller.pk] -= amount
        self.payouts += amount

    @precondition(lambda self: self.withdrawals)
    @rule(data=st.data(), pay=st.booleans())
    def decide(self, data, pay):
        pk = data.draw(st.sampled_from(sorted(self.withdrawals)))
        model = self.withdrawals[pk]
        decide = (
            (lambda: withdrawal_mark_paid(withdrawal_id=pk, actor=self.staff))
            if pay
            else (lambda: withdrawal_reject(withdrawal_id=pk, actor=self.staff, reason="Details do not match"))
        )
        if model["decided"]:
            with pytest.raises(WithdrawalError):
                decide()
            return
        decide()
        event("withdrawal: paid" if pay else "withdrawal: rejected")
        model["decided"] = True
        self.payouts -= model["amount"]
        if pay:
            self.world += model["amount"]
        else:
            self.wallet[model["user"]] += model["amount"]

    # --- helpers -------------------------------------------------------------------------

    def _pick_order(self, data) -> int:
        """Mostly an order whose money is held; sometimes any order (released, or never held)."""
        held = [order for order in self.order_ids if self.escrow[order] > 0]
        # Hypothesis favours the simplest draw (0): make that the held order.
        if held and data.draw(st.integers(0, 3)) < 3:
            return data.draw(st.sampled_from(held))
        return data.draw(st.sampled_from(self.order_ids))

    def _held_for_release(self, order) -> Decimal | None:
        """What a release of `order` would move: the amount held, also when repeating a release."""
        if order in self.releases:
            return self.holds[order][1]
        return self.escrow[order] if self.escrow[order] > 0 else None

    def _release(self, order, kind, call, payouts):
        earlier = self.releases.get(order)
        if earlier is not None:
            payees = {who: amount for who, amount in payouts(self.holds[order][1]).items() if amount > 0}
            event(f"{kind}: after a release")
            if earlier.kind != kind:
                with pytest.raises(EscrowStateError):  # the escrow is already empty
                    call()
            elif earlier.payees == payees:
                event(f"{kind}: repeated")
                assert call().is_replay
            else:
                with pytest.raises(IdempotencyConflictError):
                    call()
            return
        if self.escrow[order] == 0:
            event(f"{kind}: nothing held")
            with pytest.raises(EscrowStateError):
                call()
            return
        journal = call()
        event(f"{kind}: released")
        assert not journal.is_replay
        payees = {who: amount for who, amount in payouts(self.escrow[order]).items() if amount > 0}
        for who, amount in payees.items():
            if who == "revenue":
                self.revenue += amount
            else:
                self.wallet[who] += amount
        self.escrow[order] = Decimal(0)
        self.releases[order] = Release(kind, payees)

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def books_balance_and_cache_matches_transfers(self):
        totals = ledger_totals()
        assert totals["sum"] == 0
        assert totals["drift"] == []
        assert not Account.objects.exclude(kind=Account.Kind.WORLD).filter(balance__lt=0).exists()

    @invariant()
    def ledger_matches_the_model(self):
        balances = {
            (kind, user_id): amount
            for kind, user_id, amount in Account.objects.filter(order_id__isnull=True).values_list(
                "kind", "user_id", "balance"
            )
        }
        for user in self.users:
            assert balances.get((Account.Kind.WALLET, user.pk), Decimal(0)) == self.wallet[user.pk]
        assert balances.get((Account.Kind.WORLD, None), Decimal(0)) == self.world
        assert balances.get((Account.Kind.REVENUE, None), Decimal(0)) == self.revenue
        assert balances.get((Account.Kind.PAYOUTS, None), Decimal(0)) == self.payouts

    @invariant()
    def each_escrow_holds_what_was_held_minus_what_left(self):
        for order in self.order_ids:
            assert escrow_balance(order_id=order) == rub(self.escrow[order])


def test_the_ledger_agrees_with_a_plain_model():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
