"""Readiness checks for /healthz/ready: the database, the cache and the broker, each with a
short timeout, each reported as "ok" or "error: <what>".

The cache fails soft (marketplace/cache.py: a read is a miss, a write is skipped), so the site
serves pages without it: a cache error is reported but does not make the process unready.
The database and the broker are required (without the broker, follow-up work waits for the
beat sweeps and beat itself cannot queue them)."""

import uuid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import connection

TIMEOUT_SECONDS = 1.0
REQUIRED = ("database", "broker")


def _error(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"error: {type(error).__name__}" + (f": {text[:200]}" if text else "")


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return _error(error)
    return "ok"


def check_cache() -> str:
    """A write then a read of a fresh key: the fail-soft cache swallows errors, so a value that
    does not come back is what an unreachable cache looks like."""
    key = f"healthz:{uuid.uuid4().hex}"
    cache = caches["default"]
    try:
        cache.set(key, "1", timeout=10)
        answered = cache.get(key) == "1"
        cache.delete(key)
    except Exception as error:
        return _error(error)
    return "ok" if answered else "error: the cache does not answer"


def check_broker() -> str:
    url = str(settings.CELERY_BROKER_URL or "")
    scheme = urlsplit(url).scheme
    try:
        if scheme in ("redis", "rediss"):
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
            try:
                client.ping()
            finally:
                client.close()
        elif scheme == "filesystem":
            folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
            if not folder.is_dir():
                return f"error: no broker folder {folder}"
        else:
            from kombu import Connection

            with Connection(url, connect_timeout=TIMEOUT_SECONDS) as broker:
                broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    except Exception as error:
        return _error(error)
    return "ok"


def readiness() -> tuple[dict[str, str], bool]:
    """({"database": ..., "cache": ..., "broker": ...}, ready)."""
    results = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    return results, all(results[name] == "ok" for name in REQUIRED)
