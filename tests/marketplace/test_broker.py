"""The broker transport's one fix (marketplace/broker.py): closing a channel whose transport
Celery already detached (its reconnect path after losing Redis mid-poll) is a connection
error Celery ignores, not kombu's AttributeError that killed the worker's consumer."""

import pytest
from django.conf import settings
from kombu import Connection
from kombu.common import ignore_errors

from marketplace.celery import app

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


def _detached_connection(transport):
    """A worker's connection at the moment Redis went away: a message taken and not yet
    acknowledged, the channel's pools dropped by the close that was cut short, and the
    transport detached by Celery's collect()."""
    connection = Connection(settings.REDIS_URL, transport=transport)
    queue = connection.SimpleQueue("broker-fix-test")
    queue.put({"task": "x"})
    queue.get(timeout=2)  # taken, not acknowledged: the close will try to give it back
    connection.default_channel._disconnect_pools()
    connection._do_close_transport()
    return connection


def test_stock_kombu_dies_on_the_detached_transport():
    connection = _detached_connection("redis")
    with pytest.raises(AttributeError, match="hostname"):
        ignore_errors(connection, connection.close)  # what Celery calls


def test_our_transport_lets_celery_ignore_it_and_reconnect():
    assert app.conf.broker_transport == "marketplace.broker:Transport"
    connection = _detached_connection(app.conf.broker_transport)
    ignore_errors(connection, connection.close)  # no error: the worker goes on to reconnect
    again = app.connection_for_read()
    try:
        again.ensure_connection(max_retries=1)
        assert again.connected
    finally:
        again.release()
