from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.images import ImageRejected

from .forms import ProfileForm
from .selectors import user_get_public
from .services import (
    PROFILE_FIELDS,
    profile_ensure,
    profile_update,
    seller_activate,
    seller_deactivate,
)


def profile_detail_view(request, username):
    person = user_get_public(username=username)
    return render(
        request,
        "accounts/profile_detail.html",
        {"person": person, "profile": person.profile, "is_owner": request.user == person},
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
