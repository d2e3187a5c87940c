"""Enqueueing Celery tasks from services.

A service publishes its follow-up work only after its transaction commits (so a worker
never sees rows that were rolled back), and a dead broker must never fail or stall the
request: the publish is retried a bounded number of times with short socket timeouts
(see CELERY_* in settings), then logged and dropped. Nothing is lost by dropping it:
the work is recorded in database rows that the beat sweeps pick up on their next run.
"""

import logging

from celery import Task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task: Task, *args, **kwargs) -> bool:
    """Send a task now. Returns False (and logs) instead of raising when the broker is down.

    A Redis broker shares the cache's breaker (marketplace/cache.py): once a publish or a cache
    call found the server down, publishes are dropped at once for a few seconds instead of each
    waiting out its retries (a second or more per request while Redis is away)."""
    breaker = _broker_breaker(task)
    if breaker is not None and not breaker.allows():
        logger.warning("Not publishing %s: its broker failed a moment ago; a sweep will pick the work up", task.name)
        return False
    try:
        task.apply_async(
            args=args,
            kwargs=kwargs,
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except Exception as error:
        if breaker is not None and isinstance(error, _broker_errors()):
            breaker.trip(error, what=f"publish {task.name}")
        logger.warning("Could not publish %s; a sweep will pick the work up", task.name, exc_info=True)
        return False
    if breaker is not None and not task.app.conf.task_always_eager:
        breaker.answered()
    return True


def _broker_breaker(task: Task):
    url = str(task.app.conf.broker_url or "")
    if not url.startswith(("redis://", "rediss://")):
        return None
    from .cache import breaker_for

    return breaker_for(url)


def _broker_errors() -> tuple[type[BaseException], ...]:
    import redis
    from kombu.exceptions import OperationalError

    return (OperationalError, redis.ConnectionError, redis.TimeoutError, OSError)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Publish `task` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(task, *args, **kwargs), robust=True)
