import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_marketplace(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Как это работает" in page  # Russian by default
    assert 'href="/accounts/signup/"' in page  # and its links stay on the Russian site


def test_pages_send_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_custom_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "error-code" in response.content.decode()


def test_check_deploy_is_clean_with_production_env():
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "TESTING",
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "SECURE_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "DEBUG": "0",
            "TESTING": "0",
            "SECRET_KEY": "a-real-production-secret-3c4f8a1d9e7b6a5c2f0e1d9c8b7a6f5e4d3c2b1a",
            "ALLOWED_HOSTS": "gigmarket.example",
            "CSRF_TRUSTED_ORIGINS": "https://gigmarket.example",
            "PAYOUT_DETAILS_KEY": "cHJvZHVjdGlvbi1wYXlvdXQta2V5LWZvci10ZXN0cy0=",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_refuses_to_start_in_production():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "SECRET_KEY"}}
    env.update({"DEBUG": "0", "TESTING": "0"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_missing_payout_details_key_refuses_to_start_in_production():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "PAYOUT_DETAILS_KEY"}}
    env.update({"DEBUG": "0", "TESTING": "0", "SECRET_KEY": "a-real-production-secret-3c4f8a1d9e7b"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "escrow.E001" in result.stderr and "PAYOUT_DETAILS_KEY" in result.stderr


def test_makemigrations_check_needs_no_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_htmx_attributes_are_valid_html(client):
    """htmx reads `data-hx-*` as well as `hx-*`; only the first is valid HTML (the W3C checker
    reported every hx- attribute of the search, checkout and order pages as an error)."""
    import re

    from tests.factories import GigFactory, UserFactory

    gig = GigFactory(title="A logo for a shop", with_image=True)
    gig_page = f"/gig/{gig.pk}/{gig.slug}/"
    pages = [client.get(path).content.decode() for path in ("/", "/catalog/?q=logo", gig_page)]
    client.force_login(UserFactory())
    pages += [client.get(path).content.decode() for path in ("/catalog/", "/messages/", gig_page)]
    for html in pages:
        assert "data-hx-" in html
        assert re.findall(r"""[\s"']hx-[a-z-]+=""", html) == []
