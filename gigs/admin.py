from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.errors import DomainError

from . import services
from .models import Category, Gig, GigEvent, GigExtra, GigFaq, GigImage, GigPackage, GigQuestion


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_ru", "name_en", "slug", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("name_ru", "name_en", "slug")
    ordering = ("parent__position", "position")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PackageInline(ReadOnlyInline):
    model = GigPackage
    fields = ("tier", "name", "price", "delivery_days", "revisions", "description")


class ExtraInline(ReadOnlyInline):
    model = GigExtra
    fields = ("title", "price", "extra_days", "urgent_days")


class ImageInline(ReadOnlyInline):
    model = GigImage
    fields = ("image", "thumbnail", "position")


class QuestionInline(ReadOnlyInline):
    model = GigQuestion
    fields = ("text", "kind", "choices", "required")


class FaqInline(ReadOnlyInline):
    model = GigFaq
    fields = ("question", "answer")


class EventInline(ReadOnlyInline):
    model = GigEvent
    fields = ("created_at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the freelancer sees it)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


@admin.register(Gig)
class GigAdmin(admin.ModelAdmin):
    list_display = ("title", "seller", "category", "status", "price_from", "submitted_at", "published_at")
    list_filter = ("status", "category__parent", "category")
    search_fields = ("title", "seller__username", "seller__email")
    list_select_related = ("seller", "category")
    date_hierarchy = "submitted_at"
    actions = ["approve_selected", "reject_selected"]
    inlines = [PackageInline, ExtraInline, ImageInline, QuestionInline, FaqInline, EventInline]
    readonly_fields = (
        "title", "category", "description", "tags", "seller", "status", "rejection_reason", "price_from",
        "days_min", "rating_avg", "rating_count", "orders_count", "views_count", "created_at", "updated_at",
        "submitted_at", "published_at",
    )  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # gigs are created by freelancers in the editor

    def has_moderate_permission(self, request):
        return request.user.has_perm("gigs.moderate_gig")

    @admin.action(description=_("Approve selected gigs"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done = 0
        for gig in queryset:
            try:
                services.gig_approve(gig_id=gig.pk, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{gig}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request, ngettext("%(n)d gig approved.", "%(n)d gigs approved.", done) % {"n": done}, messages.SUCCESS
            )

    @admin.action(description=_("Reject selected gigs…"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for gig in queryset:
                try:
                    services.gig_reject(gig_id=gig.pk, actor=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except DomainError as exc:
                    self.message_user(request, f"{gig}: {exc.message}", messages.WARNING)
            if done:
                self.message_user(
                    request,
                    ngettext("%(n)d gig rejected.", "%(n)d gigs rejected.", done) % {"n": done},
                    messages.SUCCESS,
                )
            return None
        return render(
            request,
            "admin/gigs/reject.html",
            {**self.admin_site.each_context(request), "gigs": queryset, "form": form, "opts": self.model._meta,
             "title": _("Reject gigs"), "action": "reject_selected"},
        )  # fmt: skip
