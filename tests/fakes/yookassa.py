"""A local fake of the YooKassa HTTP API v3 for tests.

It speaks the real protocol over real HTTP (so the project's client is exercised as in production):
Basic auth per account (the shop for payments and refunds, the payout agent for payouts and the SBP
bank list), ``Idempotence-Key`` on every POST, the error body shape, the payment life cycle
(pending -> waiting_for_capture -> succeeded / canceled), refunds, payouts, a hosted checkout page and
notifications POSTed to the shop from a background thread. Tests drive the buyer's and the provider's
side with ``pay()``, ``expire()``, ``complete_refund()``, ``complete_payout()`` and inject faults with
``fail_next()``. Standard library only; no Django.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import queue
import re
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SBP_BANKS = [
    {"bank_id": "100000000111", "name": "Сбербанк", "bic": "044525225"},
    {"bank_id": "100000000004", "name": "Т-Банк", "bic": "044525974"},
    {"bank_id": "100000000008", "name": "Альфа-Банк", "bic": "044525593"},
]
TEST_SHOP_SECRET = "test_shop_secret"
TEST_PAYOUT_SECRET = "test_payout_secret"
CENT = Decimal("0.01")
_AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")
_FAULT_CODES = {429: "too_many_requests", 400: "invalid_request", 401: "invalid_credentials", 404: "not_found"}


class ApiError(Exception):
    """An error answered with YooKassa's body: {"type": "error", "id", "code", "description", "parameter"}."""

    def __init__(self, status: int, code: str, description: str, parameter: str | None = None):
        super().__init__(description)
        self.status, self.code, self.description, self.parameter = status, code, description, parameter

    def body(self) -> dict:
        out = {"type": "error", "id": str(uuid.uuid4()), "code": self.code, "description": self.description}
        if self.parameter:
            out["parameter"] = self.parameter
        return out


def _bad(parameter: str | None, description: str) -> ApiError:
    return ApiError(400, "invalid_request", description, parameter)


def _now() -> str:
    """Timestamps as YooKassa writes them: ISO 8601, UTC, milliseconds, "Z"."""
    return _iso(datetime.now(UTC))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _money(value: Decimal, currency: str) -> dict:
    return {"value": f"{value.quantize(CENT):.2f}", "currency": currency}


def _parse_amount(raw, parameter: str = "amount") -> tuple[Decimal, str]:
    """{"value": "100.00", "currency": "RUB"}; the value may come as a string or a number, at most 2 decimals."""
    if not isinstance(raw, dict):
        raise _bad(parameter, f"{parameter} is required and must be an object")
    value, currency = raw.get("value"), raw.get("currency")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _AMOUNT_RE.match(value) or Decimal(value) <= 0:
        raise _bad(f"{parameter}.value", "amount value must be a positive number with at most 2 decimals")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise _bad(f"{parameter}.currency", "currency must be an ISO 4217 code")
    return Decimal(value), currency


def _text(data: dict, name: str, limit: int, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise _bad(name, f"{name} must be a string of 1..{limit} characters")
    return value


def _metadata(data: dict) -> dict:
    """Real limits: up to 16 keys, names up to 32 characters, values strings up to 512."""
    meta = data.get("metadata")
    if meta is None:
        return {}
    ok = isinstance(meta, dict) and len(meta) <= 16
    ok = ok and all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())
    ok = ok and all(len(k) <= 32 and len(v) <= 512 for k, v in meta.items())
    if not ok:
        raise _bad("metadata", "metadata must be an object of up to 16 string keys and string values")
    return dict(meta)


