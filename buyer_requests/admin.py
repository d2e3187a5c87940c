from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from djmoney.models.fields import CurrencyField

from marketplace.errors import DomainError

from . import services
from .forms import RejectForm
from .models import BuyerRequest, Invitation, Offer, RequestAlert, RequestEvent, RequestFile


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        # Whoever may see the request sees its files, offers and history (moderators included).
        return request.user.has_perm("buyer_requests.view_buyerrequest")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FileInline(ReadOnlyInline):
    model = RequestFile
    fields = ("download", "size", "created_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        # Through the access-checked view: request files are never public media.
        url = reverse("buyer_requests:file", args=[obj.request_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.name)


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ("freelancer", "created_at")
    readonly_fields = fields


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ("freelancer", "status", "price", "delivery_days", "revisions", "created_at", "opened_at", "order")
    readonly_fields = fields
    show_change_link = True


class EventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ("created_at", "actor", "kind", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(BuyerRequest)
class BuyerRequestAdmin(admin.ModelAdmin):
    """Requests are read-only here; moderators approve or reject them with the actions."""

    list_display = ("title", "client", "category", "status", "visibility", "budget_min", "budget_max",
                    "submitted_at", "expires_at")  # fmt: skip
    list_filter = ("status", "visibility", "category__parent", "category")
    search_fields = ("title", "description", "client__username", "client__email")
    list_select_related = ("client", "category")
    date_hierarchy = "submitted_at"
    actions = ["approve_selected", "reject_selected"]
    inlines = [FileInline, InvitationInline, OfferInline, EventInline]
    readonly_fields = (
        "title", "client", "category", "description", "budget_min", "budget_max", "desired_deadline",
        "visibility", "status", "rejection_reason", "created_at", "updated_at", "submitted_at", "published_at",
        "closed_at", "hired_at", "expires_at",
    )  # fmt: skip
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector")

    def has_add_permission(self, request):
        return False  # clients post requests on the site

    def has_moderate_permission(self, request):
        return request.user.has_perm("buyer_requests.moderate_buyerrequest")

    @admin.action(description=_("Approve selected requests"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done = 0
        for buyer_request in queryset:
            try:
                services.request_approve(request_id=buyer_request.pk, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{buyer_request}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d request approved.", "%(n)d requests approved.", done) % {"n": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject selected requests…"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for buyer_request in queryset:
                try:
                    services.request_reject(
                        request_id=buyer_request.pk, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except DomainError as exc:
                    self.message_user(request, f"{buyer_request}: {exc.message}", messages.WARNING)
            if done:
                self.message_user(
                    request,
                    ngettext("%(n)d request rejected.", "%(n)d requests rejected.", done) % {"n": done},
                    messages.SUCCESS,
                )
            return None
        return render(
            request,
            "buyer_requests/admin/reject.html",
            {**self.admin_site.each_context(request), "requests": queryset, "form": form, "opts": self.model._meta,
             "title": _("Reject requests"), "action": "reject_selected"},
        )  # fmt: skip


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("id", "request", "freelancer", "status", "price", "created_at", "opened_at", "quota_returned_at")
    list_filter = ("status",)
    search_fields = ("request__title", "freelancer__username", "freelancer__email")
    list_select_related = ("request", "freelancer")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("request__search_vector")

    def get_readonly_fields(self, request, obj=None):
        # A money field shows its currency itself.
        return [f.name for f in self.model._meta.fields if not isinstance(f, CurrencyField)]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequestAlert)
class RequestAlertAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "created_at")
    list_select_related = ("user", "category")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
