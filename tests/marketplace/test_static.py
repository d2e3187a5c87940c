"""Static files: the production storage (compressed, hashed names), and the trimmed Bootstrap
(deploy/vendor/build.sh) still holding every class and plugin the templates use."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.templatetags.static import static

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "bootstrap"
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
PLAIN_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
# Where the project writes class names: templates, scripts, and Python that builds markup.
CLASS_SOURCES = [
    *ROOT.glob("templates/**/*.html"),
    *ROOT.glob("static/js/**/*.js"),
    *ROOT.glob("static/messaging/**/*.js"),
    *(path for app in ("accounts", "buyer_requests", "escrow", "gigs", "marketplace", "messaging", "orders", "reviews")
      for path in (ROOT / app).glob("**/*.py")),
]  # fmt: skip


def staticfiles_backend(tmp_path, **env) -> str:
    keep = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "TESTING", "SECRET_KEY"}}
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    result = subprocess.run(  # noqa: S603 - this interpreter, our own settings
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "marketplace.settings", "STATIC_ROOT": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_serves_static_files_compressed_under_hashed_names(tmp_path):
    secret = "static-test-" + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e"
    production = {"DEBUG": "0", "TESTING": "0", "SECRET_KEY": secret}
    assert staticfiles_backend(tmp_path, **production) == PRODUCTION_STORAGE
    # `make run` and the tests serve the source files as they are: no collectstatic needed.
    assert staticfiles_backend(tmp_path, DEBUG="1", TESTING="0") == PLAIN_STORAGE
    assert staticfiles_backend(tmp_path, DEBUG="0", TESTING="1") == PLAIN_STORAGE


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    """The project's own static files (not the admin's, to stay fast) through the production
    storage: every url() in the stylesheets resolves, and each text file gets its .gz and .br."""
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)

    css = static("vendor/bootstrap/bootstrap.trimmed.min.css")
    assert re.fullmatch(r"/static/vendor/bootstrap/bootstrap\.trimmed\.min\.[0-9a-f]{12}\.css", css)
    for name in (css, static("vendor/bootstrap/bootstrap.custom.min.js"), static("css/site.css")):
        served = tmp_path / name.removeprefix("/static/")
        assert served.exists()
        assert (served.parent / (served.name + ".gz")).exists()
        assert (served.parent / (served.name + ".br")).exists()  # the Brotli package is installed
    icons = (tmp_path / static("vendor/bootstrap-icons/bootstrap-icons.min.css").removeprefix("/static/")).read_text()
    font = re.search(r'url\("?(fonts/bootstrap-icons\.[0-9a-f]{12}\.woff2)', icons)
    assert font and (tmp_path / "vendor/bootstrap-icons" / font.group(1)).exists()


def template_classes() -> set[str]:
    """Every whole class name written in a class attribute (or a Python string that builds
    one); the parts of names put together from variables are left to PurgeCSS's safelist."""
    names = set()
    for path in CLASS_SOURCES:
        text = path.read_text()
        for value in re.findall(r"""class=["']([^"']*)["']""", text) + re.findall(r'"class": "([^"]*)"', text):
            value = re.sub(r"\{[{%#].*?[}%#]\}", " ", value)  # template tags split names, they are no names
            names.update(token for token in value.split() if re.fullmatch(r"[a-z][a-z0-9-]*", token))
    return names


def test_every_bootstrap_class_the_templates_use_is_in_the_trimmed_css():
    bootstrap = {
        line for line in (ROOT / "deploy/vendor/bootstrap-classes.txt").read_text().split() if not line.startswith("#")
    }
    trimmed = set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", (VENDOR / "bootstrap.trimmed.min.css").read_text()))
    used = template_classes() & bootstrap
    assert {"btn", "card", "navbar-toggler", "dropdown-menu", "visually-hidden", "row-cols-sm-2"} <= used
    assert sorted(used - trimmed) == []
    # What scripts add at run time, and the names put together in templates.
    assert {"show", "collapsing", "carousel-item-next", "is-invalid", "alert-danger", "alert-success"} <= trimmed


PLUGINS = {
    "dropdown": "dropdown",
    "collapse": "collapse",
    "data-bs-slide": "carousel",
    'data-bs-dismiss="alert"': "alert",
    "modal": "modal",
    "offcanvas": "offcanvas",
    "tab": "tab",
    "pill": "tab",
    "tooltip": "tooltip",
    "popover": "popover",
    'data-bs-dismiss="toast"': "toast",
    "data-bs-spy": "scrollspy",
}


def test_the_built_script_has_every_bootstrap_plugin_the_templates_use():
    html = "\n".join(path.read_text() for path in CLASS_SOURCES)
    toggles = set(re.findall(r'data-bs-toggle="([a-z]+)"', html))
    wanted = {PLUGINS[toggle] for toggle in toggles}
    wanted |= {plugin for marker, plugin in PLUGINS.items() if marker.startswith("data-bs") and marker in html}
    entry = (ROOT / "deploy/vendor/bootstrap.entry.js").read_text()
    built = set(re.findall(r"bootstrap/js/src/([a-z]+)\.js", entry))
    assert wanted == {"alert", "carousel", "collapse", "dropdown"}
    assert wanted <= built
    assert "Bootstrap v5.3" in (VENDOR / "bootstrap.custom.min.js").read_text()[:300]
