from decimal import Decimal

import pytest
from django.conf import settings

from buyer_requests import services
from buyer_requests.models import BuyerRequest
from tests.factories import CategoryFactory, SellerFactory, UserFactory


@pytest.fixture(autouse=True)
def _skip_without_postgres(request):
    if request.node.get_closest_marker("postgres") and not settings.USING_POSTGRES:
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises every writer")


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def client_user(db):
    return UserFactory(username="ivan")


@pytest.fixture
def freelancer(db):
    return SellerFactory(username="anna")


@pytest.fixture
def other_freelancer(db):
    return SellerFactory(username="maxim")


def request_data(category, **overrides) -> services.RequestData:
    values = {
        "title": "A logo for a coffee shop",
        "description": "We open a small coffee shop and need a simple, warm logo for cups, the sign and social media.",
        "category_id": category.pk,
        "budget_min": Decimal("3000"),
        "budget_max": Decimal("7000"),
        "desired_deadline": None,
        "visibility": BuyerRequest.Visibility.PUBLIC,
    }
    values.update(overrides)
    return services.RequestData(**values)


def offer_data(**overrides) -> services.OfferData:
    values = {
        "message": "Hello! I will make three concepts and polish the one you choose.",
        "price": Decimal("5000"),
        "delivery_days": 5,
        "revisions": 2,
        "gig_id": None,
    }
    values.update(overrides)
    return services.OfferData(**values)


def posted(client, category, **overrides) -> BuyerRequest:
    """A request on moderation."""
    return services.request_create(client=client, data=request_data(category, **overrides))


def active(client, category, **overrides) -> BuyerRequest:
    """A request that passed moderation and is on the board."""
    buyer_request = posted(client, category, **overrides)
    return services.request_approve(request_id=buyer_request.pk, actor=None)


def offered(buyer_request, freelancer, **overrides):
    return services.offer_send(request_id=buyer_request.pk, freelancer=freelancer, data=offer_data(**overrides))


@pytest.fixture
def live_request(client_user, category):
    return active(client_user, category)
