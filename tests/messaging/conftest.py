import pytest
from django.utils import translation

from messaging import services
from tests.factories import GigFactory, SellerFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    # Services called directly read English (the people in these tests chose English).
    with translation.override("en"):
        yield


@pytest.fixture
def seller(db):
    return SellerFactory(username="anna")


@pytest.fixture
def buyer(db):
    return UserFactory(username="ivan")


@pytest.fixture
def stranger(db):
    return UserFactory(username="mallory")


@pytest.fixture
def gig(seller):
    return GigFactory(seller=seller, title="I will draw a flat logo")


@pytest.fixture
def conversation(buyer, seller):
    """A direct conversation: the buyer wrote once, the seller answered."""
    services.message_send(sender=buyer, recipient=seller, body="Hello! Can you draw a logo?")
    message = services.message_send(sender=seller, recipient=buyer, body="Yes, of course.")
    return message.conversation


def send(sender, body="Hi", **kwargs):
    if not any(k in kwargs for k in ("conversation_id", "recipient", "order_id")):
        raise TypeError("say where to send")
    return services.message_send(sender=sender, body=body, **kwargs)
