"""Running a whole transaction again when PostgreSQL gives it up as a deadlock victim.

Every path locks rows in one order (README, "Lock order"), so two services no longer wait
for each other in a cycle; what is left is the rare case the order cannot rule out (a row
someone else's statement locks implicitly, a serialisation failure). PostgreSQL then rolls
one transaction back whole: nothing of it was written, so running it again from the start
is safe for a service that is one transaction and touches nothing outside the database
before it commits. Tasks have Celery's own retries; this is for what people click.
"""

import functools
import logging
import random
import time

from django.db import OperationalError, connection
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

logger = logging.getLogger(__name__)

ATTEMPTS = 3
# SQLSTATE: deadlock_detected, serialization_failure.
RETRY_CODES = frozenset({"40P01", "40001"})


class BusyError(DomainError):
    """Still refused after the retries: the caller shows the message; nothing was saved."""

    def __init__(self):
        super().__init__(_("Too many changes to the same thing at once: nothing was saved. Please try again."))


def sqlstate(error: BaseException) -> str:
    """The SQLSTATE of a database error (psycopg2 `pgcode`, psycopg 3 `sqlstate`), or ''."""
    cause = error.__cause__ or error
    return getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None) or ""


def retry_on_conflict(func=None, *, attempts: int = ATTEMPTS):
    """Decorate a service that opens its own transaction: a deadlock or serialisation failure
    runs it again (at most `attempts` times in all, after a short random pause), then raises
    BusyError. Called inside someone else's transaction it runs once: only the outermost
    transaction can be run again, and it is the caller's to retry."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            if connection.in_atomic_block:
                return service(*args, **kwargs)
            for attempt in range(1, attempts + 1):
                try:
                    return service(*args, **kwargs)
                except OperationalError as error:
                    if sqlstate(error) not in RETRY_CODES:
                        raise
                    logger.warning("%s: %s (attempt %s of %s)", service.__qualname__, error, attempt, attempts)
                    if attempt == attempts:
                        raise BusyError() from error
                    time.sleep(random.uniform(0.01, 0.05) * attempt)
            raise AssertionError("unreachable")

        return wrapper

    return decorate(func) if func is not None else decorate
