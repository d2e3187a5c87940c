"""Tests of the YooKassa fake itself, over real HTTP with `requests` (no database)."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from .yookassa import FakeYooKassa

SHOP = ("100500", "test_shop_secret")
AGENT = ("500100", "test_payout_secret")
RETURN_URL = "https://shop.example/orders/1/paid"


class Receiver:
    """The shop's notification endpoint: records each JSON body, answers with the next queued status (200)."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies.append(json.loads(body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/yookassa/notify"

    def events(self):
        return [(b["event"], b["object"]["status"]) for b in self.bodies]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def fake(receiver):
    with FakeYooKassa(notify_url=receiver.url) as f:
        yield f


def item(value="100.00", quantity="1.00"):
    return {
        "description": "Логотип",
        "quantity": quantity,
        "amount": {"value": value, "currency": "RUB"},
        "vat_code": 1,
        "payment_subject": "service",
        "payment_mode": "full_payment",
    }


def payment_body(value="100.00", capture=False, **extra):
    body = {
        "amount": {"value": value, "currency": "RUB"},
        "capture": capture,
        "confirmation": {"type": "redirect", "return_url": RETURN_URL},
        "description": "Заказ №1",
        "metadata": {"order_id": "1"},
        "receipt": {"customer": {"email": "buyer@example.com"}, "items": [item(value)]},
    }
    body.update(extra)
    return body


def post(fake, path, body, key=None, auth=SHOP, **kw):
    headers = {"Idempotence-Key": key or str(uuid.uuid4())} if key != "" else {}
    return requests.post(f"{fake.url}/v3{path}", json=body, auth=auth, headers=headers, timeout=5, **kw)


def get(fake, path, auth=SHOP):
    return requests.get(f"{fake.url}/v3{path}", auth=auth, timeout=5)


def succeeded_payment(fake, value="100.00"):
    payment = post(fake, "/payments", payment_body(value, capture=True)).json()
    fake.pay(payment["id"])
    return payment["id"]


def test_create_payment_shape(fake):
    r = post(fake, "/payments", payment_body())
    assert r.status_code == 200
    p = r.json()
    assert p["status"] == "pending" and p["paid"] is False and p["test"] is True
    assert p["amount"] == {"value": "100.00", "currency": "RUB"}
    assert p["refunded_amount"] == {"value": "0.00", "currency": "RUB"}
    assert p["recipient"] == {"account_id": "100500", "gateway_id": "1000001"}
    assert p["confirmation"]["confirmation_url"] == f"{fake.url}/checkout/{p['id']}"
    assert p["created_at"].endswith("Z") and len(p["created_at"]) == 24
    assert p["metadata"] == {"order_id": "1"}
    assert get(fake, f"/payments/{p['id']}").json() == p
    assert fake.receipts == [(p["id"], payment_body()["receipt"])]


def test_idempotent_replay_returns_the_first_response(fake):
    first = post(fake, "/payments", payment_body(), key="k1")
    again = post(fake, "/payments", payment_body(), key="k1")
    assert again.status_code == 200 and again.content == first.content
    assert fake.created_count("payment") == 1 and len(fake.payments) == 1


def test_same_key_different_body_is_rejected(fake):
    post(fake, "/payments", payment_body(), key="k1")
    r = post(fake, "/payments", payment_body("200.00"), key="k1")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_request" and r.json()["description"] == "Idempotence key duplicated"
    assert fake.created_count("payment") == 1


def test_keys_are_scoped_per_account(fake):
    post(fake, "/payments", payment_body(), key="shared")
    dest = {"type": "yoo_money", "account_number": "41001234567890"}
    r = post(
        fake,
        "/payouts",
        {"amount": {"value": "10.00", "currency": "RUB"}, "payout_destination_data": dest},
        key="shared",
        auth=AGENT,
    )
    assert r.status_code == 200 and fake.created_count("payout") == 1


def test_missing_or_long_idempotence_key(fake):
    r = post(fake, "/payments", payment_body(), key="")
    assert r.status_code == 400 and r.json()["parameter"] == "Idempotence-Key"
    r = post(fake, "/payments", payment_body(), key="x" * 65)
    assert r.status_code == 400 and r.json()["parameter"] == "Idempotence-Key"
    assert fake.created_count("payment") == 0


def test_bad_credentials(fake):
    r = post(fake, "/payments", payment_body(), auth=("100500", "wrong"))
    assert r.status_code == 401
    body = r.json()
    assert body["type"] == "error" and body["code"] == "invalid_credentials" and body["parameter"] == "Authorization"
    assert uuid.UUID(body["id"])
    # The shop's key does not open the payout agent's API, and the other way round.
    assert get(fake, "/payouts/po-x", auth=SHOP).status_code == 401
    assert get(fake, "/sbp_banks", auth=SHOP).status_code == 401
    assert get(fake, "/payments/x", auth=AGENT).status_code == 401
    assert requests.get(f"{fake.url}/v3/payments/x", timeout=5).status_code == 401
    assert fake.created_count("payment") == 0


