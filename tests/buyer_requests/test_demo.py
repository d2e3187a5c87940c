import pytest

from buyer_requests.demo import seed_demo_requests
from buyer_requests.models import BuyerRequest, Offer
from tests.factories import CategoryFactory, SectionFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_requests_is_idempotent():
    for section, slugs in (("design", ["logo"]), ("writing", ["copywriting"]), ("development", ["websites"])):
        parent = SectionFactory(slug=section)
        for slug in slugs:
            CategoryFactory(parent=parent, slug=slug)
    users = {name: UserFactory(username=name) for name in ("admin", "ivan_client", "kate_client")}
    users.update({name: SellerFactory(username=name) for name in ("anna_design", "dev_maxim", "olga_texts")})

    assert seed_demo_requests(users) == 3
    assert seed_demo_requests(users) == 0
    assert BuyerRequest.objects.filter(status=BuyerRequest.Status.ACTIVE).count() == 3
    assert Offer.objects.count() == 4
    assert set(Offer.objects.values_list("freelancer__username", flat=True)) == {
        "anna_design",
        "dev_maxim",
        "olga_texts",
    }
