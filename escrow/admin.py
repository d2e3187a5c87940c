"""Staff views of the money. The ledger is read-only here (rows are append-only; a
correction is a new journal); withdrawals are decided through the services."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.money import round_amount

from . import conf
from .display import money_text
from .models import (
    Account,
    CardRefund,
    Clearance,
    Journal,
    Payment,
    PayoutDetailsView,
    PayoutMethod,
    ReconciliationReport,
    SandboxCharge,
    Transfer,
    WebhookEvent,
    Withdrawal,
)
from .services import ledger_reconcile_request, payout_details_reveal, withdrawal_mark_paid, withdrawal_reject
from .services.refunds import card_refund_settle_by_staff
from .services.withdrawals import REASON_MAX_LENGTH, withdrawal_approve, withdrawal_settle_by_staff


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransferInline(admin.TabularInline):
    model = Transfer
    fk_name = "journal"
    fields = ("debit", "credit", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("debit__user", "credit__user")


class CurrencyFilter(admin.SimpleListFilter):
    title = _("currency")
    parameter_name = "currency"

    def lookups(self, request, model_admin):
        currencies = model_admin.get_queryset(request).order_by().values_list("balance_currency", flat=True)
        return [(code, code) for code in sorted(set(currencies))]

    def queryset(self, request, queryset):
        return queryset.filter(balance_currency=self.value()) if self.value() else queryset


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "user", "order_id", "balance_text", "created_at")
    list_filter = ("kind", CurrencyFilter)
    search_fields = ("user__username", "user__email", "=order_id")
    list_select_related = ("user",)
    readonly_fields = ("kind", "user", "order_id", "balance", "created_at")

    @admin.display(description=_("balance"), ordering="balance")
    def balance_text(self, account):
        return money_text(account.balance)


@admin.register(Journal)
class JournalAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "kind", "key", "order_id", "actor", "total")
    list_filter = ("kind", "created_at")
    search_fields = ("key", "=order_id", "memo")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = ("key", "kind", "request_hash", "order_id", "actor", "memo", "reverses", "created_at")
    inlines = [TransferInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total_amount=Sum("transfers__amount"))

    @admin.display(description=_("total moved"))
    def total(self, journal):
        # Journals move one currency; SQLite sums in floating point, hence the rounding.
        return money_text(round_amount(Decimal(journal.total_amount or 0), conf.currency()), conf.currency())


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "amount_text", "status", "provider", "provider_payment_id")
    list_filter = ("status", "provider")
    search_fields = ("=id", "provider_payment_id", "user__username", "user__email")
    list_select_related = ("user",)
    date_hierarchy = "created_at"

    @admin.display(description=_("amount"), ordering="amount")
    def amount_text(self, payment):
        return money_text(payment.amount)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "event_id", "event_type", "outcome", "payment")
    list_filter = ("provider", "event_type", "outcome")
    search_fields = ("event_id", "=payment__id")
    date_hierarchy = "received_at"


@admin.register(SandboxCharge)
class SandboxChargeAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "status", "card_last4", "deliver_after", "deliveries", "payment")
    list_filter = ("status",)
    search_fields = ("id", "event_id")


@admin.register(PayoutMethod)
class PayoutMethodAdmin(ReadOnlyAdmin):
    """Masked only: the full details are shown on a withdrawal's page, to staff allowed to pay it."""

    list_display = ("user", "kind", "masked", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    fields = ("user", "kind", "masked", "is_active", "created_at", "removed_at")


@admin.register(Clearance)
class ClearanceAdmin(ReadOnlyAdmin):
    list_display = ("user", "amount", "available_at", "released_journal")
    list_filter = ("available_at",)
    search_fields = ("user__username",)
    list_select_related = ("user", "released_journal")


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(ReadOnlyAdmin):
    """The reports of the nightly reconciliation, and a button to run one now."""

    list_display = ("created_at", "ok", "problem_count", "accounts_checked", "journals_checked", "duration_ms",
                    "triggered_by")  # fmt: skip
    list_filter = ("ok",)
    list_select_related = ("triggered_by",)
    readonly_fields = (
        "started_at",
        "created_at",
        "triggered_by",
        "ok",
        "totals",
        "problems_list",
        "accounts_checked",
        "journals_checked",
        "transfers_checked",
        "duration_ms",
    )
    fields = readonly_fields

    @admin.display(description=_("problems"))
    def problem_count(self, report):
        return len(report.problems)

    @admin.display(description=_("problems"))
    def problems_list(self, report):
        if not report.problems:
            return gettext("None: the books balance.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in report.problems)))

    def changelist_view(self, request, extra_context=None):
        may_run = request.user.has_perm("escrow.run_reconciliation")
        return super().changelist_view(request, {**(extra_context or {}), "may_run_reconciliation": may_run})

    def get_urls(self):
        return [
            path("run/", self.admin_site.admin_view(require_POST(self.run_view)), name="escrow_reconciliation_run"),
            *super().get_urls(),
        ]

    def run_view(self, request):
        """POST only (the button on the list). The run goes through Celery: eager in tests and
        with CELERY_TASK_ALWAYS_EAGER, so the new report is in the list the page goes back to."""
        if not request.user.has_perm("escrow.run_reconciliation"):
            raise PermissionDenied
        try:
            published = ledger_reconcile_request(actor=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            if published:
                self.message_user(
                    request,
                    gettext("The reconciliation is running; its report appears in this list when it is done."),
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    gettext("The task queue is not reachable: the reconciliation did not start. Try again later."),
                    messages.ERROR,
                )
        return redirect("admin:escrow_reconciliationreport_changelist")


@admin.register(PayoutDetailsView)
class PayoutDetailsViewAdmin(ReadOnlyAdmin):
    """The audit of who saw which withdrawal's full payout details, when and from where."""

    list_display = ("viewed_at", "viewer", "withdrawal", "payout_method", "ip")
    list_filter = ("viewed_at",)
    search_fields = ("viewer__username", "viewer__email", "=withdrawal__id", "=ip")
    list_select_related = ("viewer", "withdrawal", "payout_method")
    date_hierarchy = "viewed_at"


class RejectWithdrawalsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the freelancer sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


@admin.register(Withdrawal)
class WithdrawalAdmin(admin.ModelAdmin):
    """The withdrawal queue: staff send it through the payout provider (PAYOUT_PROVIDER), or pay
    it outside and mark it paid here, or reject it with a reason."""

    list_display = ("id", "created_at", "user", "amount_text", "destination", "status", "decided_by", "decided_at")
    list_filter = ("status", "payout_method__kind")
    search_fields = ("=id", "user__username", "user__email")
    list_select_related = ("user", "payout_method", "decided_by")
    date_hierarchy = "created_at"
    actions = ["send_through_provider", "mark_paid", "reject", "stuck_paid", "stuck_not_sent"]
    readonly_fields = (
        "user",
        "payout_method",
        "destination",
        "amount",
        "status",
        "key",
        "request_journal",
        "decision_journal",
        "decided_by",
        "decided_at",
        "reason",
        "approved_by",
        "approved_at",
        "provider",
        "provider_payout_id",
        "sent_at",
        "send_attempts",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The queue's actions need it; a withdrawal itself is never edited by hand.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount"), ordering="amount")
    def amount_text(self, withdrawal):
        return money_text(withdrawal.amount)

    @admin.display(description=_("send to"))
    def destination(self, withdrawal):
        # Masked everywhere; the full details only on the change page, with the permission.
        return withdrawal.payout_method.label

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {}), **self._payout_details_context(request, object_id)}
        return super().change_view(request, object_id, form_url, context)

    def _payout_details_context(self, request, object_id) -> dict:
        """The full details for staff with `escrow.view_payout_details` (each showing is an
        audit row: payout_details_reveal); everyone else sees the mask only."""
        withdrawal = self.get_object(request, unquote(object_id))
        if withdrawal is None or request.method != "GET" or not self.has_view_permission(request, withdrawal):
            return {}
        context = {"payout_method": withdrawal.payout_method}
        if not request.user.has_perm("escrow.view_payout_details"):
            return {**context, "payout_details_hidden": True}
        try:
            details = payout_details_reveal(
                withdrawal_id=withdrawal.pk, viewer=request.user, ip=request.META.get("REMOTE_ADDR")
            )
        except DomainError as exc:
            return {**context, "payout_details_error": exc.message}
        return {**context, "payout_details": details, "payout_details_shown": True}

    @admin.action(description=_("Send through the payout service"), permissions=["change"])
    def send_through_provider(self, request, queryset):
        self._decide(request, queryset, lambda pk: withdrawal_approve(withdrawal_id=pk, actor=request.user))

    @admin.action(description=_("Stuck: paid (seen at the gateway)"), permissions=["change"])
    def stuck_paid(self, request, queryset):
        self._decide(
            request, queryset, lambda pk: withdrawal_settle_by_staff(withdrawal_id=pk, actor=request.user, paid=True)
        )

    @admin.action(
        description=_("Stuck: not sent, money back"),
        permissions=["change"],
    )
    def stuck_not_sent(self, request, queryset):
        self._decide(
            request, queryset, lambda pk: withdrawal_settle_by_staff(withdrawal_id=pk, actor=request.user, paid=False)
        )

    @admin.action(description=_("Mark the selected withdrawals as paid"), permissions=["change"])
    def mark_paid(self, request, queryset):
        self._decide(request, queryset, lambda pk: withdrawal_mark_paid(withdrawal_id=pk, actor=request.user))

    @admin.action(description=_("Reject the selected withdrawals…"), permissions=["change"])
    def reject(self, request, queryset):
        if "apply" in request.POST:
            form = RejectWithdrawalsForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                self._decide(
                    request,
                    queryset,
                    lambda pk: withdrawal_reject(withdrawal_id=pk, actor=request.user, reason=reason),
                )
                return None
        else:
            form = RejectWithdrawalsForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject withdrawals"),
            "opts": self.model._meta,
            "withdrawals": queryset.select_related("user", "payout_method"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "escrow/admin/withdrawal_reject.html", context)

    def _decide(self, request, queryset, decide) -> None:
        done = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                decide(pk)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(n)s withdrawal(s) decided.") % {"n": done}, messages.SUCCESS)


@admin.register(CardRefund)
class CardRefundAdmin(ReadOnlyAdmin):
    """Wallet money returned to cards: decided by the provider; staff settle only one the
    provider never answered about, after checking its dashboard."""

    list_display = ("id", "created_at", "user", "amount", "status", "provider_refund_id", "send_attempts", "decided_at")
    list_filter = ("status",)
    search_fields = ("=id", "user__username", "user__email", "provider_refund_id")
    list_select_related = ("user",)
    actions = ["stuck_returned", "stuck_not_returned"]

    def has_change_permission(self, request, obj=None):
        # The two actions need it; a row itself is never edited by hand.
        return obj is None and request.user.has_perm("escrow.change_cardrefund")

    @admin.action(description=_("Stuck: returned (seen in the dashboard)"), permissions=["change"])
    def stuck_returned(self, request, queryset):
        self._settle(request, queryset, returned=True)

    @admin.action(description=_("Stuck: not returned, money back"), permissions=["change"])
    def stuck_not_returned(self, request, queryset):
        self._settle(request, queryset, returned=False)

    def _settle(self, request, queryset, *, returned: bool) -> None:
        done = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                card_refund_settle_by_staff(refund_id=pk, actor=request.user, returned=returned)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(n)s return(s) to card settled.") % {"n": done}, messages.SUCCESS)
