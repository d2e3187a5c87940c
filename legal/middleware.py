from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .selectors import legal_pending

# Pages a person must reach without accepting: the documents themselves and the accept page,
# allauth's (log-in, log-out, email confirmation, password, social log-in: someone may want to
# leave rather than accept) and the admin (staff publish the versions and may need to fix one first).
EXEMPT_NAMESPACES = {"legal", "admin"}
# Health checks and metrics: for machines, never stopped at a gate.
OPERATIONS_NAMES = {"healthz", "healthz_live", "healthz_ready", "metrics"}


class LegalAcceptanceMiddleware:
    """Sends a signed-in person who has not accepted a binding version to the accept page,
    and back to where they were going afterwards.

    Only page loads are stopped (GET, not htmx, not the exempt pages): a form being sent
    (a POST) goes through, so nothing someone typed is lost; their next page asks. The check
    is two reads of the shared cache per request (legal/selectors.py, `legal_pending`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "GET" or request.headers.get("HX-Request"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or EXEMPT_NAMESPACES.intersection(match.namespaces):
            return None
        if getattr(view_func, "__module__", "").startswith("allauth") or match.url_name in OPERATIONS_NAMES | {None}:
            return None  # allauth's pages; unnamed routes are files (public media)
        if not legal_pending(request):
            return None
        return redirect(reverse("legal:accept") + "?" + urlencode({"next": request.get_full_path()}))
