import pytest
from django.conf import settings
from django.utils import translation

from .factories import StaffFactory

NEEDS_POSTGRES = "needs PostgreSQL (triggers, row locks, real concurrency): run with DATABASE_URL=postgres://..."


@pytest.fixture(autouse=True)
def _skip_without_postgres(request):
    if request.node.get_closest_marker("postgres") and not settings.USING_POSTGRES:
        pytest.skip(NEEDS_POSTGRES)


@pytest.fixture(autouse=True)
def _english():
    # The tests read English messages (the site's default language is Russian).
    with translation.override("en"):
        yield


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# The fake YooKassa (tests/fakes/yookassa.py) and the reconciliation after each scenario.
from .yookassa_kit import books_balance, fake  # noqa: E402, F401
