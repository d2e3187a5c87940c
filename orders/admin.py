from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError

from . import services
from .forms import DisputeResolveForm
from .models import Delivery, Dispute, Order, OrderEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "actor", "kind", "from_status", "to_status", "note")
    readonly_fields = fields


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ("number", "created_at", "message", "revision_reason")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are read-only here: every change goes through the services (disputes below)."""

    list_display = ("id", "gig_title", "buyer", "seller", "status", "total", "deadline_at", "created_at")
    list_filter = ("status", "cancel_kind")
    search_fields = ("id", "gig_title", "buyer__username", "seller__username", "buyer__email", "seller__email")
    list_select_related = ("buyer", "seller")
    inlines = [DeliveryInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ("order_link", "opened_by", "opened_at", "state", "outcome", "resolved_by")
    list_filter = ("outcome", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("order__id", "order__gig_title", "reason")
    readonly_fields = (
        "order_link", "opened_by", "opened_at", "reason", "outcome", "seller_percent", "decision", "resolved_by",
        "resolved_at", "resolve_link", "thread_link",
    )  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("order"))
    def order_link(self, obj):
        return format_html(
            '<a href="{}">#{} {}</a>', reverse("admin:orders_order_change", args=[obj.order_id]), obj.order_id,
            obj.order.gig_title,
        )  # fmt: skip

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("open") if obj.is_open else _("resolved")

    @admin.display(description=_("resolve"))
    def resolve_link(self, obj):
        if not obj.is_open:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:orders_dispute_resolve", args=[obj.pk]),
                           _("Resolve this dispute"))  # fmt: skip

    @admin.display(description=_("messages"))
    def thread_link(self, obj):
        url = reverse("admin:messaging_conversation_for_order", args=[obj.order_id])
        return format_html('<a href="{}">{}</a>', url, _("Read the order's messages"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("orders.resolve_dispute") or super().has_change_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<id:dispute_id>/resolve/",
                self.admin_site.admin_view(self.resolve_view),
                name="orders_dispute_resolve",
            ),
            *super().get_urls(),
        ]

    def resolve_view(self, request, dispute_id):
        if not request.user.has_perm("orders.resolve_dispute"):
            raise PermissionDenied
        dispute = get_object_or_404(Dispute.objects.select_related("order__buyer", "order__seller"), pk=dispute_id)
        form = DisputeResolveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.dispute_resolve(
                    order_id=dispute.order_id,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    seller_percent=form.cleaned_data.get("seller_percent"),
                    decision=form.cleaned_data["decision"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("The dispute is resolved and both parties can see the decision."),
                                  messages.SUCCESS)  # fmt: skip
                return redirect("admin:orders_dispute_change", dispute.pk)
        order = dispute.order
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Resolve the dispute on order #%(id)s") % {"id": order.pk},
            "dispute": dispute,
            "order": order,
            "events": order.events.select_related("actor"),
            "deliveries": order.deliveries.all(),
            "form": form,
        }
        return TemplateResponse(request, "admin/orders/resolve_dispute.html", context)
