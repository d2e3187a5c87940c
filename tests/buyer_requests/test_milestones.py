from decimal import Decimal

import pytest

from buyer_requests import services
from escrow.selectors import escrow_balance
from orders.models import Order
from orders.services import OrderError
from tests.buyer_requests.conftest import active, offered
from tests.orders.conftest import top_up

pytestmark = pytest.mark.django_db

PLAN = [{"title": "Design", "amount": "15000", "days": 7}, {"title": "Build", "amount": "25000", "days": 14}]


def test_an_offer_split_into_milestones_becomes_milestone_orders(client_user, freelancer, category):
    buyer_request = active(client_user, category, budget_min=Decimal("30000"), budget_max=Decimal("50000"))
    offer = offered(buyer_request, freelancer, price=Decimal("40000"), milestones=PLAN)
    first = services.offer_accept(offer_id=offer.pk, client=client_user)
    assert first.milestone_number == 1 and first.milestone_count == 2 and first.total.amount == Decimal("15000")
    second = Order.objects.get(parent=first)
    assert second.total.amount == Decimal("25000") and second.payment_expires_at is None
    top_up(client_user, 15000, key="ms-first")
    from orders import services as order_services

    order_services.order_pay(order_id=first.pk, buyer=client_user)
    assert escrow_balance(order_id=first.pk).amount == Decimal("15000")
    assert escrow_balance(order_id=second.pk).amount == 0  # funded only when its turn comes


@pytest.mark.parametrize(
    ("price", "plan", "message"),
    [
        (Decimal("20000"), [{"title": "A", "amount": "10000", "days": 5}, {"title": "B", "amount": "10000", "days": 5}],
         "from 30000"),
        (Decimal("40000"), [*PLAN[:1], {"title": "B", "amount": "1000", "days": 5}], "add up"),
    ],
)  # fmt: skip
def test_bad_milestone_plans_are_refused_when_sending(client_user, freelancer, category, price, plan, message):
    buyer_request = active(client_user, category, budget_min=Decimal("10000"), budget_max=Decimal("50000"))
    with pytest.raises(OrderError, match=message):
        offered(buyer_request, freelancer, price=price, milestones=plan)
