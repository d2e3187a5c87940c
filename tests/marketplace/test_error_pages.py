"""The 503 page when the database cannot be reached (marketplace/views.py: server_error_view).

The database is made unreachable for real: the connection is pointed at a closed port (a
missing folder on SQLite) and closed, so every query of the request fails as it would with the
server stopped. Tests/chaos/ does the same against a PostgreSQL that is restarted under load.
"""

import json
import socket
import sys

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from escrow.providers.sandbox import SIGNATURE_HEADER, sign
from marketplace.views import server_error_view


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(django_db_blocker, tmp_path):
    """No test database: the connection is pointed somewhere nothing answers."""
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "postgresql":
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        else:
            connection.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


@pytest.fixture
def visitor():
    # The page, not the exception: Django's test client re-raises by default.
    return Client(raise_request_exception=False)


def test_a_page_answers_503_in_russian_when_the_database_is_down(database_down, visitor):
    response = visitor.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert "Сайт ненадолго недоступен" in page
    assert 'href="/"' in page


def test_an_english_page_answers_503_in_english(database_down, visitor):
    response = visitor.get("/en/catalog/")
    assert response.status_code == 503
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "The site is briefly unavailable" in page
    assert "Nothing you saved is lost" in page
    assert 'href="/en/"' in page
    assert response["Content-Language"] == "en"


def test_a_signed_in_visitor_gets_the_503_too(database_down, visitor):
    # The session cookie makes the session and authentication middlewares read the database.
    visitor.cookies["sessionid"] = "x" * 32
    response = visitor.get("/orders/")
    assert response.status_code == 503


def test_a_webhook_is_answered_503_so_the_provider_sends_it_again(database_down, visitor):
    event = {"payment_id": "sbx_1", "amount": "1000.00", "currency": "RUB"}
    body = json.dumps({"id": "evt_1", "type": "payment.succeeded", "data": event}).encode()
    response = visitor.post(
        "/webhooks/sandbox/", body, content_type="application/json", headers={SIGNATURE_HEADER: sign(body)}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_the_health_check_answers_503(database_down, visitor):
    assert visitor.get("/healthz").status_code == 503


def _error_page_for(error: BaseException):
    try:
        raise error
    except BaseException:
        assert sys.exc_info()[1] is error
        return server_error_view(RequestFactory().get("/"))


def test_other_errors_keep_the_500_page():
    response = _error_page_for(ValueError("a bug of ours"))
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode() or "Something went wrong" in response.content.decode()
    assert not response.has_header("Retry-After")


class _Deadlock(Exception):
    pgcode = "40P01"


def test_a_query_that_failed_is_a_500_not_an_outage():
    # A deadlock or a statement timeout is ours to fix, and the database is there.
    error = OperationalError("deadlock detected")
    error.__cause__ = _Deadlock()
    assert _error_page_for(error).status_code == 500


class _AdminShutdown(Exception):
    pgcode = "57P01"


def test_a_connection_the_server_closed_is_an_outage():
    error = OperationalError("terminating connection due to administrator command")
    error.__cause__ = _AdminShutdown()
    assert _error_page_for(error).status_code == 503


def test_an_outage_is_one_log_line_per_request_not_a_traceback_mailed_to_the_admins(database_down, visitor, caplog):
    visitor.get("/catalog/")
    assert not [r for r in caplog.records if r.name == "django.request"]  # its handler mails the admins
    lines = [r for r in caplog.records if r.name == "marketplace.views"]
    assert len(lines) == 1 and "GET /catalog/" in lines[0].getMessage() and lines[0].exc_info is None
