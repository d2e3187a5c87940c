import socket
import time

import pytest
from celery import shared_task
from django.db import transaction

from marketplace.celery import app
from marketplace.jobs import enqueue_on_commit, publish

CALLS = []


@shared_task(name="tests.record_call")
def record_call(value):
    CALLS.append(value)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


def _drop_connection_pools():
    # Celery caches connections to the broker it saw first: drop them so a new URL is used.
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu keeps producer pools per connection in a global registry


@pytest.fixture
def dead_broker():
    old = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{_closed_port()}/0",
        task_always_eager=False,
        broker_transport_options={"socket_timeout": 1, "socket_connect_timeout": 1, "max_retries": 1},
    )
    _drop_connection_pools()
    yield
    app.conf.update(old)
    _drop_connection_pools()


def test_publish_returns_false_quickly_when_the_broker_is_down(dead_broker):
    started = time.monotonic()
    assert publish(record_call, 1) is False
    # A hang guard, not a benchmark: the default retry policy would block for minutes.
    assert time.monotonic() - started < 10


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_does_not_raise_when_the_broker_is_down(dead_broker):
    started = time.monotonic()
    with transaction.atomic():
        enqueue_on_commit(record_call, 2)
    assert time.monotonic() - started < 10
    assert 2 not in CALLS


@pytest.mark.django_db(transaction=True)
def test_enqueue_waits_for_commit_and_skips_on_rollback():
    CALLS.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_call, "rolled back")
        raise RuntimeError
    with transaction.atomic():
        enqueue_on_commit(record_call, "committed")
        assert CALLS == []
    assert CALLS == ["committed"]
