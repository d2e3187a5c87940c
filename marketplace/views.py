import logging
import sys
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views import defaults
from django.views.decorators.http import require_GET
from django.views.static import serve

from . import health, metrics

logger = logging.getLogger(__name__)

# The only folders of MEDIA_ROOT with a public address: images we re-encoded ourselves.
PUBLIC_MEDIA_FOLDERS = ("avatars", "gigs", "portfolio")


@require_GET
def home_view(request):
    from gigs.selectors import favorite_ids, gigs_popular

    popular = gigs_popular(limit=8)
    return render(
        request, "home.html", {"popular": popular, "favorite_ids": favorite_ids(user=request.user, gigs=popular)}
    )


def csrf_failure_view(request, reason=""):
    return render(request, "403_csrf.html", status=403)


# The database was unreachable: how long a browser, a crawler or a payment provider retrying a
# webhook is asked to wait. A restart or a failover takes seconds to a minute.
RETRY_AFTER_SECONDS = 30
# SQLSTATEs of a database that cannot be reached or is going away (classes 08 and 57P, too many
# connections); psycopg reports a refused or dropped connection with no SQLSTATE at all.
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unreachable(error: BaseException | None) -> bool:
    """Is this error (or one it was raised from) the database being down, as opposed to a
    query of ours that failed (a deadlock, a timeout, a constraint: those stay 500s)?"""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, InterfaceError):
            return True
        if isinstance(error, OperationalError):
            cause = error.__cause__ or error
            code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None) or ""
            return not code or code.startswith(UNREACHABLE_SQLSTATES)
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def server_error_view(request):
    """handler500: Django calls it for any exception a view or a middleware let through.

    When the database is unreachable the page says so with a 503 and Retry-After, so people
    (and proxies, crawlers, payment providers) try again later; anything else is the usual 500.
    The 503 page is rendered without the request: context processors read the database."""
    error = sys.exc_info()[1]
    if not database_unreachable(error):
        return defaults.server_error(request)
    response = database_unavailable_response(request)
    # One line per request instead of Django's traceback and email to the admins for each: an
    # outage of a minute would send them hundreds, all saying the same thing.
    logger.error("Database unreachable, answered 503: %s %s (%s)", request.method, request.path, error)
    response._has_been_logged = True
    return response


def database_unavailable_response(request) -> HttpResponse:
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = loader.render_to_string(
            "503.html",
            {
                "LANGUAGE_CODE": language,
                "SITE_NAME": settings.MARKETPLACE_NAME,
                "home_url": "/" if language == settings.LANGUAGE_CODE else f"/{language}/",
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # neither the proxy nor the browser keeps this page
    response["Content-Language"] = language
    return response


@require_GET
def healthz_view(request):
    """For load balancers and compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def healthz_live_view(request):
    """Liveness: the process answers. Touches nothing else, so a database or Redis outage
    never gets a healthy process restarted."""
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def healthz_ready_view(request):
    """Readiness: {"database", "cache", "broker"} each "ok" or "error: ..."; 503 when the
    database or the broker fails (the cache fails soft: reported, still ready)."""
    results, ready = health.readiness()
    response = JsonResponse(results, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def metrics_view(request):
    """Prometheus metrics for the token's holder or an allowed address; 404 for anyone else."""
    if not metrics.allowed(request):
        raise Http404
    body, content_type = metrics.exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def public_media_view(request, folder, path):
    """An avatar or a gig image from MEDIA_ROOT/<folder>/ (when no proxy serves them).

    The file is looked up with that one folder as the root, and a path with an empty, "."
    or ".." segment or a backslash is refused before the disk is touched: however it was
    encoded, nothing outside the folder is reachable (private files are not even under
    MEDIA_ROOT: marketplace/uploads.py)."""
    if folder not in PUBLIC_MEDIA_FOLDERS or "\\" in path or any(part in ("", ".", "..") for part in path.split("/")):
        raise Http404
    response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / folder)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=604800"
    return response
