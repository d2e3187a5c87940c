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
    """Send a task now. Returns False (and logs) instead of raising when the broker is down."""
    try:
        task.apply_async(
            args=args,
            kwargs=kwargs,
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except Exception:
        logger.warning("Could not publish %s; a sweep will pick the work up", task.name, exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Publish `task` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(task, *args, **kwargs), robust=True)
