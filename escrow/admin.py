"""Staff views of the money. The ledger is read-only here (rows are append-only; a
correction is a new journal); withdrawals are decided through the services."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError
from marketplace.money import round_amount

from . import conf
from .display import money_text
from .models import (
    Account,
    Clearance,
    Journal,
    Payment,
    PayoutMethod,
    ReconciliationReport,
    SandboxCharge,
    Transfer,
    WebhookEvent,
    Withdrawal,
)
from .services import withdrawal_mark_paid, withdrawal_reject
from .services.withdrawals import REASON_MAX_LENGTH


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


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "user", "order_id", "balance_text", "created_at")
    list_filter = ("kind", "balance_currency")
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
    list_display = ("user", "kind", "masked", "account", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("user__username", "user__email", "account")
    list_select_related = ("user",)


@admin.register(Clearance)
class ClearanceAdmin(ReadOnlyAdmin):
    list_display = ("user", "amount", "available_at", "released_journal")
    list_filter = ("available_at",)
    search_fields = ("user__username",)
    list_select_related = ("user", "released_journal")


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "ok", "problem_count", "accounts_checked", "journals_checked", "duration_ms")
    list_filter = ("ok",)
    readonly_fields = (
        "created_at",
        "ok",
        "totals",
        "problems",
        "accounts_checked",
        "journals_checked",
        "transfers_checked",
        "duration_ms",
    )

    @admin.display(description=_("problems"))
    def problem_count(self, report):
        return len(report.problems)


class RejectWithdrawalsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the freelancer sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


@admin.register(Withdrawal)
class WithdrawalAdmin(admin.ModelAdmin):
    """The withdrawal queue: staff pay (outside, then mark paid here) or reject with a reason."""

    list_display = ("id", "created_at", "user", "amount_text", "destination", "status", "decided_by", "decided_at")
    list_filter = ("status", "payout_method__kind")
    search_fields = ("=id", "user__username", "user__email")
    list_select_related = ("user", "payout_method", "decided_by")
    date_hierarchy = "created_at"
    actions = ["mark_paid", "reject"]
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
        method = withdrawal.payout_method
        # Staff need the full address to pay; cards are paid through the provider's vault.
        return f"{method.get_kind_display()} {method.account or method.masked}"

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
