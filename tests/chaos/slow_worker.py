"""A Celery worker whose order completions are slow: tests only, never production.

    python tests/chaos/slow_worker.py --loglevel=INFO --concurrency=1 ...   (celery worker's options)

Each completion (`orders.services._complete`, inside the transaction that settles the order)
writes "completing order <id> at <time.monotonic()>" to CHAOS_TRACE, then waits CHAOS_COMPLETE_DELAY seconds before
its transaction commits. A sweep batch then takes long enough for a test to SIGKILL the worker
in the middle of it, and the kill lands inside a completion's open transaction.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from orders import services  # noqa: E402

DELAY = float(os.environ["CHAOS_COMPLETE_DELAY"])
TRACE = Path(os.environ["CHAOS_TRACE"])
_complete = services._complete  # the one completion every path (accept, sweep, dispute) takes


def slow_complete(order, **kwargs):
    with TRACE.open("a") as trace:
        trace.write(f"completing order {order.pk} at {time.monotonic()}\n")  # the machine's clock, as the test's
    completed = _complete(order, **kwargs)
    time.sleep(DELAY)  # settled, not committed: a kill now must lose this completion whole
    return completed


services._complete = slow_complete

from marketplace.celery import app  # noqa: E402

app.worker_main(["worker", *sys.argv[1:]])
