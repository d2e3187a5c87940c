"""PostgreSQL is restarted while people browse, sign in and order, and a sweep runs: while it
is down every request gets a readable 503 page with Retry-After (never a 500, never a hang),
the site recovers by itself (gunicorn is not restarted), and no order is half-written."""

import threading
import time

from .browser import Browser
from .servers import wait_until

DOWN_SECONDS = 3
SWEEP = "orders.tasks.orders_sweep"
HEADINGS = {"ru": "Сайт ненадолго недоступен", "en": "The site is briefly unavailable"}


def _visitor_round(browser: Browser, gig_path: str) -> None:
    for path in ("/", "/catalog/", gig_path, "/en" + gig_path):
        browser.get(path)


def _buyer_round(browser: Browser, gig_id: int) -> None:
    browser.get("/orders/")
    browser.get("/wallet/")
    page = browser.get(f"/checkout/{gig_id}/")
    if page.status != 200:
        return
    placed = browser.submit(page, f"/checkout/{gig_id}/", {"package": "1", "quantity": "1"})
    if placed.status == 302 and placed.location.endswith("/pay/"):
        browser.submit(page, placed.location, {})  # pay from the wallet


def _kind(response) -> str:
    if response.method == "POST":
        return "order POST"
    return "signed-in page" if response.path in ("/orders/", "/wallet/") or "/checkout/" in response.path else "page"


def test_postgres_restarted_under_load_answers_503_then_recovers_by_itself(chaos):
    world = chaos.probe("world", buyers=2, funds=100_000)
    gig, password = world["gig"], world["password"]
    due = chaos.probe("delivered_orders", count=20, gig_id=gig["id"])
    web = next(process for process in chaos.site.processes if process.name == "gunicorn")
    booted = web.log_text().count("Booting worker")
    worker = chaos.site.worker("pg-sweeper", complete_delay=0.15)

    visitors = [chaos.browser(f"visitor{number}") for number in range(2)]
    buyers = []
    for person in world["buyers"]:
        browser = chaos.browser(person["username"])
        browser.sign_in(person["email"], password)
        buyers.append(browser)
    stop = threading.Event()

    def keep_going(round_, *args):
        while not stop.is_set():
            round_(*args)

    rounds = [(_visitor_round, b, gig["path"]) for b in visitors] + [(_buyer_round, b, gig["id"]) for b in buyers]
    threads = [threading.Thread(target=keep_going, args=args, daemon=True) for args in rounds]
    for thread in threads:
        thread.start()
    time.sleep(2)
    chaos.probe("publish", task=SWEEP)
    wait_until(lambda: len(chaos.site.trace("pg-sweeper")) >= 3, timeout=30, what="the sweep to run")

    swept_before = sum(value == "completed" for value in chaos.probe("orders", ids=due["ids"])["status"].values())
    went_down = time.monotonic()
    chaos.postgres.stop("fast")  # sessions terminated mid-query, new connections refused
    time.sleep(DOWN_SECONDS)
    chaos.postgres.start()
    came_back = time.monotonic()

    everyone = visitors + buyers

    def recovered():
        after = [r for b in everyone for r in b.history if r.started > came_back]
        return {_kind(r) for r in after if r.status in (200, 302)} == {"page", "signed-in page", "order POST"}

    wait_until(recovered, timeout=30, interval=0.2, what="every kind of request to succeed again")
    recovery = max(
        min(r.started + r.seconds for b in everyone for r in b.history
            if r.started > came_back and r.status in (200, 302) and _kind(r) == kind)
        for kind in ("page", "signed-in page", "order POST")
    ) - came_back  # fmt: skip
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a request hung"

    responses = [r for b in everyone for r in b.history]
    unavailable = [r for r in responses if r.status == 503]
    failures = [(r.method, r.path, r.status, r.error, r.body[:200]) for r in responses
                if r.status not in (200, 302, 503)]  # fmt: skip
    assert failures == []  # never a 500, never a request without an answer
    assert {_kind(r) for r in unavailable} >= {"page", "signed-in page"}
    for response in unavailable:
        assert response.headers.get("retry-after") == "30"
        language = "en" if response.path.startswith("/en/") else "ru"
        assert HEADINGS[language] in response.body, (response.path, response.body[:300])
        assert went_down - 1 < response.started < came_back + 5
    slowest = max(r.seconds for r in responses)
    assert slowest < 5
    # The same gunicorn and the same workers: none was stuck, killed or restarted.
    assert web.alive and web.log_text().count("Booting worker") == booted
    assert "WORKER TIMEOUT" not in web.log_text()

    chaos.note("postgres-restart", f"{len(responses)} requests, {len(unavailable)} answered 503 while PostgreSQL was "
               f"down {came_back - went_down:.1f} s, 0 errors, slowest {slowest:.2f} s; every kind of request "
               f"succeeded again {recovery:.2f} s after it was back")  # fmt: skip

    # The sweep that was cut off: the next one, on the same worker (not restarted), finishes it.
    chaos.probe("publish", task=SWEEP)
    wait_until(lambda: set(chaos.probe("orders", ids=due["ids"])["status"].values()) == {"completed"},
               timeout=60, interval=0.3, what="the next sweep")  # fmt: skip
    assert worker.alive
    assert "OperationalError" in worker.log_text()  # the outage did cut the first sweep off
    chaos.note("postgres-restart", f"the sweep was cut off after {swept_before} of {len(due['ids'])}; the next one, "
               "on the same worker, completed the rest")  # fmt: skip
    state = chaos.probe("orders", ids=due["ids"])
    assert set(state["settle_journals"].values()) == {1}
    placed = chaos.probe("order_count")
    assert chaos.probe("consistency") == []  # no order half-written
    chaos.note("postgres-restart", f"orders by status after the restart: {placed}")
    chaos.note("postgres-restart", chaos.site.reconcile())
