"""The Redis broker transport, with one fix: a worker survives losing Redis mid-poll.

kombu 5.7.0 / Celery 5.7.0: when the broker connection breaks while the worker waits in
BRPOP, Celery first collects the connection (which detaches the transport from it) and then
closes it. If the first close of the channel was cut short by the socket timeout Celery sets
(celery.utils.threads.bound_open_broker_sockets), the second close tries to give back the
unacknowledged messages, asks for a new Redis client, and kombu reads the host from the
detached transport: `AttributeError: 'NoneType' object has no attribute 'hostname'`.
Celery only ignores connection errors there, so the worker's consumer dies (our chaos run,
tests/chaos/test_redis_down.py, caught it about one run in three).

Here a channel whose transport was already detached says so with the transport's own
connection error, which Celery ignores as it should; it then reconnects as it does for any
broker outage. Nothing else changes. Used when the broker is Redis (CELERY_BROKER_TRANSPORT).
"""

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise kombu_redis.redis.exceptions.ConnectionError("the broker connection is already closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
