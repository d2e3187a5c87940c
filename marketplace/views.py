from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


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
