"""Prometheus metrics at /metrics (README, "Health, errors, logs and metrics").

Requests are counted by method, view name and status, and timed by view name: the
resolver's name, never the address, so the number of series stays bounded. At each scrape
the Celery queue length (a Redis broker only) and the latest ledger reconciliation's drift
(its number of problems, 0 when clean) and age are read.

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty folder, emptied at
each start): every worker writes its counters there and a scrape sums them."""

import hmac
import os
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from marketplace.clientip import address_in

REQUESTS = Counter("http_requests_total", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        method = request.method if request.method in _METHODS else "other"
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response


def celery_queue_length() -> int | None:
    """Messages waiting in the default queue, or None when the broker is not Redis."""
    url = str(settings.CELERY_BROKER_URL or "")
    if urlsplit(url).scheme not in ("redis", "rediss"):
        return None
    import redis

    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    # kombu keeps priorities 3, 6 and 9 in lists of their own next to the queue's.
    names = [queue] + [f"{queue}\x06\x16{priority}" for priority in (3, 6, 9)]
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return sum(client.llen(name) for name in names)
    finally:
        client.close()


class ScrapeCollector:
    """Gauges read at scrape time (the same in every process, so never multiprocess files)."""

    def collect(self):
        try:
            length = celery_queue_length()
        except Exception:
            length = float("nan")  # the broker does not answer
        if length is not None:
            yield GaugeMetricFamily("celery_queue_length", "Tasks waiting in the default Celery queue", value=length)
        from escrow.models import ReconciliationReport

        report = ReconciliationReport.objects.only("created_at", "problems").order_by("-created_at").first()
        if report is not None:
            yield GaugeMetricFamily(
                "ledger_reconciliation_drift",
                "Problems found by the latest ledger reconciliation (0: the books balance)",
                value=len(report.problems or []),
            )
            yield GaugeMetricFamily(
                "ledger_reconciliation_age_seconds",
                "Seconds since the latest ledger reconciliation finished",
                value=(timezone.now() - report.created_at).total_seconds(),
            )


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Default())
    registry.register(ScrapeCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Default:
    """The process's own metrics (the default registry) inside the scrape's registry."""

    def collect(self):
        return REGISTRY.collect()


def allowed(request) -> bool:
    """With METRICS_TOKEN: only `Authorization: Bearer <token>`. Without: only loopback and
    METRICS_ALLOWED_IPS (addresses or networks)."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        return sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode())
    address = request.META.get("REMOTE_ADDR", "")
    return address_in(address, ["127.0.0.0/8", "::1/128", *settings.METRICS_ALLOWED_IPS])
