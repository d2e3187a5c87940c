"""The shared cache fails soft (marketplace/cache.py): a Redis that is down or frozen costs
the site speed, never a page, and what was forgotten during the outage stays forgotten."""

import socket
import time

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import Client

from marketplace import cache as shared
from marketplace import fragments
from tests.factories import GigFactory, UserFactory

with_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs a Redis that answers: set REDIS_URL")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_breakers():
    for breaker in shared._breakers.values():
        with breaker._lock:
            breaker._open_until = 0.0
            breaker._down = False
            breaker._forget.clear()
            breaker._forget_everything = None


@pytest.fixture(autouse=True)
def _breakers_closed():
    _reset_breakers()
    yield
    _reset_breakers()  # before the suite's own cache.clear() at teardown


def _cache_at(url: str) -> shared.RedisCache:
    timeouts = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return shared.RedisCache(url, {"KEY_PREFIX": "t", "OPTIONS": timeouts})


@pytest.fixture
def dead_redis_url():
    return f"redis://127.0.0.1:{_closed_port()}/0"


@pytest.fixture
def frozen_redis_url():
    """A server that accepts connections and never answers: a Redis stopped with SIGSTOP, or
    one behind a network that drops packets."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


def test_a_dead_redis_is_an_empty_cache_that_forgets_at_once(dead_redis_url, caplog):
    dead = _cache_at(dead_redis_url)
    assert dead.get("k") is None
    assert dead.get("k", "fallback") == "fallback"
    assert dead.get_many(["a", "b"]) == {}
    assert dead.add("lock", 1) is True  # a lock is taken, so allauth's rate limits let people in
    assert dead.set("k", "v") is None
    assert dead.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert dead.delete("k") is False
    assert dead.delete_many(["a"]) is None
    assert dead.has_key("k") is False
    assert dead.touch("k") is False
    with pytest.raises(ValueError):
        dead.incr("counter")  # as for a key that is not there: callers handle that already
    assert dead.get_or_set("k", lambda: "computed") == "computed"
    assert any("the cache is skipped" in record.getMessage() for record in caplog.records)


def test_a_frozen_redis_costs_one_timeout_not_one_per_call(frozen_redis_url):
    frozen = _cache_at(frozen_redis_url)
    started = time.monotonic()
    for number in range(20):
        assert frozen.get(f"k{number}") is None
        frozen.set(f"k{number}", number)
    # 40 calls; without the breaker each would wait its 0.5 s timeout (20 s in all).
    assert time.monotonic() - started < 2


def test_the_raw_client_steps_aside_while_the_breaker_is_open(frozen_redis_url, settings):
    settings.REDIS_URL = frozen_redis_url
    client = shared.redis_client()
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - the redis error the caller catches today
        client.hincrby("views", "1", 1)
    assert time.monotonic() - started < 1.5  # one timeout, no retries
    assert shared.redis_client() is None  # the gig page then counts its view in the row


@pytest.mark.django_db
def test_the_site_works_from_the_database_with_redis_down(dead_redis_url, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "marketplace.cache.RedisCache",
            "LOCATION": dead_redis_url,
            "KEY_PREFIX": "mp",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "local": {"BACKEND": "marketplace.cache.LocalCache", "LOCATION": "test-local-down"},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.REDIS_URL = dead_redis_url  # the view counter's Redis too
    gig = GigFactory(with_image=True)
    visitor = Client()
    for _ in range(2):
        response = visitor.get(f"/en/gig/{gig.pk}/{gig.slug}/")
        assert response.status_code == 200
        assert gig.title in response.content.decode()
    assert visitor.get("/en/catalog/").status_code == 200
    buyer = Client()
    buyer.force_login(UserFactory(username="oleg"))  # the session is written to the database only
    page = buyer.get("/en/orders/")
    assert page.status_code == 200 and "oleg" in page.content.decode()
    # Nothing was kept in the process's own cache under generations nobody could read.
    assert caches["local"]._cache == {}
    gig.refresh_from_db()
    assert gig.views_count == 2  # counted in the row, as without Redis


def test_a_generation_that_cannot_be_read_is_new_every_time(dead_redis_url, settings):
    settings.CACHES = {
        "default": {"BACKEND": "marketplace.cache.RedisCache", "LOCATION": dead_redis_url, "KEY_PREFIX": "mp"},
        "local": {"BACKEND": "marketplace.cache.LocalCache", "LOCATION": "test-local-gen"},
    }
    first = fragments.generation(fragments.CATEGORIES)
    second = fragments.generation(fragments.CATEGORIES)
    assert first != second  # so no fragment kept before the outage can be served as fresh
    assert shared.shared_cache_down()
    caches["local"].set("fragment", "html")
    assert caches["local"].get("fragment") is None


@with_redis
def test_what_was_deleted_during_an_outage_is_deleted_when_redis_answers(monkeypatch):
    raw = shared._client_for(settings.REDIS_URL)
    cache.set("signed-out-session", "old data")
    cache.set("generation", 41)
    breaker = shared.breaker_for(settings.REDIS_URL)
    monkeypatch.setattr(shared, "BREAKER_SECONDS", 0.2)
    breaker.trip(ConnectionError("cut off"), what="test")  # Redis cut off, its data kept
    cache.delete("signed-out-session")  # skipped: remembered
    cache.set("generation", 42)  # skipped: remembered
    assert raw.get(cache.make_key("signed-out-session")) is not None  # still there, stale
    time.sleep(0.3)
    assert cache.get("anything") is None  # the first call that reaches Redis...
    assert raw.get(cache.make_key("signed-out-session")) is None  # ...deletes what was forgotten
    assert cache.get("generation") is None  # a miss: never the stale 41


@with_redis
def test_an_idle_process_forgets_as_well(monkeypatch):
    raw = shared._client_for(settings.REDIS_URL)
    cache.set("signed-out-session", "old data")
    monkeypatch.setattr(shared, "BREAKER_SECONDS", 0.2)
    shared.breaker_for(settings.REDIS_URL).trip(ConnectionError("cut off"), what="test")
    cache.delete("signed-out-session")
    deadline = time.monotonic() + 5
    while raw.get(cache.make_key("signed-out-session")) is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # no cache call here: the breaker's own thread deletes it
    assert raw.get(cache.make_key("signed-out-session")) is None


@with_redis
def test_too_many_forgotten_keys_clear_the_cache_but_not_the_broker(monkeypatch):
    raw = shared._client_for(settings.REDIS_URL)
    raw.lpush("celery", "a queued task")
    cache.set("kept-stale", 1)
    monkeypatch.setattr(shared, "BREAKER_SECONDS", 0.2)
    monkeypatch.setattr(shared, "MAX_REMEMBERED_KEYS", 3)
    shared.breaker_for(settings.REDIS_URL).trip(ConnectionError("cut off"), what="test")
    for number in range(5):
        cache.delete(f"gone-{number}")
    time.sleep(0.3)
    cache.get("anything")
    assert raw.get(cache.make_key("kept-stale")) is None
    assert raw.lrange("celery", 0, -1) == [b"a queued task"]
    raw.delete("celery")
