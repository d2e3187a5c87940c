"""The request id: one token per request, in every log line it causes, in the Celery tasks it
queues and in the `X-Request-ID` response header (README, "Health, errors, logs and metrics").

nginx sends its `$request_id`; a sane token from the proxy is kept, anything else is replaced
by a fresh uuid4 hex. The id lives in a contextvar, so a thread or an asyncio task sees its own."""

import contextvars
import json
import logging
import re
import time
import uuid

from celery import signals

HEADER = "X-Request-ID"
CELERY_HEADER = "request_id"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current = contextvars.ContextVar("request_id", default="")


def request_id_from(value: str | None) -> str:
    """The proxy's id when it is a plain token of 8-64 characters, else a new one."""
    if value and _SANE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` ("" outside a request or a task) for the formatters."""

    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, and
    the exception's traceback when there is one."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current.get(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery: the id travels in the message headers --------------------------------------


@signals.before_task_publish.connect
def put_request_id_in_headers(headers=None, **kwargs):
    request_id = current.get()
    if headers is not None and request_id and CELERY_HEADER not in headers:
        headers[CELERY_HEADER] = request_id


_task_tokens: dict[str, contextvars.Token] = {}


@signals.task_prerun.connect
def take_request_id_from_task(task_id=None, task=None, **kwargs):
    # In a worker the header is on task.request; an eager task runs in the publisher's context
    # (with the id already current) and its request carries the header too.
    request_id = getattr(task.request, CELERY_HEADER, None) if task is not None else None
    if request_id is None and task is not None:
        request_id = (getattr(task.request, "headers", None) or {}).get(CELERY_HEADER)
    if request_id and _SANE.match(str(request_id)):
        _task_tokens[task_id] = current.set(str(request_id))


@signals.task_postrun.connect
def clear_request_id_after_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            current.reset(token)
        except ValueError:  # set in another context: forget it the plain way
            current.set("")
