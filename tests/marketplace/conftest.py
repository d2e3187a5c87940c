"""The world of the two-viewer tests (test_caching.py) and the fuzz tests (test_fuzz.py): a
person with private data of every kind, a second person, a seller and a client."""

from dataclasses import dataclass

import pytest

from accounts.services import PortfolioData, portfolio_item_save
from buyer_requests.models import BuyerRequest
from gigs.models import Favorite
from messaging import services as messaging
from messaging.models import Conversation
from tests.buyer_requests.conftest import active
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow

SECRET_REQUEST = "Zephyrcorp secret rebrand"
SECRET_MESSAGE = "qx7 private note for Alice"


@dataclass
class World:
    alice: object
    bob: object
    sergey: object
    carol: object
    gig: object
    alice_gig: object
    alice_order: object
    alice_request: BuyerRequest
    bob_request: BuyerRequest
    carol_request: BuyerRequest
    alice_conversation: Conversation
    alice_work: object


@pytest.fixture
def world(db):
    sergey = SellerFactory(username="sergey")
    gig = GigFactory(seller=sergey, title="I will draw a flat logo", with_image=True)
    alice = SellerFactory(username="alicepriv", email="alice.private@example.com")
    alice_gig = GigFactory(seller=alice, title="I will write a poem", category=gig.category)
    carol = UserFactory(username="carol")
    bob = UserFactory(username="bob")
    category = gig.category
    alice_request = active(alice, category, title=SECRET_REQUEST, visibility=BuyerRequest.Visibility.INVITED)
    bob_request = active(bob, category, title="Bob needs a banner for a shop")
    carol_request = active(carol, category, title="Carol needs a menu design")
    alice_order = flow.delivered(gig, alice)  # waits for Alice: her "Orders" counter
    flow.in_progress(alice_gig, carol)  # Alice's sale: her "Sales" counter
    message = messaging.message_send(sender=sergey, recipient=alice, body=SECRET_MESSAGE)
    Favorite.objects.create(user=alice, gig=gig)
    # Portfolio works on the gig page (Sergey's, in its cached fragment) and Alice's own.
    from tests.images import image_bytes, upload

    for owner, linked, title in ((sergey, gig, "Logo for a bakery"), (alice, alice_gig, "A sonnet for a wedding")):
        work = portfolio_item_save(
            owner=owner, data=PortfolioData(title=title, description="", category_id=category.pk, gig_id=linked.pk),
            new_images=[upload(image_bytes("PNG"))],
        )  # fmt: skip
    return World(alice, bob, sergey, carol, gig, alice_gig, alice_order, alice_request, bob_request,
                 carol_request, message.conversation, work)  # fmt: skip
