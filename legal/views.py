from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.redirects import local_path, redirect_back

from .forms import AcceptForm
from .models import LegalAcceptance
from .selectors import (
    SESSION_KEY,
    legal_document_current,
    legal_document_history,
    legal_document_version,
    legal_documents_to_accept,
    request_ip,
)
from .services import legal_accept


def document_view(request, kind: str, version: int | None = None):
    """A document's current version (or an earlier one), with the list of every version."""
    current = legal_document_current(kind=kind)
    document = current if version is None else legal_document_version(kind=kind, version=version)
    return render(
        request,
        "legal/document.html",
        {"document": document, "current": current, "history": legal_document_history(kind=kind)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept_view(request):
    """The page a signed-in person is sent to when a version they have not accepted binds
    them (legal/middleware.py): the new texts, what changed, one button."""
    next_path = local_path(request.POST.get("next") or request.GET.get("next"))
    documents = legal_documents_to_accept(request)
    if not documents:
        return redirect_back(next_path, "home")
    form = AcceptForm(request.POST or None, documents=documents)
    if request.method == "POST":
        if form.is_valid():
            legal_accept(
                user=request.user, documents=documents, ip=request_ip(request), source=LegalAcceptance.Source.PROMPT
            )
            request.session.pop(SESSION_KEY, None)  # read again on the next page: now up to date
            messages.success(request, _("Thank you: your acceptance is recorded."))
            return redirect_back(next_path, "home")
        messages.warning(request, _("A newer version was published while you were reading. Please read it."))
        form = AcceptForm(documents=documents)
    return render(request, "legal/accept.html", {"documents": documents, "form": form, "next": next_path})
