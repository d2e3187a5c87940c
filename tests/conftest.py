import pytest
from django.core.cache import cache, caches
from django.utils import translation

from .factories import PASSWORD, SellerFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    # Rate-limit counters and cached menus live in the shared cache, the header and footer in
    # the process's own: start each test clean.
    cache.clear()
    caches["local"].clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Services called directly (no request) speak English in tests; pages pick their own language.
    with translation.override("en"):
        yield
    cache.clear()
    caches["local"].clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def seller(db):
    return SellerFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client
