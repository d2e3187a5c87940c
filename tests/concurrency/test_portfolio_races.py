"""The portfolio's cap under concurrency: five tabs adding the 30th work at once."""

import time

import pytest

from accounts import services as account_services
from accounts.models import PORTFOLIO_MAX_ITEMS, PortfolioItem, Profile
from accounts.services import PortfolioData, PortfolioError, portfolio_item_save
from tests.concurrency.threads import run_at_once
from tests.factories import CategoryFactory, SellerFactory
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_works_added_at_once_to_a_portfolio_with_one_place_left(monkeypatch):
    seller = SellerFactory()
    category = CategoryFactory()

    def add(title):
        data = PortfolioData(title=title, description="", category_id=category.pk)
        return portfolio_item_save(owner=seller, data=data, new_images=[upload(image_bytes("PNG", size=(60, 40)))])

    for number in range(PORTFOLIO_MAX_ITEMS - 1):
        add(f"Work {number}")
    locked = account_services._portfolio_lock

    def lock_and_linger(owner):
        profile = locked(owner)
        time.sleep(0.05)  # the others arrive while the first holds the owner's row
        return profile

    monkeypatch.setattr(account_services, "_portfolio_lock", lock_and_linger)
    outcomes = run_at_once(5, lambda i: add(f"Racer {i}"))

    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(o.error, PortfolioError) for o in outcomes if not o.ok)
    positions = sorted(PortfolioItem.objects.filter(owner=seller).values_list("position", flat=True))
    assert positions == list(range(PORTFOLIO_MAX_ITEMS))
    assert Profile.objects.get(user=seller).portfolio_count == PORTFOLIO_MAX_ITEMS
