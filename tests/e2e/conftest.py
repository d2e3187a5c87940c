"""Browser tests: Debian's Chromium driven by Playwright against a live server.

The Celery tasks run eagerly inside the server (CELERY_TASK_ALWAYS_EAGER in tests) and the
timer sweeps are called as the beat would call them. Every page the journeys visit is
screenshotted at desktop (1366 px) and phone (390 px) widths into tests/e2e/artifacts/
and checked with axe-core for serious or critical accessibility violations.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# A small laptop or a tablet held sideways: a signed-in freelancer's header once overflowed here.
TABLET = {"width": 1024, "height": 768}

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary blocking calls, which is what we want here. Set only
    # while the browser runs, so no other test (or subprocess) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class Person:
    """One person in the journey: their own browser context (cookies), at desktop width."""

    def __init__(self, browser, base_url: str, name: str):
        self.context = browser.new_context(viewport=DESKTOP, locale="ru-RU")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base = base_url
        self.name = name
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 500, (path, response and response.status)
        return response

    def shot(self, name: str, *, check_a11y: bool = True) -> None:
        """Screenshot the current page at both widths and run axe on it."""
        ARTIFACTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{name}".lower()).strip("-")
        self.page.wait_for_load_state("load")
        self.page.evaluate("window.scrollTo(0, 0)")  # a sticky header would land mid-page otherwise
        self.page.screenshot(path=str(ARTIFACTS / f"{slug}-desktop.png"), full_page=True)
        self.page.set_viewport_size(PHONE)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        self.page.screenshot(path=str(ARTIFACTS / f"{slug}-phone.png"), full_page=True)
        self.page.set_viewport_size(TABLET)
        tablet_width = self.page.evaluate("document.documentElement.scrollWidth")
        self.page.set_viewport_size(DESKTOP)
        assert width <= PHONE["width"], f"{name}: horizontal scroll on a phone ({width}px)"
        assert tablet_width <= TABLET["width"], f"{name}: horizontal scroll at 1024 px ({tablet_width}px)"
        if check_a11y:
            axe_check(self.page, name)

    def submit(self, form_selector: str, button: str = "button[type=submit]"):
        with self.page.expect_navigation():
            self.page.locator(f"{form_selector} {button}").first.click()

    def close(self):
        self.context.close()


_AXE_SOURCE: list[str] = []


def axe_check(page, name: str) -> None:
    # Evaluated through the DevTools protocol: our CSP (rightly) refuses injected <script> tags.
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text())
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_AXE_SOURCE[0])
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"
    )
    assert result == [], f"axe on {name}: {result}"


@pytest.fixture
def people(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    created = []

    def make(name: str) -> Person:
        person = Person(browser, live_server.url, name)
        created.append(person)
        return person

    yield make
    for person in created:
        person.close()


def last_email_link(to: str, pattern: str) -> str:
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no email to {to} with {pattern}: {[m.subject for m in mail.outbox]}")


def png_bytes(color=(30, 140, 90), size=(1200, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()
