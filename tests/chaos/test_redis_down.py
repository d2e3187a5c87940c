"""Redis goes away while people browse, sign in, pay and write to each other: the pages keep
working from the database (sessions, cache and broker fail soft, marketplace/cache.py), and
the emails for what happened meanwhile go out once Redis is back, exactly once.

Then Redis hangs instead (SIGSTOP: connections accepted, nothing answered, its data kept, as
behind a network that drops packets): a page costs at most one short timeout per process
while the breaker is open, and a session signed out meanwhile does not come back from the
copy Redis still holds once it answers again."""

import time
from collections import Counter

from marketplace.cache import BREAKER_SECONDS

from .servers import wait_until

OUTAGE_SECONDS = 16
SWEEPS = ("orders.tasks.orders_sweep", "messaging.tasks.message_emails_sweep")


def _fine(responses) -> list:
    return [(r.method, r.path, r.status, r.error, r.body[:200]) for r in responses if r.status not in (200, 302)]


def _pay_with_a_top_up(rita, gig_id: int) -> int:
    """Checkout with an empty wallet: the pay button takes a card top-up of the difference
    through the sandbox provider's hosted page, whose webhook pays the order too."""
    checkout = rita.get(f"/checkout/{gig_id}/")
    placed = rita.submit(checkout, f"/checkout/{gig_id}/", {"package": "1", "quantity": "1"})
    assert placed.status == 302 and placed.location.endswith("/pay/"), (placed.status, placed.body[:300])
    pay_path = placed.location
    order_id = int(pay_path.strip("/").split("/")[1])
    to_provider = rita.submit(rita.get(pay_path), pay_path, {})
    assert to_provider.status == 302 and "/payments/sandbox/" in to_provider.location, to_provider.status
    card_page = rita.get(to_provider.location)
    card = {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"}
    returned = rita.submit(card_page, to_provider.location, card)
    assert returned.status == 302 and returned.location.endswith("/return/"), (returned.status, returned.body[:300])
    back = rita.get(returned.location)  # the webhook came first and paid the order: back to it
    assert back.status == 302 and back.location == pay_path + "?from=card", (back.status, back.location)
    paid = rita.get(back.location)
    assert paid.status == 302 and paid.location == f"/orders/{order_id}/", (paid.status, paid.location)
    return order_id


def test_redis_down_pages_work_from_the_database_and_emails_go_out_once_it_is_back(chaos):
    world = chaos.probe("world", buyers=2)
    seller, gig, password = world["seller"], world["gig"], world["password"]
    oleg_account, rita_account = world["buyers"]
    worker = chaos.site.worker("redis-worker")

    oleg = chaos.browser("oleg")
    oleg.sign_in(oleg_account["email"], password)
    assert oleg_account["username"] in oleg.get("/orders/").body  # his session is in Redis now
    mails_before = len(chaos.emails())

    # --- Redis stopped: its data is gone -------------------------------------------------------
    chaos.redis.stop()
    stopped = time.monotonic()
    visitor, rita = chaos.browser("visitor"), chaos.browser("rita")
    for path in ("/", "/catalog/", gig["path"], "/en" + gig["path"], "/en/catalog/"):
        assert visitor.get(path).status == 200, path
    orders_page = oleg.get("/orders/")
    assert orders_page.status == 200 and oleg_account["username"] in orders_page.body  # read from the database
    rita.sign_in(rita_account["email"], password)
    assert rita_account["username"] in rita.get("/orders/").body
    order_id = _pay_with_a_top_up(rita, gig["id"])
    thread = rita.get(f"/messages/with/{seller['username']}/")
    sent = rita.submit(thread, f"/messages/with/{seller['username']}/", {"body": "Is the logo vector? I need SVG."})
    assert sent.status == 302, (sent.status, sent.body[:300])
    down = visitor.history + rita.history + oleg.history[-1:]
    assert _fine(down) == []
    assert chaos.probe("order_count", buyer_id=rita_account["id"]) == {"in_progress": 1}
    waiting = chaos.probe("waiting_emails")
    assert waiting["order_events"] >= 1 and waiting["message_batches"] >= 1
    assert len(chaos.emails()) == mails_before  # the broker was down: nothing went out yet
    # A real outage lasts: longer than the three reconnections a worker used to try before it
    # exited (Celery's default), so the worker has to wait it out. People keep browsing.
    while time.monotonic() - stopped < OUTAGE_SECONDS:
        down += [visitor.get(gig["path"]), oleg.get("/orders/")]
        time.sleep(0.2)
    assert _fine(down) == []
    slowest_down = max(r.seconds for r in down)
    assert slowest_down < 1.5  # no request waits for the dead Redis
    assert worker.alive, "the worker gave up on the broker"
    chaos.note("redis-down", f"{len(down)} requests in {time.monotonic() - stopped:.1f} s with Redis stopped (browse, "
               f"sign in, top up by card and pay, message): all answered, slowest {slowest_down:.2f} s; "
               f"waiting to be emailed: {waiting}")  # fmt: skip

    # --- Redis back (empty); the beat's next sweeps send what waited --------------------------
    chaos.redis.start()
    restarted = time.monotonic()
    assert worker.alive
    chaos.probe("time_passes", minutes=3)  # the sweeps' grace periods (probe.py: time_passes)
    for task in SWEEPS:
        chaos.probe("publish", task=task)

    def sent_about_it():
        found = [m for m in chaos.emails()[mails_before:] if m["To"] == seller["email"]]
        subjects = [m["Subject"] for m in found]
        return any(s.startswith(f"Order #{order_id}:") for s in subjects) and any("New messages" in s for s in subjects)

    wait_until(sent_about_it, timeout=60, interval=0.3, what="the emails once Redis is back")
    emailed_after = time.monotonic() - restarted
    assert chaos.probe("waiting_emails") == {"order_events": 0, "message_batches": 0}
    for task in SWEEPS:  # and the minute after: nothing is sent twice
        done = chaos.site.tasks_succeeded(worker, task)
        chaos.probe("publish", task=task)
        wait_until(lambda task=task, done=done: chaos.site.tasks_succeeded(worker, task) > done, timeout=30,
                   what=f"{task} again")  # fmt: skip
    time.sleep(1)  # an order event's own task, had one been published twice
    mails = chaos.emails()[mails_before:]
    counted = Counter((m["To"], m["Subject"]) for m in mails)
    assert counted and max(counted.values()) == 1, counted
    about_the_order = sorted(subject for (to, subject) in counted if subject.startswith(f"Order #{order_id}:"))
    chaos.note("redis-down", f"Redis back: the worker reconnected by itself; {len(mails)} emails went out "
               f"{emailed_after:.1f} s later, each once ({about_the_order}, the seller's message email)")  # fmt: skip

    # --- Redis frozen: a hung server, its data kept --------------------------------------------
    # Each web process uses Redis again once its breaker lets a call through and it has deleted
    # what it skipped meanwhile (its breaker's thread: within two BREAKER_SECONDS).
    time.sleep(max(0.0, restarted + 2 * BREAKER_SECONDS + 0.5 - time.monotonic()))
    for _ in range(2):  # both web processes
        assert oleg_account["username"] in oleg.get("/orders/").body
    session_key = oleg.cookies["sessionid"]
    assert chaos.probe("session_cached", session_key=session_key)
    chaos.redis.freeze()
    try:
        logout = oleg.get("/accounts/logout/")
        signed_out = oleg.submit(logout, "/accounts/logout/", {})
        assert signed_out.status == 302 and "sessionid" not in oleg.cookies
        frozen = [visitor.get(path) for path in ("/", "/catalog/", gig["path"], "/en" + gig["path"]) * 3]
        frozen.append(signed_out)
    finally:
        chaos.redis.thaw()
    thawed = time.monotonic()
    assert _fine(frozen) == []
    waits = sorted(r.seconds for r in frozen)
    # Each web process waits out one 0.5 s timeout, then its breaker skips Redis for 5 s.
    assert waits[-1] < 2 and sum(1 for w in waits if w > 0.4) <= 4, waits
    # The signed-out session is still in Redis: the process that could not delete it does so
    # once Redis answers (its breaker's thread, within BREAKER_SECONDS).
    wait_until(lambda: not chaos.probe("session_cached", session_key=session_key), timeout=15, interval=0.2,
               what="the signed-out session to be deleted from Redis")  # fmt: skip
    stale_for = time.monotonic() - thawed
    stale = chaos.browser("old-cookie")
    stale.cookies["sessionid"] = session_key
    answer = stale.get("/orders/")
    assert answer.status == 302 and "/accounts/login/" in answer.location  # signed out stays signed out
    chaos.note("redis-frozen", f"{len(frozen)} requests with Redis frozen, slowest {waits[-1]:.2f} s, "
               f"{sum(1 for w in waits if w > 0.4)} waited a timeout; the session signed out meanwhile was "
               f"deleted from Redis {stale_for:.1f} s after it answered again")  # fmt: skip

    assert chaos.probe("consistency") == []
    chaos.note("redis-down", chaos.site.reconcile())
