import pytest
from django.conf import settings
from moneyed import Money

from escrow.selectors import escrow_balance
from escrow.services import ledger_reconcile, wallet_top_up
from orders.models import Order
from tests.factories import GigFactory, SellerFactory, UserFactory


def top_up(user, amount, key=None):
    return wallet_top_up(user=user, amount=Money(amount, "RUB"), key=key or f"test-topup:{user.pk}:{amount}:{id(user)}")


def assert_escrow_invariants():
    """DESIGN.md invariants 1-6 via the reconciliation, plus invariant 3 per order."""
    report = ledger_reconcile(notify=False)
    assert report.problems == []
    for order in Order.objects.all():
        held = escrow_balance(order_id=order.pk).amount
        if order.status in (Order.Status.COMPLETED, Order.Status.CANCELLED, Order.Status.PENDING_PAYMENT):
            assert held == 0, (order.pk, order.status, held)
        else:
            assert held == order.total.amount, (order.pk, order.status, held)


@pytest.fixture(autouse=True)
def _escrow_invariants_hold_after_each_test(db):
    # Depends on `db`, so it runs before the test's transaction is rolled back.
    yield
    assert_escrow_invariants()


@pytest.fixture(autouse=True)
def _skip_without_postgres(request):
    if request.node.get_closest_marker("postgres") and not settings.USING_POSTGRES:
        pytest.skip("needs PostgreSQL (row locks, real concurrency)")


@pytest.fixture
def gig(db):
    """A gig with two packages (1000 / 3 days / 1 revision, 2500 / 5 days / 2), an extra and two questions."""
    from gigs.models import GigExtra, GigQuestion

    gig = GigFactory(seller=SellerFactory(), packages=[(1000, 3, 1), (2500, 5, 2)])
    GigExtra.objects.create(gig=gig, title="Express", price=Money(500, "RUB"), extra_days=1)
    GigQuestion.objects.create(gig=gig, text="Company name?", kind="text", required=True, position=0)
    GigQuestion.objects.create(gig=gig, text="Style?", kind="choice", choices=["Flat", "Retro"], required=False,
                               position=1)  # fmt: skip
    return gig


@pytest.fixture
def buyer(db):
    return UserFactory()
