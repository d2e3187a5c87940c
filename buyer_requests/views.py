from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import user_get_public
from marketplace.errors import DomainError
from marketplace.redirects import redirect_back
from marketplace.uploads import private_file_response

from . import conf, selectors, services
from .forms import AlertsForm, BoardFilterForm, DeclineForm, InviteForm, OfferForm, RequestForm
from .models import BuyerRequest, Offer

S = BuyerRequest.Status


def _request_data(form: RequestForm) -> services.RequestData:
    data = form.cleaned_data
    return services.RequestData(
        title=data["title"],
        description=data["description"],
        category_id=data["category"],
        budget_min=data["budget_min"],
        budget_max=data.get("budget_max"),
        desired_deadline=data.get("desired_deadline"),
        visibility=data["visibility"],
    )


def _offer_data(form: OfferForm) -> services.OfferData:
    data = form.cleaned_data
    return services.OfferData(
        message=data["message"],
        price=data["price"],
        delivery_days=data["delivery_days"],
        revisions=data["revisions"],
        gig_id=data.get("gig"),
        milestones=data.get("milestones") or [],
    )


# --- the board ------------------------------------------------------------------------------------


@require_GET
@login_required
@vary_on_headers("HX-Request")
def board_view(request):
    form = BoardFilterForm(request.GET)
    params = form.cleaned_or_defaults()
    query = selectors.BoardQuery(**params)
    page = Paginator(selectors.board(user=request.user, query=query), conf.board_page_size()).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "query": query,
        "page": page,
        "quota": selectors.offer_quota(freelancer=request.user) if request.user.is_seller else None,
        "filtered": any(params.get(k) for k in ("q", "category", "budget_min", "budget_max")),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "board-results":
        return render(request, "buyer_requests/_board_results.html", context)
    return render(request, "buyer_requests/board.html", context)


# --- the client's side of a request ------------------------------------------------------------


