from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.images import ImageRejected

from .forms import PortfolioItemForm, PortfolioMoveForm, ProfileForm, VacationForm
from .models import PORTFOLIO_MAX_ITEMS
from .selectors import portfolio_item_get_own, portfolio_of, user_get_public
from .services import (
    PROFILE_FIELDS,
    PortfolioData,
    portfolio_item_delete,
    portfolio_item_move,
    portfolio_item_save,
    profile_ensure,
    profile_update,
    profile_vacation_set,
    seller_activate,
    seller_deactivate,
)


def profile_detail_view(request, username):
    person = user_get_public(username=username)
    portfolio = portfolio_of(owner=person) if person.is_seller else []
    return render(
        request,
        "accounts/profile_detail.html",
        {"person": person, "profile": person.profile, "is_owner": request.user == person, "portfolio": portfolio},
    )


@login_required
def settings_profile_view(request):
    profile = profile_ensure(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = {field: form.cleaned_data[field] for field in PROFILE_FIELDS}
            try:
                profile_update(
                    user=request.user,
                    data=data,
                    avatar=form.cleaned_data["avatar"],
                    remove_avatar=form.cleaned_data["remove_avatar"],
                )
            except ImageRejected as exc:
                form.add_error("avatar", exc.message)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:settings")
    else:
        form = ProfileForm(initial={field: getattr(profile, field) for field in PROFILE_FIELDS})
    return render(request, "accounts/settings_profile.html", {"form": form, "profile": profile})


@require_POST
@login_required
def selling_switch_view(request):
    try:
        if request.POST.get("action") == "stop":
            seller_deactivate(user=request.user)
            messages.info(request, _("You no longer appear as a freelancer. You can start again at any time."))
        else:
            seller_activate(user=request.user)
            messages.success(request, _("Welcome, freelancer! Fill in your profile, then create your first gig."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:settings")


@login_required
def settings_vacation_view(request):
    profile = profile_ensure(user=request.user)
    if request.method == "POST":
        form = VacationForm(request.POST)
        if form.is_valid():
            try:
                profile_vacation_set(
                    user=request.user,
                    on=form.cleaned_data["on_vacation"],
                    note=form.cleaned_data["vacation_note"],
                    until=form.cleaned_data["vacation_until"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if form.cleaned_data["on_vacation"]:
                    messages.success(request, _("You are on vacation: your gigs are hidden until you come back."))
                else:
                    messages.success(request, _("Welcome back: your gigs are in the catalog again."))
                return redirect("accounts:vacation")
    else:
        form = VacationForm(
            initial={
                "on_vacation": profile.on_vacation,
                "vacation_note": profile.vacation_note,
                "vacation_until": profile.vacation_until,
            }
        )
    return render(request, "accounts/settings_vacation.html", {"form": form, "profile": profile})


@login_required
def portfolio_list_view(request):
    items = portfolio_of(owner=request.user)
    return render(
        request,
        "accounts/settings_portfolio.html",
        {"items": items, "max_items": PORTFOLIO_MAX_ITEMS, "full": len(items) >= PORTFOLIO_MAX_ITEMS},
    )


@login_required
def portfolio_editor_view(request, item_id=None):
    """Add a work (no `item_id`) or edit one of the person's own works (anyone else's: 404)."""
    item = portfolio_item_get_own(owner=request.user, item_id=item_id) if item_id is not None else None
    images = item.ordered_images if item is not None else []
    image_ids = [image.pk for image in images]
    if request.method == "POST":
        form = PortfolioItemForm(request.POST, request.FILES, owner=request.user, image_ids=image_ids)
        if form.is_valid():
            data = PortfolioData(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                category_id=form.cleaned_data["category"],
                gig_id=form.cleaned_data["gig"],
            )
            try:
                portfolio_item_save(
                    owner=request.user,
                    data=data,
                    item_id=item_id,
                    new_images=form.cleaned_data["new_images"],
                    delete_image_ids=form.cleaned_data["delete_images"],
                    cover_image_id=form.cleaned_data["cover"],
                )
            except ImageRejected as exc:
                form.add_error("new_images", exc.message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The work is in your portfolio."))
                return redirect("accounts:portfolio")
    else:
        initial = {}
        if item is not None:
            initial = {"title": item.title, "description": item.description, "category": item.category_id,
                       "gig": item.gig_id}  # fmt: skip
        form = PortfolioItemForm(initial=initial, owner=request.user, image_ids=image_ids)
    return render(request, "accounts/portfolio_editor.html", {"form": form, "item": item, "images": images})


@require_POST
@login_required
def portfolio_delete_view(request, item_id):
    item = portfolio_item_get_own(owner=request.user, item_id=item_id)
    portfolio_item_delete(owner=request.user, item_id=item.pk)
    messages.info(request, _("The work is deleted from your portfolio."))
    return redirect("accounts:portfolio")


@require_POST
@login_required
def portfolio_move_view(request, item_id):
    item = portfolio_item_get_own(owner=request.user, item_id=item_id)
    form = PortfolioMoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    portfolio_item_move(owner=request.user, item_id=item.pk, up=form.cleaned_data["direction"] == "up")
    if request.headers.get("HX-Request"):
        return render(request, "accounts/_portfolio_rows.html", {"items": portfolio_of(owner=request.user)})
    return redirect("accounts:portfolio")
