"""Run one function in many threads that start at the same instant."""

import threading
from dataclasses import dataclass

from django.db import connection


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_at_once(count: int, target, *, timeout: float = 60) -> list[Outcome]:
    """`target(index)` in `count` threads released together by a barrier. Each thread has
    its own database connection and closes it at the end."""
    barrier = threading.Barrier(count)
    outcomes = [Outcome() for _ in range(count)]

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index].value = target(index)
        except BaseException as exc:  # reported to the test, which asserts on it
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (a deadlock?)"
    return outcomes


class BalanceWatcher:
    """Samples one account's balance from its own connection while a race runs."""

    def __init__(self, account_id: int):
        self.account_id = account_id
        self.samples: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from escrow.models import Account

        try:
            while not self._stop.is_set():
                self.samples.append(Account.objects.values_list("balance", flat=True).get(pk=self.account_id))
                self._stop.wait(0.002)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)