def test_unknown_ids_and_bad_json(fake):
    r = get(fake, "/payments/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = requests.post(
        f"{fake.url}/v3/payments", data=b"{not json", auth=SHOP, headers={"Idempotence-Key": "j"}, timeout=5
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_request"
    r = post(fake, "/payments", payment_body(confirmation={"type": "redirect"}))
    assert r.status_code == 400 and r.json()["parameter"] == "confirmation.return_url"
    r = post(fake, "/payments", payment_body(value="10.001"))
    assert r.status_code == 400 and r.json()["parameter"] == "amount.value"


def test_429_with_retry_after_then_the_retry_succeeds(fake):
    fake.fail_next("POST", "/v3/payments", 429, retry_after=3)
    r = post(fake, "/payments", payment_body(), key="k")
    assert r.status_code == 429 and r.headers["Retry-After"] == "3"
    assert r.json()["code"] == "too_many_requests" and fake.created_count("payment") == 0
    r = post(fake, "/payments", payment_body(), key="k")
    assert r.status_code == 200 and fake.created_count("payment") == 1
    assert [e["status"] for e in fake.requests_log] == [429, 200]
    assert fake.requests_log[0] == {
        "method": "POST",
        "path": "/v3/payments",
        "idempotence_key": "k",
        "status": 429,
        "account": "shop",
    }


def test_500_after_processing_then_the_retry_gets_the_stored_result(fake):
    fake.fail_next("POST", "/v3/payments", 500, after_processing=True)
    r = post(fake, "/payments", payment_body(), key="k")
    assert r.status_code == 500 and r.json()["code"] == "internal_server_error"
    assert fake.created_count("payment") == 1  # it did happen
    r = post(fake, "/payments", payment_body(), key="k")
    assert r.status_code == 200 and r.json()["id"] == next(iter(fake.payments))
    assert fake.created_count("payment") == 1


def test_concurrent_requests_with_one_key_create_one_payment(fake):
    results = []

    def call():
        results.append(post(fake, "/payments", payment_body(), key="same").content)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and fake.created_count("payment") == 1


def test_checkout_page_and_redirect(fake, receiver):
    p = post(fake, "/payments", payment_body("150.00", description="Логотип <b>")).json()
    page = requests.get(p["confirmation"]["confirmation_url"], timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    text = page.text
    assert '<html lang="ru">' in text and "<title>" in text and "150.00" in text and "Логотип &lt;b&gt;" in text
    assert '<form method="post">' in text
    assert '<button id="pay" name="outcome" value="succeed">Оплатить</button>' in text
    assert '<button id="decline" name="outcome" value="decline">Отклонить</button>' in text
    r = requests.post(
        p["confirmation"]["confirmation_url"], data={"outcome": "succeed"}, allow_redirects=False, timeout=5
    )
    assert r.status_code == 302 and r.headers["Location"] == RETURN_URL
    assert fake.payments[p["id"]]["status"] == "waiting_for_capture"
    # Paying again just redirects.
    r = requests.post(
        p["confirmation"]["confirmation_url"], data={"outcome": "decline"}, allow_redirects=False, timeout=5
    )
    assert r.status_code == 302 and fake.payments[p["id"]]["status"] == "waiting_for_capture"
    assert requests.get(f"{fake.url}/checkout/nope", timeout=5).status_code == 404
    fake.wait_notifications(1)
    assert receiver.events() == [("payment.waiting_for_capture", "waiting_for_capture")]


def test_pay_capture_succeeded_with_notifications(fake, receiver):
    p = post(fake, "/payments", payment_body()).json()
    r = post(fake, f"/payments/{p['id']}/capture", {})
    assert r.status_code == 400  # still pending
    held = fake.pay(p["id"])
    assert held["status"] == "waiting_for_capture" and held["paid"] is True
    r = post(fake, f"/payments/{p['id']}/capture", {"amount": {"value": "100.00", "currency": "RUB"}})
    captured = r.json()
    assert r.status_code == 200 and captured["status"] == "succeeded" and captured["refundable"] is True
    assert captured["captured_at"] and captured["payment_method"]["card"]["last4"] == "4477"
    again = post(fake, f"/payments/{p['id']}/capture", {})
    assert again.status_code == 200 and again.json() == captured
    assert post(fake, f"/payments/{p['id']}/cancel", {}).status_code == 400
    fake.wait_notifications(2)
    assert receiver.events() == [
        ("payment.waiting_for_capture", "waiting_for_capture"),
        ("payment.succeeded", "succeeded"),
    ]
    assert receiver.bodies[1] == {"type": "notification", "event": "payment.succeeded", "object": captured}
    assert [e["status_code"] for e in fake.notifications_log] == [200, 200]


def test_cancel_decline_expire(fake, receiver):
    held = post(fake, "/payments", payment_body()).json()
    fake.pay(held["id"])
    r = post(fake, f"/payments/{held['id']}/cancel", {})
    assert r.json()["cancellation_details"] == {"party": "merchant", "reason": "canceled_by_merchant"}
    assert post(fake, f"/payments/{held['id']}/cancel", {}).json()["status"] == "canceled"
    declined = post(fake, "/payments", payment_body()).json()
    fake.pay(declined["id"], "decline")
    assert fake.payments[declined["id"]]["cancellation_details"]["reason"] == "insufficient_funds"
    expired = post(fake, "/payments", payment_body()).json()
    assert fake.expire(expired["id"])["cancellation_details"]["reason"] == "expired_on_confirmation"
    fake.wait_notifications(4)
    assert [e for e, _ in receiver.events()].count("payment.canceled") == 3


def test_receipt_validation(fake):
    body = payment_body()
    del body["receipt"]
    r = post(fake, "/payments", body)
    assert r.status_code == 400 and r.json()["parameter"] == "receipt"
    mismatch = payment_body(receipt={"customer": {"phone": "79001234567"}, "items": [item("60.00", 1), item("30.00")]})
    r = post(fake, "/payments", mismatch)
    assert r.status_code == 400 and r.json()["parameter"] == "receipt"
    by_quantity = payment_body(receipt={"customer": {"phone": "79001234567"}, "items": [item("50.00", 2)]})
    assert post(fake, "/payments", by_quantity).status_code == 200
    bad_vat = payment_body()
    bad_vat["receipt"]["items"][0]["vat_code"] = 13
    r = post(fake, "/payments", bad_vat)
    assert r.status_code == 400 and r.json()["parameter"] == "receipt.items[0].vat_code"
    assert fake.created_count("payment") == 1 and len(fake.receipts) == 1


def test_receipt_optional_when_not_required():
    with FakeYooKassa(require_receipt=False) as f:
        body = payment_body()
        del body["receipt"]
        assert post(f, "/payments", body).status_code == 200 and f.receipts == []


def test_refunds(fake, receiver):
    pid = succeeded_payment(fake)
    r = post(fake, "/refunds", {"payment_id": pid, "amount": {"value": "40.00", "currency": "RUB"}})
    assert r.status_code == 400 and r.json()["parameter"] == "receipt"  # the payment had a receipt
    receipt = {"customer": {"email": "buyer@example.com"}, "items": [item("40.00")]}
    r = post(fake, "/refunds", {"payment_id": pid, "amount": {"value": "40.00", "currency": "RUB"}, "receipt": receipt})
    refund = r.json()
    assert r.status_code == 200 and refund["status"] == "succeeded" and refund["payment_id"] == pid
    assert get(fake, f"/refunds/{refund['id']}").json() == refund
    assert fake.payments[pid]["refunded_amount"]["value"] == "40.00"
    receipt["items"] = [item("60.01")]
    over = {"payment_id": pid, "amount": {"value": "60.01", "currency": "RUB"}, "receipt": receipt}
    r = post(fake, "/refunds", over)
    assert r.status_code == 400 and r.json()["parameter"] == "amount"
    pending = post(fake, "/payments", payment_body()).json()
    r = post(fake, "/refunds", {"payment_id": pending["id"], "amount": {"value": "1.00", "currency": "RUB"}})
    assert r.status_code == 400 and r.json()["parameter"] == "payment_id"
    assert fake.created_count("refund") == 1
    fake.wait_notifications(2)
    assert receiver.events()[-1] == ("refund.succeeded", "succeeded")


def test_pending_refund_canceled_sends_no_notification(fake, receiver):
    fake.require_receipt = False
    pid = succeeded_payment(fake)
    fake.wait_notifications(1)
    fake.refund_mode = "pending"
    amount = {"value": "100.00", "currency": "RUB"}
    refund = post(fake, "/refunds", {"payment_id": pid, "amount": amount}).json()
    assert refund["status"] == "pending"
    assert post(fake, "/refunds", {"payment_id": pid, "amount": amount}).status_code == 400  # reserved
    canceled = fake.complete_refund(refund["id"], succeed=False)
    assert canceled["cancellation_details"] == {"party": "yoo_money", "reason": "rejected_by_payee"}
    assert fake.payments[pid]["refunded_amount"]["value"] == "0.00"
    second = post(fake, "/refunds", {"payment_id": pid, "amount": amount}).json()
    fake.complete_refund(second["id"])
    fake.wait_notifications(2)
    assert receiver.events() == [("payment.succeeded", "succeeded"), ("refund.succeeded", "succeeded")]
    assert fake.payments[pid]["refunded_amount"]["value"] == "100.00"


def payout(fake, dest, value="500.00", key=None):
    body = {"amount": {"value": value, "currency": "RUB"}, "payout_destination_data": dest, "description": "Выплата"}
    return post(fake, "/payouts", body, key=key, auth=AGENT)


CARD = {"type": "bank_card", "card": {"number": "4111111111111111"}}


def test_payouts(fake, receiver):
    r = payout(fake, CARD)
    po = r.json()
    assert r.status_code == 200 and po["id"].startswith("po-") and po["status"] == "pending"
    assert po["payout_destination"] == {
        "type": "bank_card",
        "card": {"first6": "411111", "last4": "1111", "card_type": "Visa", "issuer_country": "RU"},
    }
    done = fake.complete_payout(po["id"])
    assert done["status"] == "succeeded" and done["succeeded_at"]
    assert get(fake, f"/payouts/{po['id']}", auth=AGENT).json() == done
    rejected = fake.complete_payout(payout(fake, CARD).json()["id"], succeed=False)
    assert rejected["cancellation_details"] == {"party": "payment_network", "reason": "rejected_by_payee"}
    fake.payout_mode = "instant"
    sbp = payout(fake, {"type": "sbp", "phone": "79001234567", "bank_id": "100000000004"}).json()
    assert sbp["status"] == "succeeded" and sbp["payout_destination"]["recipient_checked"] is False
    fake.cancel_destinations.add("41001234567890")
    wallet = payout(fake, {"type": "yoo_money", "account_number": "41001234567890"}).json()
    assert wallet["status"] == "canceled"
    fake.wait_notifications(4)
    assert receiver.events() == [
        ("payout.succeeded", "succeeded"),
        ("payout.canceled", "canceled"),
        ("payout.succeeded", "succeeded"),
        ("payout.canceled", "canceled"),
    ]


@pytest.mark.parametrize(
    "dest",
    [
        {"type": "bank_card", "card": {"number": "4111111111111112"}},  # Luhn
        {"type": "bank_card", "card": {"number": "411111111111"}},
        {"type": "yoo_money", "account_number": "4100"},
        {"type": "sbp", "phone": "79001234567", "bank_id": "999"},
        {"type": "cash"},
    ],
)
def test_invalid_payout_destination(fake, dest):
    r = payout(fake, dest)
    assert r.status_code == 400 and r.json()["parameter"] == "payout_destination_data"
    assert fake.created_count("payout") == 0


def test_sbp_banks(fake):
    r = get(fake, "/sbp_banks", auth=AGENT)
    assert r.status_code == 200 and r.json()["type"] == "list"
    assert {"bank_id": "100000000111", "name": "Сбербанк", "bic": "044525225"} in r.json()["items"]


def test_hold_and_release_reversed_twice(fake, receiver):
    fake.hold_notifications = True
    p = post(fake, "/payments", payment_body()).json()
    fake.pay(p["id"])
    post(fake, f"/payments/{p['id']}/capture", {})
    assert len(fake.pending_notifications) == 2 and receiver.bodies == []
    assert fake.release(order="reversed", twice=True) == [200, 200, 200, 200]
    assert receiver.events() == [
        ("payment.succeeded", "succeeded"),
        ("payment.succeeded", "succeeded"),
        ("payment.waiting_for_capture", "waiting_for_capture"),
        ("payment.waiting_for_capture", "waiting_for_capture"),
    ]
    assert fake.pending_notifications == []


def test_replay_sends_no_second_notification(fake, receiver):
    fake.hold_notifications = True
    p = post(fake, "/payments", payment_body()).json()
    fake.pay(p["id"])
    post(fake, f"/payments/{p['id']}/capture", {}, key="cap")
    post(fake, f"/payments/{p['id']}/capture", {}, key="cap")
    assert [n["event"] for n in fake.pending_notifications] == ["payment.waiting_for_capture", "payment.succeeded"]


def test_redeliver_failed_and_forged(fake, receiver):
    receiver.statuses = [500]
    p = post(fake, "/payments", payment_body(capture=True)).json()
    fake.pay(p["id"])
    fake.wait_notifications(1)
    assert fake.notifications_log[0]["status_code"] == 500
    assert fake.redeliver_failed() == [200]
    assert fake.redeliver_failed() == []
    forged = dict(fake.payments[p["id"]], id="not-a-real-id")
    assert fake.send("payment.succeeded", forged) == 200
    assert receiver.bodies[-1]["object"]["id"] == "not-a-real-id"


def test_no_notify_url_queues():
    with FakeYooKassa() as f:
        p = post(f, "/payments", payment_body()).json()
        f.pay(p["id"])
        assert [n["event"] for n in f.pending_notifications] == ["payment.waiting_for_capture"]
        with pytest.raises(TimeoutError):
            f.wait_notifications(1, timeout=0.1)
