"""Hostile input to every address and every form of the site: never a 5xx, never money moved.

The addresses come from the URL resolver (each pattern's arguments filled with real ids and
then with hostile values of the converter's kind), and the forms from the pages themselves
(every `<form method="post">` on every page of tests/marketplace/test_caching.py, submitted
with each field set to a hostile value), so a new view or a new form is covered by itself.
After all of it, the ledger has not moved and its reconciliation finds nothing."""

import re
import uuid
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from escrow.models import Transfer
from escrow.services import ledger_reconcile
from tests.marketplace.test_caching import ALICES, PAGES

pytestmark = pytest.mark.django_db

# What each kind of value in an address may be sent as (the int converter takes only digits).
HOSTILE_SEGMENTS = {
    "int": ["0", "9" * 25, "2147483648"],
    "str": ["%00", "a%00b", "%C2%B2", "%2e%2e", "%3Cscript%3E", "x" * 300, "%E2%80%AE", "%01%1f%7f"],
    "slug": ["a" * 300, "-", "NaN"],
    "uuid": [str(uuid.UUID(int=0)), str(uuid.uuid4())],
    "path": ["%00", "..%2f..%2fsecret", "a" * 300],
}
HOSTILE_FIELDS = [
    "\x00", "a\x00b", "\x01\x1f\x7f", "²", "١٢٣", "NaN", "sNaN", "-Infinity", "1e999", "-1", "9" * 40,
    "../../../etc/passwd", '"><script>alert(1)</script>', "{{ 7|add:1 }}{% csrf_token %}",
]  # fmt: skip
HUGE = "x" * (10 * 1024 * 1024)


def _patterns(patterns=None, prefix="", namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = pattern.namespace if not namespace else f"{namespace}:{pattern.namespace}"
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern),
                                 inner if pattern.namespace else namespace)  # fmt: skip
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _kinds(pattern) -> dict[str, str]:
    converters = getattr(pattern.pattern, "converters", {})
    names = re.findall(r"\(\?P<(\w+)>", str(pattern.pattern)) or list(converters)
    kinds = {}
    for name in names:
        converter = converters.get(name)
        kinds[name] = type(converter).__name__.removesuffix("Converter").lower() if converter else "str"
    return kinds


def _valid_kwargs(world) -> dict[str, dict]:
    """A real value for every argument name the site's addresses use."""
    w = world
    return {
        "gig_id": w.gig.pk, "slug": w.gig.slug, "username": w.sergey.username, "order_id": w.alice_order.pk,
        "pk": w.alice_conversation.pk, "section_slug": w.gig.category.parent.slug,
        "category_slug": w.gig.category.slug, "review_id": 1, "offer_id": 1, "file_id": 1, "method_id": 1,
        "action": "pause", "answer": "decline", "provider": "sandbox", "payment_id": str(uuid.uuid4()),
        "key": "abc", "uidb36": "1", "folder": "avatars", "path": "a.jpg",
    }  # fmt: skip


def _addresses(world) -> list[tuple[str, str]]:
    """(name, path) for every pattern: real arguments, then each argument hostile in turn."""
    valid = _valid_kwargs(world)
    found = []
    for name, pattern in _patterns():
        if name.startswith(("socialaccount", "mfa")) or name.endswith(("_login", "_callback", "_login_by_token")):
            continue
        kinds = _kinds(pattern)
        try:
            base = {arg: valid.get(arg, "x") for arg in kinds}
            with translation.override("ru"):
                path = reverse(name, kwargs=base) if kinds else reverse(name)
        except Exception:  # noqa: S112 - a pattern our sample values do not fit (allauth's regexes)
            continue
        found.append((name, path))
        for arg, kind in kinds.items():
            for hostile in HOSTILE_SEGMENTS.get(kind, HOSTILE_SEGMENTS["str"]):
                value = str(base[arg])
                if value and value in path:
                    found.append((name, path.replace(f"/{value}/", f"/{hostile}/", 1)))
    return found


