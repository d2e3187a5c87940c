"""The Redis cache backend, and the raw Redis client for counters.

Django's `RedisCache` builds a new `redis.Redis` client around its connection pool on every
call (a `get` cost 183 µs here instead of 103 µs); this one keeps one client per pool for
the life of the process. The pool, and so the connections, were already kept.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


@functools.cache
def _client_for(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def redis_client():
    """A client for `REDIS_URL` (the cache's database), or None when the site runs without Redis."""
    url = getattr(settings, "REDIS_URL", None)
    return _client_for(url) if url else None
