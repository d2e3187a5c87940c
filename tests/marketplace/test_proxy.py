"""The committed nginx configuration (deploy/nginx/) in front of a live server: visitors'
pages kept for a few seconds, nobody else's ever, public media only, static from disk.

Runs Debian's nginx (`apt-get install nginx-light`; .ci/run installs it) with the file
docker compose uses, filled in by deploy/nginx/render.py as `make proxy` does."""

import http.client
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import GigFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
import render  # noqa: E402

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def proxy(live_server, tmp_path, settings):
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    media = Path(settings.MEDIA_ROOT)
    (media / "avatars").mkdir(parents=True, exist_ok=True)
    (media / "avatars" / "a.jpg").write_bytes(b"\xff\xd8\xff public avatar")
    config = render.render(out=tmp_path / "nginx", listen=f"127.0.0.1:{port}", upstream=upstream,
                           static_root=ROOT / "static", media_root=media)  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        render.command(config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def get(port, path, cookie=""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    return response, body


def session_cookie(person) -> str:
    browser = Client()
    browser.force_login(person)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_a_visitors_page_is_kept_briefly_and_is_what_the_application_sends(proxy, live_server):
    gig = GigFactory(title="I will draw a flat logo")
    path = f"/gig/{gig.pk}/{gig.slug}/"
    first, first_body = get(proxy, path)
    second, second_body = get(proxy, path)
    assert first.status == 200 and first.getheader("X-Cache-Status") == "MISS"
    assert second.getheader("X-Cache-Status") == "HIT"
    assert second_body == first_body
    direct = http.client.HTTPConnection(live_server.url.removeprefix("http://"), timeout=10)
    direct.request("GET", path, headers={"Host": f"127.0.0.1:{proxy}"})  # as the proxy passes it
    assert direct.getresponse().read().decode() == first_body  # the copy is the application's page


def test_a_signed_in_person_never_gets_nor_leaves_a_copy(proxy):
    gig = GigFactory()
    path = f"/gig/{gig.pk}/{gig.slug}/"
    get(proxy, path)  # a visitor's copy is kept
    alice = UserFactory(username="alicepriv")
    response, body = get(proxy, path, cookie=session_cookie(alice))
    assert response.getheader("X-Cache-Status") == "BYPASS" and "alicepriv" in body
    assert response.getheader("Cache-Control") == "private"
    # Her page was not stored: the next visitor gets the visitors' copy, without her.
    _response, visitor_body = get(proxy, path)
    assert "alicepriv" not in visitor_body and "csrfmiddlewaretoken" not in visitor_body
    # And another signed-in person gets their own page, never hers.
    _bob_response, bob_body = get(proxy, path, cookie=session_cookie(UserFactory(username="bobby")))
    assert "bobby" in bob_body and "alicepriv" not in bob_body


def test_each_language_and_each_htmx_part_is_its_own_copy(proxy):
    GigFactory()
    _r, russian = get(proxy, "/catalog/")
    _r, english = get(proxy, "/en/catalog/")
    assert '<html lang="ru">' in russian and '<html lang="en">' in english


def test_only_public_media_is_served_and_no_path_leaves_it(proxy, settings):
    private = Path(settings.MEDIA_ROOT).parent / "private"
    private.mkdir(parents=True, exist_ok=True)
    (private / "delivery.txt").write_text("secret delivery")
    (Path(settings.MEDIA_ROOT) / "private").mkdir(exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "private" / "delivery.txt").write_text("secret delivery")
    response, body = get(proxy, "/media/avatars/a.jpg")
    assert response.status == 200 and response.getheader("X-Content-Type-Options") == "nosniff"
    for path in (
        "/media/avatars/../private/delivery.txt",
        "/media/avatars/..%2fprivate/delivery.txt",
        "/media/avatars/%2e%2e/private/delivery.txt",
        "/media/avatars/%252e%252e/private/delivery.txt",
        "/media/avatars/..%252fprivate/delivery.txt",
        "/media/private/delivery.txt",
        "/media/avatars/../../private/delivery.txt",
        "/gig/../media/private/delivery.txt",
        "/media/avatars%2f..%2f..%2fprivate/delivery.txt",
    ):
        response, body = get(proxy, path)
        assert response.status in (400, 404) and "secret delivery" not in body, path
    assert get(proxy, "/catalog/?q=a%2Fb..c%2e")[0].status == 200  # only the path is judged


def test_static_files_come_from_disk_for_a_year(proxy):
    response, _body = get(proxy, "/static/css/site.css")
    assert response.status == 200 and "X-Cache-Status" not in response.headers
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
