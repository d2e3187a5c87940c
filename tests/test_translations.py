"""Every visible string is translated: the Russian catalog is complete and up to date."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
RU_PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="ru")


def test_russian_catalog_is_fully_translated():
    catalog = _catalog(RU_PO)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    assert missing == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract strings")
def test_catalog_holds_every_string_in_the_code(tmp_path):
    """makemessages over the code finds nothing that the committed catalog lacks."""
    work = tmp_path / "project"
    shutil.copytree(
        ROOT, work, ignore=shutil.ignore_patterns(".venv", "var", ".git", "static", "node_modules", "*.mo", "tests")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-obsolete", "--ignore=bench"],
        cwd=work,
        check=True,
        capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var")},
    )
    fresh = {m.id for m in _catalog(work / "locale" / "ru" / "LC_MESSAGES" / "django.po") if m.id}
    committed = {m.id for m in _catalog(RU_PO) if m.id}
    assert sorted(map(str, fresh - committed)) == []


# --- text built at import time -------------------------------------------------------------

APPS = ("marketplace", "accounts", "notifications", "gigs", "orders", "escrow", "reviews", "messaging",
        "buyer_requests", "legal")  # fmt: skip
GETTEXT_EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
GETTEXT_ANY = GETTEXT_EAGER | {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}


def _translation_names(tree) -> tuple[set[str], set[str]]:
    eager, every = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in GETTEXT_ANY:
                    every.add(alias.asname or alias.name)
                if alias.name in GETTEXT_EAGER:
                    eager.add(alias.asname or alias.name)
    return eager, every


def _import_time_nodes(body):
    """Every expression that runs when the module is imported: module and class bodies,
    not function bodies or lambdas."""
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(statement, ast.ClassDef):
            yield from _import_time_nodes(statement.body)
            continue
        stack = [statement]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            yield node
            stack.extend(ast.iter_child_nodes(node))


def _is_call_to(node, names: set[str]) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


def test_no_text_is_translated_when_a_module_is_imported():
    """A string translated at import time comes out in whatever language was active then:
    the English catalog showed "До 3 дней" and the English settings page a Russian avatar
    hint. Module and class level text must stay lazy: no eager gettext, and no `%`,
    `.format()`, f-string or `str()` applied to a lazy string there."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            eager, every = _translation_names(tree)
            if not every:
                continue
            for node in _import_time_nodes(tree.body):
                bad = (
                    _is_call_to(node, eager)
                    or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_call_to(node.left, every))
                    or (isinstance(node, ast.Attribute) and node.attr == "format" and _is_call_to(node.value, every))
                    or (isinstance(node, ast.JoinedStr) and any(_is_call_to(v, every) for v in ast.walk(node)))
                    or (_is_call_to(node, {"str"}) and any(_is_call_to(a, every) for a in node.args))
                )
                if bad:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "prefix", "expected", "foreign"),
    [("en", "/en", "Up to 3 days", "До 3 дней"), ("ru", "", "До 3 дней", "Up to 3 days")],
)
def test_import_time_texts_follow_the_page_language(client, language, prefix, expected, foreign):
    from tests.factories import UserFactory

    for other in ("ru", "en"):  # whichever language was active when the modules were loaded
        with translation.override(other):
            page = client.get(f"{prefix}/catalog/").content.decode()
        assert expected in page and foreign not in page
    client.force_login(UserFactory())
    settings_page = client.get(f"{prefix}/settings/").content.decode()
    hint = {"en": "It is cropped to a square.", "ru": "JPEG, PNG, WebP или GIF"}[language]
    assert hint in settings_page


@pytest.mark.django_db
def test_a_save_button_says_save_and_the_heart_says_add_to_saved(client):
    """One English word, two Russian ones: "Save" on a form is «Сохранить», the heart's
    "Save" (a context of its own) is «В избранное». The project's catalog also overrides
    Django's, so the admin's save buttons said «В избранное» too."""
    from gigs.models import Gig
    from tests.escrow.factories import StaffFactory
    from tests.factories import GigFactory, UserFactory

    gig = GigFactory()
    client.force_login(UserFactory())
    settings_page = client.get("/messages/settings/").content.decode()
    assert ">Сохранить</button>" in settings_page and "В избранное" not in settings_page
    catalog = client.get("/catalog/").content.decode()
    assert 'aria-label="В избранное"' in catalog or "В избранное" in catalog
    client.force_login(StaffFactory())
    admin_form = client.get(f"/admin/gigs/gig/{gig.pk}/change/").content.decode()
    assert 'value="Сохранить"' in admin_form and "В избранное" not in admin_form
    assert Gig.objects.filter(pk=gig.pk).exists()


def test_moments_ago_read_as_russian_does():
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.templatetags.ui import ago

    now = timezone.now()
    with translation.override("ru"):
        assert ago(now - timedelta(seconds=20)) == "только что"  # not «0 минут назад»
        assert ago(now - timedelta(minutes=5)) == "5\xa0минут назад"  # timesince keeps its number with its word
    with translation.override("en"):
        assert ago(now - timedelta(seconds=20)) == "just now"
        assert ago(now - timedelta(hours=2)) == "2\xa0hours ago"
    assert ago(None) == ""


@pytest.mark.django_db
def test_dates_inside_russian_sentences(client):
    """«Продаёте с 2 декабря 2026.» (not «2 декабря 2026 г..») and «На сайте с декабря 2026»
    (the month in the genitive after «с», not «с декабрь 2026»)."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from tests.buyer_requests.conftest import active
    from tests.factories import CategoryFactory, SellerFactory, UserFactory

    when = timezone.make_aware(datetime.datetime(2026, 12, 2, 12, 0))
    seller = SellerFactory(seller_since=when, date_joined=when)
    client.force_login(seller)
    page = client.get("/settings/").content.decode()
    assert "Продаёте с 2 декабря 2026." in page and "г.." not in page
    buyer_request = active(UserFactory(date_joined=when), CategoryFactory())
    with translation.override("ru"):
        detail = client.get(reverse("buyer_requests:detail", args=[buyer_request.pk])).content.decode()
    assert "На сайте с декабря 2026" in detail


def test_russian_text_quotes_with_guillemets():
    """«Ёлочки» in Russian: a straight or English curly double quote outside an HTML tag (where
    it delimits an attribute) is a quotation mark in the wrong style."""
    import re

    wrong = []
    for message in _catalog(RU_PO):
        if not message.id:
            continue
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            outside_tags = re.sub(r"<[^<>]*>", "", text)
            if re.search(r'["“”„]', outside_tags):
                wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize(
    ("msgid", "context", "button"),
    [("Accept the work", "button", "Принять работу"), ("Message", "button", "Написать"),
     ("Withdraw", "offer button", "Отозвать")],
)  # fmt: skip
def test_russian_buttons_say_what_they_do_in_the_infinitive(msgid, context, button):
    with translation.override("ru"):
        assert translation.pgettext(context, msgid) == button
