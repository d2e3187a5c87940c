from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.static import serve

# The only folders of MEDIA_ROOT with a public address: images we re-encoded ourselves.
PUBLIC_MEDIA_FOLDERS = ("avatars", "gigs")


@require_GET
def home_view(request):
    from gigs.selectors import favorite_ids, gigs_popular

    popular = gigs_popular(limit=8)
    return render(
        request, "home.html", {"popular": popular, "favorite_ids": favorite_ids(user=request.user, gigs=popular)}
    )


def csrf_failure_view(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@require_GET
def healthz_view(request):
    """For load balancers and compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


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
