"""The Celery worker is SIGKILLed in the middle of an auto-complete sweep: the next sweep finishes
the batch, no order is settled twice, no money is lost."""

import time
from decimal import Decimal

from .servers import wait_until

ORDERS = 24
DELAY = 0.3  # seconds each completion holds its transaction open (slow_worker.py)
SWEEP = "orders.tasks.orders_sweep"


def _completed(chaos, ids) -> list[int]:
    status = chaos.probe("orders", ids=ids)["status"]
    return [int(pk) for pk, value in status.items() if value == "completed"]


def test_a_worker_killed_mid_sweep_loses_nothing_and_settles_nothing_twice(chaos):
    seeded = chaos.probe("delivered_orders", count=ORDERS)
    ids = seeded["ids"]
    slow = chaos.site.worker("slow", complete_delay=DELAY)
    chaos.probe("publish", task=SWEEP)  # as beat does every minute

    def mid_transaction():
        # A few orders completed, and the worker just inside the next one's transaction: it
        # wrote "completing" before settling, and commits DELAY later.
        done = _completed(chaos, ids)
        begun = chaos.site.trace("slow")
        if len(done) < 3 or not begun:
            return None
        order_id, at = begun[-1]
        return order_id not in done and time.monotonic() - at < DELAY / 2 and order_id

    open_order = wait_until(mid_transaction, timeout=60, interval=0.01, what="the sweep to be mid-batch")
    slow.kill()
    assert chaos.site.trace("slow")[-1][0] == open_order
    at_kill = _completed(chaos, ids)
    assert 0 < len(at_kill) < ORDERS
    assert open_order not in at_kill  # its transaction died with the worker: nothing of it stayed
    state = chaos.probe("orders", ids=ids)
    assert state["escrow"][str(open_order)] != "0.00"  # the money is still held in its escrow
    assert chaos.probe("consistency") == []  # and nothing is half-written
    chaos.note("worker-killed", f"SIGKILL with {len(at_kill)} of {ORDERS} completed, #{open_order} mid-transaction")

    worker = chaos.site.worker("after-kill")
    chaos.probe("publish", task=SWEEP)  # the next minute's sweep
    wait_until(lambda: len(_completed(chaos, ids)) == ORDERS, timeout=60, interval=0.2, what="the next sweep")
    wait_until(lambda: chaos.site.tasks_succeeded(worker, SWEEP) >= 1, timeout=30, what="the sweep to end")

    state = chaos.probe("orders", ids=ids)
    assert set(state["status"].values()) == {"completed"}
    assert set(state["settle_journals"].values()) == {1}  # settled exactly once each
    assert set(state["auto_completed_events"].values()) == {1}
    assert set(state["escrow"].values()) == {"0.00"}
    seller_wallet = Decimal(chaos.probe("wallet", user_id=seeded["seller_id"]))
    assert seller_wallet == Decimal(seeded["seller_wallet_before"]) + Decimal(seeded["payout"])
    assert chaos.probe("consistency") == []
    chaos.note("worker-killed", f"next sweep completed the other {ORDERS - len(at_kill)}; seller got {seller_wallet}")
    chaos.note("worker-killed", chaos.site.reconcile())