def _luhn(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def _validate_receipt(receipt, amount: Decimal, currency: str) -> dict:
    """54-FZ receipt: a customer's email or phone and items whose amount x quantity add up to the total."""
    if not isinstance(receipt, dict):
        raise _bad("receipt", "receipt is required")
    customer = receipt.get("customer")
    if not isinstance(customer, dict) or not (customer.get("email") or customer.get("phone")):
        raise _bad("receipt.customer", "receipt.customer needs an email or a phone")
    items = receipt.get("items")
    if not isinstance(items, list) or not items or len(items) > 100:
        raise _bad("receipt.items", "receipt.items must be a list of 1..100 items")
    total = Decimal(0)
    for i, item in enumerate(items):
        where = f"receipt.items[{i}]"
        if not isinstance(item, dict):
            raise _bad(where, "an item must be an object")
        description = item.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 128:
            raise _bad(f"{where}.description", "item description must be 1..128 characters")
        quantity = item.get("quantity")
        try:
            quantity = Decimal(str(quantity)) if not isinstance(quantity, bool) else None
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            raise _bad(f"{where}.quantity", "item quantity must be a positive number")
        value, item_currency = _parse_amount(item.get("amount"), f"{where}.amount")
        if item_currency != currency:
            raise _bad(f"{where}.amount.currency", "item currency differs from the payment's")
        vat = item.get("vat_code")
        if not isinstance(vat, int) or isinstance(vat, bool) or not 1 <= vat <= 12:
            raise _bad(f"{where}.vat_code", "vat_code must be an integer 1..12")
        for name in ("payment_subject", "payment_mode"):
            if not isinstance(item.get(name), str) or not item[name]:
                raise _bad(f"{where}.{name}", f"{name} is required")
        total += value * quantity
    if total.quantize(CENT, ROUND_HALF_UP) != amount:
        raise _bad("receipt", "the sum of the receipt's items differs from the amount")
    return copy.deepcopy(receipt)


@dataclass
class _Fault:
    method: str
    path_prefix: str
    status: int
    times: int
    retry_after: int | None
    after_processing: bool


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeYooKassa/1.0"

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def log_message(self, format, *args):  # quiet: tests read requests_log instead
        pass

    def _handle(self, method: str) -> None:
        fake: FakeYooKassa = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload, answered = fake._process(method, self.path, self.headers, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()
        answered.set()  # the provider notifies the shop only after it has answered


class FakeYooKassa:
    """The fake server and its state; every state access holds ``self._lock``."""

    def __init__(
        self,
        *,
        shop_id: str = "100500",
        secret_key: str = TEST_SHOP_SECRET,
        agent_id: str = "500100",
        payout_secret: str = TEST_PAYOUT_SECRET,
        notify_url: str = "",
        require_receipt: bool = True,
    ):
        self.shop_id, self.secret_key = shop_id, secret_key
        self.agent_id, self.payout_secret = agent_id, payout_secret
        self.notify_url = notify_url
        self.require_receipt = require_receipt
        self.refund_mode = "succeeded"  # or "pending": then complete_refund()
        self.payout_mode = "pending"  # or "instant"
        self.cancel_destinations: set[str] = set()
        self.hold_notifications = False
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.payouts: dict[str, dict] = {}
        self.receipts: list[tuple[str, dict]] = []  # (payment_id, receipt)
        self.refund_receipts: list[tuple[str, dict]] = []  # (refund_id, receipt)
        self.requests_log: list[dict] = []
        self.notifications_log: list[dict] = []
        self.pending_notifications: list[dict] = []
        self._failed: list[dict] = []  # notifications never answered with 200
        self._payment_meta: dict[str, dict] = {}  # capture flag and whether a receipt was sent
        self._created = {"payment": 0, "refund": 0, "payout": 0}
        self._idempotence: dict[tuple[str, str], tuple[tuple, int, bytes]] = {}
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._delivered = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._outbox: queue.Queue = queue.Queue()  # (answered event, notifications), in causal order

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> FakeYooKassa:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-yookassa", daemon=True
        )
        self._thread.start()
        threading.Thread(target=self._sender, name="fake-yookassa-notify", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._outbox.put(None)
            self._server = self._thread = None

    def __enter__(self) -> FakeYooKassa:
        return self if self._server else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- test helpers -------------------------------------------------------------------------

    def created_count(self, kind: str) -> int:
        """Objects really created ("payment", "refund", "payout"); idempotent replays do not count."""
        with self._lock:
            return self._created[kind.rstrip("s")]

    def fail_next(self, method, path_prefix, status, *, times=1, retry_after=None, after_processing=False) -> None:
        """The next ``times`` requests whose method and path match get ``status`` (see ``_process``)."""
        with self._lock:
            self._faults.append(_Fault(method.upper(), path_prefix, status, times, retry_after, after_processing))

    def pay(self, payment_id: str, outcome: str = "succeed") -> dict:
        """The buyer confirms ("succeed") or the bank declines ("decline") a pending payment."""
        events: list = []
        with self._lock:
            payment = self.payments[payment_id]
            if payment["status"] != "pending":
                raise ValueError(f"payment {payment_id} is {payment['status']}, not pending")
            self._pay(payment, outcome, events)
            result = copy.deepcopy(payment)
            answered = self._queue(events)
        answered.set()
        return result

    def expire(self, payment_id: str) -> dict:
        """The buyer never confirmed: YooKassa cancels a pending payment as expired_on_confirmation."""
        events: list = []
        with self._lock:
            payment = self.payments[payment_id]
            if payment["status"] != "pending":
                raise ValueError(f"payment {payment_id} is {payment['status']}, not pending")
            self._cancel(payment, "yoo_money", "expired_on_confirmation", events)
            result = copy.deepcopy(payment)
            answered = self._queue(events)
        answered.set()
        return result

    def complete_refund(self, refund_id: str, succeed: bool = True) -> dict:
        """Finish a pending refund. A canceled refund is not notified: the real API has no refund.canceled."""
        events: list = []
        with self._lock:
            refund = self.refunds[refund_id]
            if refund["status"] != "pending":
                raise ValueError(f"refund {refund_id} is {refund['status']}, not pending")
            if succeed:
                self._succeed_refund(refund, events)
            else:
                self._payment_meta[refund["payment_id"]].get("reserved", {}).pop(refund_id, None)
                refund["status"] = "canceled"
                refund["cancellation_details"] = {"party": "yoo_money", "reason": "rejected_by_payee"}
            result = copy.deepcopy(refund)
            answered = self._queue(events)
        answered.set()
        return result

    def complete_payout(self, payout_id: str, succeed: bool = True) -> dict:
        """Finish a pending payout: succeeded (payout.succeeded) or canceled (payout.canceled)."""
        events: list = []
        with self._lock:
            payout = self.payouts[payout_id]
            if payout["status"] != "pending":
                raise ValueError(f"payout {payout_id} is {payout['status']}, not pending")
            self._finish_payout(payout, succeed, events)
            result = copy.deepcopy(payout)
            answered = self._queue(events)
        answered.set()
        return result

    # -- notifications ------------------------------------------------------------------------

    def send(self, event: str, obj: dict) -> int | None:
        """POST an arbitrary (possibly forged) notification now; returns the shop's status code."""
        return self._deliver({"type": "notification", "event": event, "object": copy.deepcopy(obj)})

    def release(self, order: str = "fifo", twice: bool = False) -> list[int | None]:
        """Deliver the held notifications now, in order or reversed, optionally each one twice."""
        with self._lock:
            queued, self.pending_notifications = self.pending_notifications, []
        if order == "reversed":
            queued.reverse()
        codes = []
        for notification in queued:
            for _ in range(2 if twice else 1):
                codes.append(self._deliver(notification))
        return codes

    def redeliver_failed(self) -> list[int | None]:
        """Resend notifications not yet answered with 200 (the real provider retries for 24 hours)."""
        with self._lock:
            failed = list(self._failed)
        return [self._deliver(notification) for notification in failed]

    def wait_notifications(self, n: int, timeout: float = 5) -> list[dict]:
        """Block until at least ``n`` deliveries are logged; TimeoutError otherwise."""
        with self._delivered:
            if not self._delivered.wait_for(lambda: len(self.notifications_log) >= n, timeout):
                raise TimeoutError(f"{len(self.notifications_log)} notifications delivered, expected {n}")
            return list(self.notifications_log)

    def _event(self, events: list, event: str, obj: dict) -> None:
        """Queue a notification with the object as it is at the moment of the event."""
        events.append({"type": "notification", "event": event, "object": copy.deepcopy(obj)})

    def _queue(self, events: list) -> threading.Event:
        """Called under the lock, so batches queue in the order their events happened.

        The sender posts a batch once the returned event is set (the request was answered): one
        thread, so the shop sees the events in order; ``hold_notifications`` + ``release`` reorder them.
        """
        answered = threading.Event()
        if not events:
            return answered
        if self.hold_notifications or not self.notify_url:
            self.pending_notifications.extend(events)
        else:
            self._outbox.put((answered, events))
        return answered

    def _sender(self) -> None:
        while (batch := self._outbox.get()) is not None:
            answered, events = batch
            answered.wait(timeout=5)
            for notification in events:
                self._deliver(notification)

    def _deliver(self, notification: dict) -> int | None:
        request = urllib.request.Request(  # noqa: S310 (the test's own http URL)
            self.notify_url,
            data=json.dumps(notification, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        status, error = None, None
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = str(exc)
        with self._delivered:
            obj = notification.get("object") or {}
            self.notifications_log.append(
                {"event": notification.get("event"), "object_id": obj.get("id"), "status_code": status, "error": error}
            )
            known = any(n is notification for n in self._failed)
            if status == 200 and known:
                self._failed = [n for n in self._failed if n is not notification]
            elif status != 200 and not known:
                self._failed.append(notification)
            self._delivered.notify_all()
        return status

    # -- request processing -------------------------------------------------------------------

    def _process(self, method: str, raw_path: str, headers, body: bytes):
        """Answer one request: (status, headers, payload, an event to set once it has been answered).

        Faults: one injected before processing answers at once and is not remembered under the
        idempotence key; one injected ``after_processing`` lets the operation happen (and be stored)
        but the client sees the error, as with a lost response.
        """
        path = urlsplit(raw_path).path
        with self._lock:
            account = self._account(path)
            key = headers.get("Idempotence-Key") if method == "POST" else None
            fault = self._take_fault(method, path)
            events: list = []
            if fault and not fault.after_processing:
                result = self._fault_response(fault)
            elif path.startswith("/checkout/"):
                result = self._checkout(method, path, body, events)
            elif path.startswith("/v3/") and account:
                result = self._api(method, path, headers, body, account, key, events)
            else:
                result = self._json(404, ApiError(404, "not_found", "Unknown path").body())
            if fault and fault.after_processing:
                result = self._fault_response(fault)
            self.requests_log.append(
                {"method": method, "path": path, "idempotence_key": key, "status": result[0], "account": account}
            )
            answered = self._queue(events)
        return (*result, answered)

    def _account(self, path: str) -> str | None:
        parts = path.split("/")
        if len(parts) > 2 and parts[1] == "v3":
            return {"payments": "shop", "refunds": "shop", "payouts": "agent", "sbp_banks": "agent"}.get(parts[2])
        return None

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in (method, "*") and path.startswith(fault.path_prefix) and fault.times > 0:
                fault.times -= 1
                if not fault.times:
                    self._faults.remove(fault)
                return fault
        return None

    def _fault_response(self, fault: _Fault):
        code = _FAULT_CODES.get(fault.status, "internal_server_error")
        description = "Too many requests" if fault.status == 429 else "Injected fault"
        status, headers, payload = self._json(fault.status, ApiError(fault.status, code, description).body())
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        return status, headers, payload

    @staticmethod
    def _json(status: int, obj) -> tuple[int, dict, bytes]:
        return status, {"Content-Type": "application/json"}, json.dumps(obj, ensure_ascii=False).encode()

    def _authorized(self, headers, account: str) -> bool:
        expected = (self.shop_id, self.secret_key) if account == "shop" else (self.agent_id, self.payout_secret)
        auth = headers.get("Authorization") or ""
        if not auth.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(auth[6:], validate=True).decode().partition(":")
        except ValueError:
            return False
        return (user, password) == expected

    def _api(self, method, path, headers, body, account, key, events):
        """Auth, then the idempotence key (scoped per account), then the operation itself."""
        if not self._authorized(headers, account):
            error = ApiError(401, "invalid_credentials", "Basic authentication failed", "Authorization")
            return self._json(401, error.body())
        fingerprint = None
        if method == "POST":
            if not key:
                return self._json(400, _bad("Idempotence-Key", "Idempotence-Key header is required").body())
            if len(key) > 64:
                return self._json(400, _bad("Idempotence-Key", "Idempotence-Key is longer than 64").body())
            try:
                canonical = json.dumps(json.loads(body), sort_keys=True) if body.strip() else ""
            except ValueError:
                canonical = body.decode("latin-1")
            fingerprint = (method, path, canonical)
            stored = self._idempotence.get((account, key))
            if stored:
                if stored[0] != fingerprint:
                    return self._json(400, _bad("Idempotence-Key", "Idempotence key duplicated").body())
                return stored[1], {"Content-Type": "application/json"}, stored[2]
        try:
            data = self._body(body) if method == "POST" else {}
            status, obj = 200, self._route(method, path, data, events)
        except ApiError as error:
            status, obj = error.status, error.body()
            events.clear()
        result = self._json(status, obj)
        if fingerprint and status < 500:
            self._idempotence[(account, key)] = (fingerprint, status, result[2])
        return result

    @staticmethod
    def _body(body: bytes) -> dict:
        if not body.strip():
            return {}
        try:
            data = json.loads(body)
        except ValueError:
            raise _bad(None, "The request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise _bad(None, "The request body must be a JSON object")
        return data

    def _route(self, method: str, path: str, data: dict, events: list) -> dict:
        parts = path.rstrip("/").split("/")[2:]  # after "/v3"
        match method, parts:
            case "POST", ["payments"]:
                return self._create_payment(data)
            case "GET", ["payments", pid]:
                return copy.deepcopy(self._get(self.payments, pid))
            case "POST", ["payments", pid, "capture"]:
                return self._capture(self._get(self.payments, pid), data, events)
            case "POST", ["payments", pid, "cancel"]:
                return self._cancel_by_merchant(self._get(self.payments, pid), events)
            case "POST", ["refunds"]:
                return self._create_refund(data, events)
            case "GET", ["refunds", rid]:
                return copy.deepcopy(self._get(self.refunds, rid))
            case "POST", ["payouts"]:
                return self._create_payout(data, events)
            case "GET", ["payouts", oid]:
                return copy.deepcopy(self._get(self.payouts, oid))
            case "GET", ["sbp_banks"]:
                return {"type": "list", "items": copy.deepcopy(SBP_BANKS)}
        raise ApiError(404, "not_found", f"{method} {path} is not a known endpoint")

    @staticmethod
    def _get(objects: dict, object_id: str) -> dict:
        if object_id not in objects:
            raise ApiError(404, "not_found", "Object not found")
        return objects[object_id]

    # -- payments -----------------------------------------------------------------------------

    def _create_payment(self, data: dict) -> dict:
        value, currency = _parse_amount(data.get("amount"))
        capture = data.get("capture", False)
        if not isinstance(capture, bool):
            raise _bad("capture", "capture must be a boolean")
        confirmation = data.get("confirmation")
        if not isinstance(confirmation, dict) or confirmation.get("type") != "redirect":
            raise _bad("confirmation.type", "confirmation of type redirect is required")
        return_url = confirmation.get("return_url")
        if not isinstance(return_url, str) or not return_url:
            raise _bad("confirmation.return_url", "confirmation.return_url is required")
        description = _text(data, "description", 128)
        metadata = _metadata(data)
        receipt = data.get("receipt")
        if receipt is not None or self.require_receipt:
            receipt = _validate_receipt(receipt, value, currency)
        payment_id = str(uuid.uuid4())
        payment = {
            "id": payment_id,
            "status": "pending",
            "paid": False,
            "amount": _money(value, currency),
            "description": description,
            "recipient": {"account_id": self.shop_id, "gateway_id": "1000001"},
            "created_at": _now(),
            "confirmation": {
                "type": "redirect",
                "return_url": return_url,
                "confirmation_url": f"{self.url}/checkout/{payment_id}",
            },
            "test": True,
            "refundable": False,
            "refunded_amount": _money(Decimal(0), currency),
            "metadata": metadata,
        }
        if description is None:
            del payment["description"]
        self.payments[payment_id] = payment
        self._payment_meta[payment_id] = {"capture": capture, "receipt": receipt is not None}
        if receipt is not None:
            self.receipts.append((payment_id, receipt))
        self._created["payment"] += 1
        return copy.deepcopy(payment)

    def _pay(self, payment: dict, outcome: str, events: list) -> None:
        if outcome == "decline":
            self._cancel(payment, "payment_network", "insufficient_funds", events)
            return
        if outcome != "succeed":
            raise ValueError(f"unknown outcome {outcome!r}")
        payment["paid"] = True
        payment["payment_method"] = {
            "type": "bank_card",
            "id": str(uuid.uuid4()),
            "saved": False,
            "card": {
                "first6": "555555",
                "last4": "4477",
                "expiry_month": "12",
                "expiry_year": "2030",
                "card_type": "MasterCard",
            },
        }
        if self._payment_meta[payment["id"]]["capture"]:
            self._succeed_payment(payment, events)
        else:
            payment["status"] = "waiting_for_capture"
            payment["expires_at"] = _iso(datetime.now(UTC) + timedelta(days=7))  # the hold lasts 7 days
            self._event(events, "payment.waiting_for_capture", payment)

    def _succeed_payment(self, payment: dict, events: list) -> None:
        payment.update(status="succeeded", paid=True, refundable=True, captured_at=_now())
        payment.pop("expires_at", None)
        self._event(events, "payment.succeeded", payment)

    def _cancel(self, payment: dict, party: str, reason: str, events: list) -> None:
        payment.update(status="canceled", refundable=False)
        payment["cancellation_details"] = {"party": party, "reason": reason}
        payment.pop("expires_at", None)
        self._event(events, "payment.canceled", payment)

    def _capture(self, payment: dict, data: dict, events: list) -> dict:
        """Only a held payment can be captured (fully or partly); capturing a succeeded one is a no-op."""
        if payment["status"] == "waiting_for_capture":
            if "amount" in data:
                value, currency = _parse_amount(data["amount"])
                held = Decimal(payment["amount"]["value"])
                if currency != payment["amount"]["currency"] or value > held:
                    raise _bad("amount", "capture amount exceeds the held amount")
                payment["amount"] = _money(value, currency)
            self._succeed_payment(payment, events)
        elif payment["status"] != "succeeded":
            raise _bad(None, f"Payment is {payment['status']}; only waiting_for_capture can be captured")
        return copy.deepcopy(payment)

    def _cancel_by_merchant(self, payment: dict, events: list) -> dict:
        if payment["status"] == "waiting_for_capture":
            self._cancel(payment, "merchant", "canceled_by_merchant", events)
        elif payment["status"] != "canceled":
            raise _bad(None, f"Payment is {payment['status']}; only waiting_for_capture can be canceled")
        return copy.deepcopy(payment)

    # -- checkout page ------------------------------------------------------------------------

    def _checkout(self, method: str, path: str, body: bytes, events: list):
        """The hosted page the buyer is redirected to; its form posts the outcome back."""
        payment = self.payments.get(path.removeprefix("/checkout/").strip("/"))
        if payment is None:
            page = '<!doctype html>\n<html lang="ru">\n<head><meta charset="utf-8"><title>Не найдено</title></head>\n'
            page += "<body><p>Платёж не найден</p></body>\n</html>\n"
            return 404, {"Content-Type": "text/html; charset=utf-8"}, page.encode()
        if method == "POST":
            outcome = parse_qs(body.decode()).get("outcome", ["succeed"])[0]
            if outcome not in ("succeed", "decline"):
                return 400, {"Content-Type": "text/plain; charset=utf-8"}, b"unknown outcome"
            if payment["status"] == "pending":
                self._pay(payment, outcome, events)
            return 302, {"Location": payment["confirmation"]["return_url"]}, b""
        amount = f"{payment['amount']['value']} {payment['amount']['currency']}"
        page = (
            '<!doctype html>\n<html lang="ru">\n<head><meta charset="utf-8"><link rel="icon" href="data:,">'
            "<title>Оплата заказа</title></head>\n"
            f'<body>\n<h1>Оплата</h1>\n<p class="amount">{html.escape(amount)}</p>\n'
            f'<p class="description">{html.escape(payment.get("description") or "")}</p>\n'
            '<form method="post">\n'
            '<button id="pay" name="outcome" value="succeed">Оплатить</button>\n'
            '<button id="decline" name="outcome" value="decline">Отклонить</button>\n'
            "</form>\n</body>\n</html>\n"
        )
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    # -- refunds ------------------------------------------------------------------------------

    def _create_refund(self, data: dict, events: list) -> dict:
        payment = self.payments.get(data.get("payment_id")) if isinstance(data.get("payment_id"), str) else None
        if payment is None or payment["status"] != "succeeded":
            raise _bad("payment_id", "payment_id must name a succeeded payment")
        value, currency = _parse_amount(data.get("amount"))
        reserved = self._payment_meta[payment["id"]].setdefault("reserved", {})  # pending refunds
        remaining = Decimal(payment["amount"]["value"]) - Decimal(payment["refunded_amount"]["value"])
        remaining -= sum(reserved.values(), Decimal(0))
        if currency != payment["amount"]["currency"] or value > remaining:
            raise _bad("amount", "refund amount exceeds what is left of the payment")
        description = _text(data, "description", 250)
        receipt = data.get("receipt")
        if receipt is not None or (self.require_receipt and self._payment_meta[payment["id"]]["receipt"]):
            receipt = _validate_receipt(receipt, value, currency)
        refund = {
            "id": str(uuid.uuid4()),
            "payment_id": payment["id"],
            "status": "pending",
            "created_at": _now(),
            "amount": _money(value, currency),
            "description": description,
        }
        if description is None:
            del refund["description"]
        self.refunds[refund["id"]] = refund
        if receipt is not None:
            self.refund_receipts.append((refund["id"], receipt))
        self._created["refund"] += 1
        if self.refund_mode == "succeeded":
            self._succeed_refund(refund, events)
        else:
            reserved[refund["id"]] = value  # a second refund cannot exceed the payment meanwhile
        return copy.deepcopy(refund)

    def _succeed_refund(self, refund: dict, events: list) -> None:
        payment = self.payments[refund["payment_id"]]
        value, currency = Decimal(refund["amount"]["value"]), refund["amount"]["currency"]
        self._payment_meta[payment["id"]].get("reserved", {}).pop(refund["id"], None)
        payment["refunded_amount"] = _money(Decimal(payment["refunded_amount"]["value"]) + value, currency)
        refund["status"] = "succeeded"
        self._event(events, "refund.succeeded", refund)

    # -- payouts ------------------------------------------------------------------------------

    def _destination(self, data) -> tuple[dict, str]:
        """Validate payout_destination_data; returns the public payout_destination and its key."""
        bad = _bad("payout_destination_data", "payout_destination_data is invalid")
        if not isinstance(data, dict):
            raise bad
        kind = data.get("type")
        if kind == "bank_card":
            number = (data.get("card") or {}).get("number") if isinstance(data.get("card"), dict) else None
            if not isinstance(number, str) or not re.fullmatch(r"\d{16,19}", number) or not _luhn(number):
                raise bad
            card = {"first6": number[:6], "last4": number[-4:], "card_type": "Visa", "issuer_country": "RU"}
            return {"type": "bank_card", "card": card}, number
        if kind == "yoo_money":
            account = data.get("account_number")
            if not isinstance(account, str) or not re.fullmatch(r"\d{11,20}", account):
                raise bad
            return {"type": "yoo_money", "account_number": account}, account
        if kind == "sbp":
            phone, bank_id = data.get("phone"), data.get("bank_id")
            if not isinstance(phone, str) or not re.fullmatch(r"\d{11,15}", phone):
                raise bad
            if bank_id not in {bank["bank_id"] for bank in SBP_BANKS}:
                raise bad
            return {"type": "sbp", "phone": phone, "bank_id": bank_id, "recipient_checked": False}, phone
        raise bad

    def _create_payout(self, data: dict, events: list) -> dict:
        value, currency = _parse_amount(data.get("amount"))
        destination, key = self._destination(data.get("payout_destination_data"))
        description = _text(data, "description", 128)
        payout = {
            "id": f"po-{uuid.uuid4()}",
            "status": "pending",
            "amount": _money(value, currency),
            "payout_destination": destination,
            "description": description,
            "created_at": _now(),
            "metadata": _metadata(data),
            "test": True,
        }
        if description is None:
            del payout["description"]
        self.payouts[payout["id"]] = payout
        self._created["payout"] += 1
        if key in self.cancel_destinations:
            self._finish_payout(payout, False, events)
        elif self.payout_mode == "instant":
            self._finish_payout(payout, True, events)
        return copy.deepcopy(payout)

    def _finish_payout(self, payout: dict, succeed: bool, events: list) -> None:
        if succeed:
            payout.update(status="succeeded", succeeded_at=_now())
            self._event(events, "payout.succeeded", payout)
        else:
            payout["status"] = "canceled"
            payout["cancellation_details"] = {"party": "payment_network", "reason": "rejected_by_payee"}
            self._event(events, "payout.canceled", payout)
