from decimal import Decimal

import pytest
from moneyed import Money

from escrow.selectors import escrow_balance, wallet_balances
from orders import services
from orders.models import Order
from orders.services import MilestoneData, OrderError
from tests.factories import SellerFactory, UserFactory
from tests.orders.conftest import top_up

S = Order.Status


def rub(x):
    return Money(Decimal(str(x)), "RUB")


@pytest.fixture
def contract(db):
    buyer, seller = UserFactory(), SellerFactory()
    first = services.order_place_custom(
        buyer=buyer, seller=seller, title="Online shop", description="Design, build, launch.", price=rub(60000),
        delivery_days=30, revisions=1, source="Offer",
        milestones=[MilestoneData("Design", rub(15000), 7), MilestoneData("Build", rub(30000), 14),
                    MilestoneData("Launch", rub(15000), 5)],
    )  # fmt: skip
    return first


def group(first):
    return list(services.milestone_group(first))


def run_milestone(order):
    top_up(order.buyer, order.total.amount, key=f"ms:{order.pk}")
    services.order_pay(order_id=order.pk, buyer=order.buyer)
    services.order_deliver(order_id=order.pk, seller=order.seller, message="done", files=[])
    return services.order_accept(order_id=order.pk, buyer=order.buyer)


def test_each_milestone_is_funded_and_released_on_its_own(contract):
    first, second, third = group(contract)
    assert [o.milestone_number for o in (first, second, third)] == [1, 2, 3]
    assert first.payment_expires_at is not None and second.payment_expires_at is None
    top_up(contract.buyer, 30000, key="early")
    with pytest.raises(OrderError, match="after milestone 1"):
        services.order_pay(order_id=second.pk, buyer=contract.buyer)
    run_milestone(first)
    assert escrow_balance(order_id=first.pk) == rub(0)
    second.refresh_from_db()
    assert second.payment_expires_at is not None  # the next part may be funded now
    run_milestone(second)
    run_milestone(third)
    assert all(o.status == S.COMPLETED for o in group(contract))
    # One fee rate for the whole contract: 20% of 30 000 and 12% of the next 30 000 = 16% blended.
    assert wallet_balances(user=contract.seller).available == rub(60000 - 9600)
    for order in group(contract):
        assert escrow_balance(order_id=order.pk) == rub(0)


def test_a_dispute_covers_the_current_milestone_only(contract):
    first, second, _third = group(contract)
    run_milestone(first)
    top_up(contract.buyer, 30000, key="second")
    services.order_pay(order_id=second.pk, buyer=contract.buyer)
    services.dispute_open(order_id=second.pk, actor=contract.buyer, reason="The shop does not work on phones at all.")
    judge = UserFactory(is_superuser=True, is_staff=True)
    services.dispute_resolve(order_id=second.pk, actor=judge, outcome="refund", decision="Refund the build part.")
    first.refresh_from_db()
    assert first.status == S.COMPLETED  # the settled milestone stays settled
    statuses = [o.status for o in group(contract)]
    assert statuses == [S.COMPLETED, S.CANCELLED, S.CANCELLED]  # the unfunded rest is cancelled too
    assert wallet_balances(user=contract.buyer).available == rub(30000)


def test_milestone_rules(db):
    buyer, seller = UserFactory(), SellerFactory()

    def place(price, parts):
        return services.order_place_custom(
            buyer=buyer, seller=seller, title="Big job", description="", price=rub(price), delivery_days=10,
            revisions=1, source="Offer", milestones=[MilestoneData(t, rub(a), d) for t, a, d in parts],
        )  # fmt: skip

    with pytest.raises(OrderError, match="from 30000"):
        place(20000, [("A", 10000, 5), ("B", 10000, 5)])
    with pytest.raises(OrderError, match="add up"):
        place(40000, [("A", 10000, 5), ("B", 10000, 5)])
    with pytest.raises(OrderError, match="2 to 5"):
        place(60000, [("A", 10000, 5)] * 6)
    with pytest.raises(OrderError, match="title"):
        place(40000, [("", 20000, 5), ("B", 20000, 5)])
    assert not Order.objects.exists()
