from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.parsing import parse_int
from marketplace.redirects import redirect_back

from . import selectors, services
from .forms import EmailPreferenceForm
from .texts import notification_detail, notification_icon, notification_path, notification_text


@require_GET
@login_required
def notifications_view(request):
    before = parse_int(request.GET.get("before"), minimum=1, maximum=2**63 - 1)
    found, next_before = selectors.notifications_page(user=request.user, before_id=before)
    items = [
        {
            "notification": notification,
            "text": notification_text(notification),
            "detail": notification_detail(notification),
            "icon": notification_icon(notification),
        }
        for notification in found
    ]
    context = {"items": items, "next_before": next_before, "older_page": before is not None}
    return render(request, "notifications/list.html", context)


@require_GET
@login_required
def notification_open_view(request, pk):
    """Opening a notification marks it read and leads to its page. A GET, so the item is a
    plain link that works without JavaScript and opens in a new tab; what it changes is the
    person's own read mark, nothing anyone else sees."""
    notification = selectors.notification_get_for_user(user=request.user, notification_id=pk)
    services.notification_mark_read(notification=notification)
    return redirect_back(notification_path(notification), "notifications:list")


@require_POST
@login_required
def notifications_read_all_view(request):
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def notification_settings_view(request):
    off = selectors.email_off(user=request.user)
    initial = {"email_on": [kind.value for kind in services.EMAIL_KINDS if kind.value not in off]}
    # Not `request.POST or None`: with every box unchecked the POST is empty, and still a choice.
    form = EmailPreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(user=request.user, email_off=form.email_off())
        messages.success(request, _("Your email settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