@login_required
def request_create_view(request):
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            buyer_request = services.request_create(
                client=request.user, data=_request_data(form), files=form.cleaned_data["attachments"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request is sent to moderation. It usually takes a few hours."))
            return redirect("buyer_requests:detail", pk=buyer_request.pk)
    return render(request, "buyer_requests/form.html", {"form": form, "buyer_request": None})


@login_required
def request_edit_view(request, pk):
    buyer_request = selectors.request_get_own(client=request.user, request_id=pk)
    if buyer_request.is_hired:
        messages.error(request, _("You have hired a freelancer for this request; post a new request instead."))
        return redirect("buyer_requests:detail", pk=pk)
    files = list(buyer_request.files.all())
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        existing_files=files,
        initial=RequestForm.initial_for(buyer_request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                request_id=buyer_request.pk,
                client=request.user,
                data=_request_data(form),
                files=form.cleaned_data["attachments"],
                delete_file_ids=form.cleaned_data.get("delete_files") or [],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            buyer_request.refresh_from_db(fields=["status"])
            if buyer_request.status == S.PENDING:
                messages.success(request, _("Saved. The request is back on moderation."))
            else:
                messages.success(request, _("Saved."))
            return redirect("buyer_requests:detail", pk=pk)
    return render(request, "buyer_requests/form.html", {"form": form, "buyer_request": buyer_request})


@require_POST
@login_required
def request_close_view(request, pk):
    buyer_request = selectors.request_get_own(client=request.user, request_id=pk)
    try:
        services.request_close(request_id=buyer_request.pk, client=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request is closed. You can renew it at any time."))
    return redirect("buyer_requests:detail", pk=pk)


@require_POST
@login_required
def request_renew_view(request, pk):
    buyer_request = selectors.request_get_own(client=request.user, request_id=pk)
    try:
        renewed = services.request_renew(request_id=buyer_request.pk, client=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if renewed.status == S.PENDING:
            messages.success(request, _("You changed the request, so it goes to moderation first."))
        else:
            messages.success(request, _("The request is active again for %(n)s days.") % {"n": conf.expiry_days()})
    return redirect("buyer_requests:detail", pk=pk)


@require_GET
@login_required
def compare_view(request, pk):
    """The client's offers side by side. Opening it marks every offer as opened."""
    buyer_request = selectors.request_get_own(client=request.user, request_id=pk)
    services.offers_mark_opened(request_id=buyer_request.pk, client=request.user)
    offers = selectors.offers_for_client(buyer_request=buyer_request)
    rows = [(offer, DeclineForm(auto_id=f"id_decline_{offer.pk}_%s")) for offer in offers]
    return render(
        request,
        "buyer_requests/compare.html",
        {"buyer_request": buyer_request, "rows": rows, "can_hire": buyer_request.status == S.ACTIVE},
    )


@require_POST
@login_required
def offer_accept_view(request, offer_id):
    offer = selectors.offer_get_for_client(client=request.user, offer_id=offer_id)
    try:
        order = services.offer_accept(offer_id=offer.pk, client=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("buyer_requests:compare", pk=offer.request_id)
    messages.success(request, _("You hired %(name)s. Pay for the order to start the work.") % {
        "name": offer.freelancer.display_name
    })  # fmt: skip
    return redirect("orders:pay", order_id=order.pk)


@require_POST
@login_required
def offer_decline_view(request, offer_id):
    offer = selectors.offer_get_for_client(client=request.user, offer_id=offer_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long."))
        return redirect("buyer_requests:compare", pk=offer.request_id)
    try:
        services.offer_decline(offer_id=offer.pk, client=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Offer declined."))
    return redirect("buyer_requests:compare", pk=offer.request_id)


@require_POST
@login_required
def invite_view(request, username):
    person = user_get_public(username=username)
    candidates = selectors.requests_to_invite(client=request.user, freelancer=person)
    if not candidates:
        raise Http404
    form = InviteForm(request.POST, requests=candidates)
    if form.is_valid():
        try:
            services.invitation_create(
                request_id=form.cleaned_data["buyer_request"], client=request.user, freelancer=person
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s is invited. We have emailed them.") % {"name": person.display_name})
    else:
        messages.error(request, _("Choose one of your active requests."))
    return redirect_back(request.POST.get("next"), "accounts:profile", username=person.username)


@require_GET
@login_required
def my_requests_view(request):
    page = Paginator(selectors.requests_of_client(client=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "buyer_requests/mine.html", {"page": page})


# --- the request page and the freelancer's side ---------------------------------------------------


def _render_detail(request, buyer_request: BuyerRequest, *, offer_form: OfferForm | None = None, status: int = 200):
    user = request.user
    is_client = user.pk == buyer_request.client_id
    my_offer = None if is_client else selectors.offer_of(freelancer=user, buyer_request=buyer_request)
    can_offer = (
        not is_client
        and my_offer is None
        and user.is_seller
        and buyer_request.status == S.ACTIVE
        and (
            buyer_request.visibility == BuyerRequest.Visibility.PUBLIC
            or selectors.is_invited(user=user, buyer_request=buyer_request)
        )
    )
    quota = selectors.offer_quota(freelancer=user) if can_offer else None
    if offer_form is not None and not can_offer:
        # The request stopped taking offers meanwhile: there is no form to show the error in.
        for error in offer_form.non_field_errors():
            messages.error(request, error)
    if can_offer and offer_form is None:
        offer_form = OfferForm(freelancer=user)
    context = {
        "buyer_request": buyer_request,
        "is_client": is_client,
        "files": list(buyer_request.files.all()),
        "can_download": selectors.can_download_files(user=user, buyer_request=buyer_request),
        "offers_count": selectors.offer_count(buyer_request=buyer_request),
        "my_offer": my_offer,
        "can_offer": can_offer,
        "offer_form": offer_form if can_offer else None,
        "quota": quota,
        "expiry_days": conf.expiry_days(),
    }
    return render(request, "buyer_requests/detail.html", context, status=status)


@require_GET
@login_required
def request_detail_view(request, pk):
    buyer_request = selectors.request_get_for_viewer(user=request.user, request_id=pk)
    return _render_detail(request, buyer_request)


@require_POST
@login_required
def offer_send_view(request, pk):
    buyer_request = selectors.request_get_for_viewer(user=request.user, request_id=pk)
    form = OfferForm(request.POST, freelancer=request.user)
    if form.is_valid():
        try:
            services.offer_send(request_id=buyer_request.pk, freelancer=request.user, data=_offer_data(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your offer is sent. We will email you when the client answers."))
            return redirect("buyer_requests:detail", pk=pk)
    return _render_detail(request, buyer_request, offer_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def offer_edit_view(request, offer_id):
    offer = selectors.offer_get_own(freelancer=request.user, offer_id=offer_id)
    if offer.status != Offer.Status.SENT:
        messages.error(request, _("The client has answered this offer: it can no longer be changed."))
        return redirect("buyer_requests:detail", pk=offer.request_id)
    form = OfferForm(request.POST or None, freelancer=request.user, initial=OfferForm.initial_for(offer))
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_edit(offer_id=offer.pk, freelancer=request.user, data=_offer_data(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your offer is updated."))
            return redirect("buyer_requests:detail", pk=offer.request_id)
    return render(request, "buyer_requests/offer_form.html", {"form": form, "offer": offer})


@require_POST
@login_required
def offer_withdraw_view(request, offer_id):
    offer = selectors.offer_get_own(freelancer=request.user, offer_id=offer_id)
    try:
        services.offer_withdraw(offer_id=offer.pk, freelancer=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect("buyer_requests:detail", pk=offer.request_id)


@require_GET
@login_required
def request_file_view(request, pk, file_id):
    item = selectors.request_file_get(user=request.user, request_id=pk, file_id=file_id)
    return private_file_response(item.file, filename=item.name)


@require_GET
@login_required
def my_offers_view(request):
    page = Paginator(selectors.offers_of_freelancer(freelancer=request.user), 20).get_page(request.GET.get("page"))
    quota = selectors.offer_quota(freelancer=request.user) if request.user.is_seller else None
    return render(
        request,
        "buyer_requests/my_offers.html",
        {"page": page, "quota": quota, "return_days": conf.offer_return_days()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def alerts_view(request):
    current = selectors.alert_category_ids(user=request.user)
    form = AlertsForm(request.POST or None, initial={"categories": sorted(current)})
    if request.method == "POST" and form.is_valid():
        try:
            chosen = services.request_alerts_set(user=request.user, category_ids=form.cleaned_data["categories"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if chosen:
                messages.success(request, _("Saved. We will email you about new requests at most once an hour."))
            else:
                messages.success(request, _("Saved. You will get no emails about new requests."))
            return redirect("buyer_requests:alerts")
    return render(request, "buyer_requests/alerts.html", {"form": form, "current": current})