def _ledger_state():
    return Transfer.objects.count()


def _signed_in(person) -> Client:
    browser = Client()
    browser.force_login(person)
    return browser


def test_every_address_with_hostile_arguments_answers_without_a_server_error(world):
    transfers = _ledger_state()
    browsers = {"visitor": Client(), "alice": _signed_in(world.alice), "bob": _signed_in(world.bob)}
    failures = []
    addresses = _addresses(world)
    assert len(addresses) > 100  # the resolver was walked
    for name, path in addresses:
        for who, browser in browsers.items():
            for method in ("get", "post"):
                response = getattr(browser, method)(path, {"x": "\x00"} if method == "post" else None)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {path} as {who} ({name}): {response.status_code}")
    assert failures == []
    assert _ledger_state() == transfers and ledger_reconcile(notify=False).ok


class _Forms(HTMLParser):
    """Every POST form of a page: its action and the names of its fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": set()}
            self.forms.append(self._current)
        elif (
            tag in ("input", "textarea", "select")
            and self._current is not None
            and attrs.get("name")
            and (attrs.get("type") != "file")
        ):
            self._current["fields"].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _forms_of(world) -> list[tuple[str, str, dict, set]]:
    """(page, viewer, form action, field names) for every POST form on every page."""
    found = []
    viewers = {"alice": world.alice, "bob": world.bob, "visitor": None}
    pages = [(name, PAGES[name](world)) for name in PAGES] + [(name, ALICES[name](world)) for name in ALICES]
    for who, person in viewers.items():
        browser = _signed_in(person) if person else Client()
        for name, kwargs in pages:
            with translation.override("ru"):
                url = reverse(name, kwargs=kwargs)
            response = browser.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for form in parser.forms:
                found.append((url, who, form["action"] or url, form["fields"] - {"csrfmiddlewaretoken"}))
    return found


def test_every_form_with_hostile_fields_answers_without_a_server_error(world):
    transfers = _ledger_state()
    forms = _forms_of(world)
    assert len({action for _page, _who, action, _fields in forms}) > 15  # the pages' forms were found
    browsers = {"alice": _signed_in(world.alice), "bob": _signed_in(world.bob), "visitor": Client()}
    failures = []
    seen = set()
    for page, who, action, fields in forms:
        if (who, action, frozenset(fields)) in seen:
            continue
        seen.add((who, action, frozenset(fields)))
        for hostile in HOSTILE_FIELDS:
            response = browsers[who].post(action, {field: hostile for field in fields})
            if response.status_code >= 500:
                failures.append(f"POST {action} (from {page} as {who}) with {hostile!r}: {response.status_code}")
        response = browsers[who].post(action, {next(iter(fields), "x"): HUGE})
        if response.status_code >= 500:
            failures.append(f"POST {action} (from {page} as {who}) with 10 MB: {response.status_code}")
    assert failures == []
    assert _ledger_state() == transfers and ledger_reconcile(notify=False).ok


def test_query_strings_with_hostile_values_answer_without_a_server_error(world):
    failures = []
    browsers = {"visitor": Client(), "alice": _signed_in(world.alice)}
    names = ["q", "page", "after", "before", "sort", "price_min", "price_max", "days", "level", "rating",
             "package", "gig", "seen", "tab", "next", "status", "category"]  # fmt: skip
    for name in PAGES:
        with translation.override("ru"):
            url = reverse(name, kwargs=PAGES[name](world))
        for hostile in [h for h in HOSTILE_FIELDS if "\x00" not in h and "\x01" not in h] + ["x" * 5000]:
            query = "&".join(f"{key}={quote(hostile)}" for key in names)
            for who, browser in browsers.items():
                response = browser.get(f"{url}?{query}")
                if response.status_code >= 500:
                    failures.append(f"GET {url}?… {hostile!r} as {who}: {response.status_code}")
    assert failures == []
