"""What the YooKassa tests share: the fake provider switched on, and notifications delivered
to the real webhook view the way YooKassa posts them."""

import json

import pytest

from escrow.services import ledger_reconcile

from ..fakes.yookassa import FakeYooKassa

WEBHOOK = "/webhooks/yookassa/"
YOOKASSA_ADDRESS = "185.71.76.5"  # inside YooKassa's published 185.71.76.0/27


@pytest.fixture
def fake(settings):
    """The fake YooKassa on a free loopback port, and the settings that point at it. Its
    notifications are held: tests deliver them with `deliver`, in the order they choose."""
    with FakeYooKassa() as server:
        server.hold_notifications = True
        settings.PAYMENT_PROVIDER = "yookassa"
        settings.PAYOUT_PROVIDER = "yookassa"
        settings.YOOKASSA_API_URL = server.url + "/v3"
        settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = server.shop_id, server.secret_key
        settings.YOOKASSA_PAYOUT_AGENT_ID = server.agent_id
        settings.YOOKASSA_PAYOUT_SECRET_KEY = server.payout_secret
        settings.YOOKASSA_RETRY_BACKOFF_SECONDS = 0.01
        settings.YOOKASSA_ATTEMPTS = 3
        yield server


@pytest.fixture
def books_balance():
    """Every scenario ends with the nightly reconciliation finding nothing."""
    yield
    report = ledger_reconcile(notify=False)
    assert report.ok, report.problems


def post_notification(client, notification: dict, *, address: str = YOOKASSA_ADDRESS):
    return client.post(WEBHOOK, data=json.dumps(notification), content_type="application/json", REMOTE_ADDR=address)


def deliver(client, fake: FakeYooKassa, *, order: str = "fifo", twice: bool = False) -> list[int]:
    """Post the fake's held notifications to our webhook; the status codes it answered."""
    with fake._lock:
        queued, fake.pending_notifications = fake.pending_notifications, []
    if order == "reversed":
        queued.reverse()
    codes = []
    for notification in queued:
        for _ in range(2 if twice else 1):
            codes.append(post_notification(client, notification).status_code)
    return codes


def events_of(fake: FakeYooKassa) -> list[str]:
    with fake._lock:
        return [n["event"] for n in fake.pending_notifications]
