"""Operations: liveness and readiness, Sentry's scrubbing, request ids in logs and Celery
tasks, JSON logs, the protected Prometheus metrics (README, "Health, errors, logs and metrics")."""

import json
import logging
import socket
import sys

import pytest
import sentry_sdk
from celery import shared_task
from django.db import OperationalError, connection
from django.urls import path
from sentry_sdk.transport import Transport

from escrow.models import ReconciliationReport
from marketplace import requestid
from marketplace import sentry as sentry_setup
from marketplace.requestid import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


# --- liveness and readiness -----------------------------------------------------------


def test_liveness_answers_with_the_database_down(client, monkeypatch):
    _database_down(monkeypatch)
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_readiness_reports_each_part(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


def test_readiness_is_503_naming_the_database(client, monkeypatch):
    _database_down(monkeypatch)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["database"].startswith("error: OperationalError")
    assert body["broker"] == "ok"


def test_readiness_is_503_naming_a_broker_that_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("error: ")
    assert body["database"] == "ok"


def test_a_cache_that_does_not_answer_is_reported_but_the_site_stays_ready(client, monkeypatch):
    from django.core.cache import caches

    monkeypatch.setattr(type(caches["default"]), "get", lambda self, key, default=None, version=None: default)
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json()["cache"] == "error: the cache does not answer"


def test_the_old_health_check_still_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


# --- Sentry -----------------------------------------------------------------------------

CARD = "4111 1111 1111 1111"
EMAIL = "buyer@example.com"
PHONE = "+7 999 123-45-67"


def _event(url="https://gigs.example/ru/payments/sandbox/1/"):
    return {
        "message": f"Payment by {EMAIL} with {CARD} failed, call {PHONE}",
        "exception": {"values": [{"type": "ValueError", "value": f"card {CARD}"}]},
        "request": {
            "url": url,
            "method": "POST",
            "headers": {"Authorization": "Bearer secret", "Cookie": "sessionid=abc", "User-Agent": "x"},
            "cookies": {"sessionid": "abc"},
            "data": {"card": CARD, "email": EMAIL},
        },
        "user": {"id": "7", "email": EMAIL, "ip_address": "10.0.0.1"},
        "breadcrumbs": {"values": [{"message": f"sent to {EMAIL}"}]},
        "extra": {"order": 12, "note": "reorder 4111111111111112"},  # fails Luhn: kept
    }


def test_the_scrubber_removes_personal_data_and_secrets():
    event = sentry_setup.scrub_event(_event())
    text = json.dumps(event)
    for secret in (CARD, "4111111111111111", EMAIL, PHONE, "Bearer secret", "sessionid=abc", "10.0.0.1"):
        assert secret not in text
    assert event["request"]["data"] == "[Filtered]"
    assert event["request"]["headers"]["Authorization"] == "[Filtered]"
    assert event["request"]["headers"]["User-Agent"] == "x"
    assert "cookies" not in event["request"]
    assert event["user"] == {"id": "7"}
    assert event["extra"] == {"order": 12, "note": "reorder 4111111111111112"}


def test_the_scrubber_keeps_the_body_of_other_requests_but_not_the_emails_in_it():
    event = sentry_setup.scrub_event(_event(url="https://gigs.example/en/gigs/new/"))
    assert event["request"]["data"] == {"card": "[Filtered]", "email": "[Filtered]"}


class _Capture(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def _failing_view(request):
    raise ValueError(f"could not charge {CARD} of {EMAIL}")


urlpatterns = [path("boom/", _failing_view, name="boom")]


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_reaches_sentry_without_personal_data(client):
    transport = _Capture()
    sentry_setup.init(dsn="http://public@127.0.0.1:9/1", environment="test", traces_sample_rate=0, transport=transport)
    try:
        client.raise_request_exception = False
        response = client.post("/boom/", {"email": EMAIL}, HTTP_AUTHORIZATION="Bearer secret")
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: nothing more is sent
    assert response.status_code == 500
    events = [item.payload.json for envelope in transport.envelopes for item in envelope.items if item.type == "event"]
    assert len(events) == 1
    text = json.dumps(events[0])
    assert "ValueError" in text and "could not charge" in text
    assert EMAIL not in text and CARD not in text and "Bearer secret" not in text


# --- request ids and logs ---------------------------------------------------------------


def test_a_request_gets_an_id_in_its_header_and_its_log_lines(client, caplog):
    logging.getLogger("tests.ops").addFilter(RequestIdFilter())
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID="proxy-id-12345678")
    assert response["X-Request-ID"] == "proxy-id-12345678"
    fresh = client.get("/healthz/live", HTTP_X_REQUEST_ID="bad id <script>")["X-Request-ID"]
    assert len(fresh) == 32 and fresh != "proxy-id-12345678"
    with caplog.at_level(logging.INFO):
        token = requestid.current.set("abcdef0123456789")
        try:
            logging.getLogger("tests.ops").info("inside")
        finally:
            requestid.current.reset(token)
        logging.getLogger("tests.ops").info("outside")
    inside, outside = [record for record in caplog.records if record.name == "tests.ops"]
    assert inside.request_id == "abcdef0123456789"
    assert outside.request_id == ""


def test_a_json_log_line_parses_with_the_request_id_and_the_exception():
    token = requestid.current.set("abcdef0123456789")
    try:
        try:
            raise RuntimeError("the books do not balance")
        except RuntimeError:
            record = logging.getLogger("escrow").makeRecord(
                "escrow", logging.ERROR, __file__, 1, "reconciliation found %d problems", (2,), sys.exc_info()
            )
        RequestIdFilter().filter(record)
    finally:
        requestid.current.reset(token)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "ERROR" and entry["logger"] == "escrow"
    assert entry["message"] == "reconciliation found 2 problems"
    assert entry["request_id"] == "abcdef0123456789"
    assert "RuntimeError: the books do not balance" in entry["exception"]
    assert entry["time"].endswith("Z")


seen_ids = []


@shared_task
def _record_request_id():
    seen_ids.append(requestid.current.get())


def test_the_request_id_is_put_in_the_headers_of_a_published_task():
    headers = {}
    token = requestid.current.set("abcdef0123456789")
    try:
        requestid.put_request_id_in_headers(headers=headers)
    finally:
        requestid.current.reset(token)
    assert headers == {"request_id": "abcdef0123456789"}
    empty = {}
    requestid.put_request_id_in_headers(headers=empty)
    assert empty == {}


def test_a_worker_runs_the_task_under_the_request_id_of_its_headers():
    seen_ids.clear()
    # As a worker does: the message's headers become the task's request.
    _record_request_id.apply(headers={"request_id": "fromtheheader1234"})
    assert seen_ids == ["fromtheheader1234"]
    assert requestid.current.get() == ""  # cleared after the task


def test_an_eager_task_queued_by_a_request_keeps_its_id():
    seen_ids.clear()
    token = requestid.current.set("abcdef0123456789")
    try:
        _record_request_id.delay()
    finally:
        requestid.current.reset(token)
    assert seen_ids == ["abcdef0123456789"]


# --- metrics ----------------------------------------------------------------------------


def _sample(text: str, name: str, **labels) -> float | None:
    """The value of the series `name` with these labels in a scrape, or None when absent."""
    for line in text.splitlines():
        if line.startswith(name + ("{" if labels else " ")) and all(
            f'{key}="{value}"' in line for key, value in labels.items()
        ):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_are_hidden_from_the_public(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    settings.METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 200


def test_metrics_with_a_token_need_the_token_even_from_loopback(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_request_counters_move_by_view_name(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"

    def scrape():
        return client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()

    labels = {"method": "GET", "view": "healthz_live", "status": "200"}
    before = _sample(scrape(), "http_requests_total", **labels) or 0
    client.get("/healthz/live")
    client.get("/healthz/live")
    text = scrape()
    assert _sample(text, "http_requests_total", **labels) == before + 2
    assert _sample(text, "http_request_duration_seconds_count", method="GET", view="healthz_live") >= 2
    assert "/healthz/live" not in text  # names, never addresses


def test_the_drift_gauge_is_the_latest_reports_problem_count(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"

    def scrape():
        return client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()

    assert _sample(scrape(), "ledger_reconciliation_drift") is None  # never run: absent
    ReconciliationReport.objects.create(ok=False, problems=["a", "b", "c"])
    assert _sample(scrape(), "ledger_reconciliation_drift") == 3
    ReconciliationReport.objects.create(ok=True, problems=[])
    text = scrape()
    assert _sample(text, "ledger_reconciliation_drift") == 0
    assert 0 <= _sample(text, "ledger_reconciliation_age_seconds") < 60


def test_the_queue_length_is_read_from_a_redis_broker(settings):
    from django.conf import settings as live

    if not str(live.CELERY_BROKER_URL).startswith("redis"):
        pytest.skip("the broker is not Redis")
    import redis

    from marketplace.metrics import celery_queue_length

    client = redis.Redis.from_url(live.CELERY_BROKER_URL)
    settings.CELERY_TASK_DEFAULT_QUEUE = "ops-test-queue"
    client.delete("ops-test-queue")
    client.rpush("ops-test-queue", "a", "b")
    try:
        assert celery_queue_length() == 2
    finally:
        client.delete("ops-test-queue")
