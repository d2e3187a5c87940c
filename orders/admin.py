from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import CurrencyField

from escrow.display import money_text, rate_text
from marketplace.errors import DomainError
from marketplace.uploads import private_file_response

from . import services
from .evidence import order_evidence_by_party
from .forms import DisputeResolveForm
from .models import Delivery, Dispute, Order, OrderEvent, OrderFile


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

    list_display = ("id", "gig_title", "buyer", "seller", "status", "total_text", "fee_rate_text", "deadline_at",
                    "created_at")  # fmt: skip
    list_filter = ("status", "cancel_kind")
    search_fields = ("id", "gig_title", "buyer__username", "seller__username", "buyer__email", "seller__email")
    list_select_related = ("buyer", "seller")
    inlines = [DeliveryInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        # The stored rate (0.2000000000) is shown as people read it (20 %); a money field shows
        # its currency itself, so the currency columns are left out.
        return [
            ("fee_rate_text" if f.name == "fee_rate" else f.name)
            for f in self.model._meta.fields
            if not isinstance(f, CurrencyField)
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("total"), ordering="total")
    def total_text(self, obj):
        return money_text(obj.total)

    @admin.display(description=_("fee rate"), ordering="fee_rate")
    def fee_rate_text(self, obj):
        return rate_text(obj.fee_rate)

    def get_urls(self):
        return [
            path(
                "<id:order_id>/files/<id:file_id>/",
                self.admin_site.admin_view(self.file_view),
                name="orders_order_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, order_id, file_id):
        """An order's file for staff (the dispute page links here): private storage, never a public URL."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(OrderFile, order_id=order_id, pk=file_id)
        return private_file_response(item.file, filename=item.name)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ("order_link", "opened_by", "opened_at", "state", "outcome", "fee_rate", "resolved_by")
    list_select_related = ("order", "opened_by", "resolved_by")
    list_filter = ("outcome", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("order__id", "order__gig_title", "reason")
    readonly_fields = (
        "order_link", "fee_rate", "opened_by", "opened_at", "reason", "outcome", "seller_percent", "decision",
        "resolved_by", "resolved_at", "evidence_files", "resolve_link", "thread_link",
    )  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("order"))
    def order_link(self, obj):
        return format_html(
            '<a href="{}">#{} {}</a>', reverse("admin:orders_order_change", args=[obj.order_id]), obj.order_id,
            obj.order.gig_title,
        )  # fmt: skip

    @admin.display(description=_("fee rate"), ordering="order__fee_rate")
    def fee_rate(self, obj):
        return rate_text(obj.order.fee_rate)

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("open") if obj.is_open else _("resolved")

    @admin.display(description=_("resolve"))
    def resolve_link(self, obj):
        if not obj.is_open:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:orders_dispute_resolve", args=[obj.pk]),
                           _("Resolve this dispute"))  # fmt: skip

    @admin.display(description=_("evidence files"))
    def evidence_files(self, obj):
        context = {"evidence": order_evidence_by_party(order=obj.order), "without_heading": True}
        return render_to_string("admin/orders/_evidence.html", context)

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
        """The decision form. "Preview" re-renders it with what each side would get (nothing is
        saved); "Resolve" moves the money. Both read `dispute_split_amounts`."""
        if not request.user.has_perm("orders.resolve_dispute"):
            raise PermissionDenied
        dispute = get_object_or_404(Dispute.objects.select_related("order__buyer", "order__seller"), pk=dispute_id)
        order = dispute.order
        form = DisputeResolveForm(request.POST or None)
        preview = None
        if request.method == "POST" and "preview" in request.POST:
            form.is_valid()
            form.errors.pop("decision", None)  # not needed to see the figures
            outcome = form.cleaned_data.get("outcome")
            percent = {"release": 100, "refund": 0}.get(outcome, form.cleaned_data.get("seller_percent"))
            if outcome and percent is not None:
                preview = services.dispute_split_amounts(order=order, seller_percent=percent)
        elif request.method == "POST" and form.is_valid():
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Resolve the dispute on order #%(id)s") % {"id": order.pk},
            "dispute": dispute,
            "order": order,
            "events": order.events.select_related("actor"),
            "deliveries": order.deliveries.all(),
            "evidence": order_evidence_by_party(order=order),
            "form": form,
            "preview": preview,
        }
        template = "admin/orders/_split_preview.html" if request.headers.get("HX-Request") else None
        return TemplateResponse(request, template or "admin/orders/resolve_dispute.html", context)
