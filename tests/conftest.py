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


@pytest.fixture(autouse=True)
def _lock_order(request, settings, monkeypatch):
    """On PostgreSQL every test also checks the lock order (tests/locktrace.py; the README, "Lock order")."""
    if not settings.USING_POSTGRES or request.node.get_closest_marker("no_lock_trace"):
        yield
        return
    from .locktrace import LockTracer

    tracer = LockTracer()
    tracer.start(monkeypatch)
    yield tracer
    tracer.stop()
    if tracer.violations:
        seen = list(dict.fromkeys(str(v) for v in tracer.violations))
        pytest.fail("lock order broken (README, 'Lock order'):\n" + "\n".join(seen[:10]), pytrace=False)
