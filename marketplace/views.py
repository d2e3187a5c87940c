from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home_view(request):
    return render(request, "home.html")


def csrf_failure_view(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@require_GET
def healthz_view(request):
    """For load balancers and compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
