from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Review


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the author and the subject see it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "order", "role", "author", "subject", "rating", "visible_at", "hidden_at")
    list_filter = (
        "role",
        "rating",
        ("visible_at", admin.EmptyFieldListFilter),
        ("hidden_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("text", "author__username", "subject__username", "order__id")
    list_select_related = ("author", "subject", "order")
    actions = ["hide_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Hide the selected reviews…"), permissions=["change"])
    def hide_selected(self, request, queryset):
        form = HideForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for review in queryset:
                services.review_hide(review_id=review.pk, actor=request.user, reason=form.cleaned_data["reason"])
            n = queryset.count()
            self.message_user(request, ngettext("%(n)d review hidden.", "%(n)d reviews hidden.", n) % {"n": n},
                              messages.SUCCESS)  # fmt: skip
            return None
        return render(request, "admin/reviews/hide.html", {
            **self.admin_site.each_context(request), "reviews": queryset, "form": form, "opts": self.model._meta,
            "title": _("Hide reviews"),
        })  # fmt: skip
