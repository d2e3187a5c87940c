"""The ledger (accounts, journals, transfers) and the money that enters and leaves it
(payments, webhook events, payout methods, withdrawals).

Ledger rows are append-only: nothing here is ever updated or deleted except the cached
`Account.balance`, which the ledger services move with `F()` in the same transaction as
the transfers that explain it. The database states every rule it can (see `Meta`), and on
PostgreSQL triggers refuse UPDATE and DELETE on journals and transfers (migration 0002).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

CURRENCY = settings.MARKETPLACE_CURRENCY


class Account(models.Model):
    """One pot of money. `balance` is credits minus debits; only the outside world
    (money that came from or went to payment providers) may be negative."""

    class Kind(models.TextChoices):
        WALLET = "wallet", _("Wallet (available)")
        WALLET_PENDING = "wallet_pending", _("Wallet (pending)")
        ESCROW = "escrow", _("Order escrow")
        REVENUE = "revenue", _("Platform revenue")
        PAYOUTS = "payouts", _("Payouts in flight")
        WORLD = "world", _("Outside world")

    USER_KINDS = (Kind.WALLET, Kind.WALLET_PENDING)
    SYSTEM_KINDS = (Kind.REVENUE, Kind.PAYOUTS, Kind.WORLD)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("user"),
    )
    order_id = models.PositiveBigIntegerField(_("order"), null=True, blank=True)
    balance = MoneyField(_("balance"), max_digits=20, decimal_places=2, default=0, default_currency=CURRENCY)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="world") | Q(balance__gte=0),
                name="ledger_account_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["wallet", "wallet_pending"], user__isnull=False, order_id__isnull=True)
                    | Q(kind="escrow", user__isnull=True, order_id__isnull=False)
                    | Q(kind__in=["revenue", "payouts", "world"], user__isnull=True, order_id__isnull=True)
                ),
                name="ledger_account_owner_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "user", "balance_currency"],
                condition=Q(user__isnull=False),
                name="ledger_account_one_per_user_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "order_id", "balance_currency"],
                condition=Q(order_id__isnull=False),
                name="ledger_account_one_per_order",
            ),
            models.UniqueConstraint(
                fields=["kind", "balance_currency"],
                condition=Q(user__isnull=True, order_id__isnull=True),
                name="ledger_account_one_per_system_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind in self.USER_KINDS:
            return f"{self.get_kind_display()}: {self.user} ({self.balance_currency})"
        if self.kind == self.Kind.ESCROW:
            return f"{self.get_kind_display()} #{self.order_id} ({self.balance_currency})"
        return f"{self.get_kind_display()} ({self.balance_currency})"

    @property
    def currency(self) -> str:
        return str(self.balance_currency)


class Journal(models.Model):
    """One business operation. Its transfers commit together with the state change they pay for;
    `key` makes the operation idempotent and `request_hash` tells a retry from a different request."""

    class Kind(models.TextChoices):
        TOP_UP = "top_up", _("Top-up")
        HOLD = "hold", _("Payment held")
        SETTLE = "settle", _("Payment released")
        REFUND = "refund", _("Refund")
        SPLIT = "split", _("Split")
        CLEARANCE = "clearance", _("Earnings cleared")
        WITHDRAWAL = "withdrawal", _("Withdrawal requested")
        WITHDRAWAL_PAID = "withdrawal_paid", _("Withdrawal paid")
        WITHDRAWAL_REJECTED = "withdrawal_rejected", _("Withdrawal rejected")
        CARD_REFUND = "card_refund", _("Return to card requested")
        CARD_REFUND_DONE = "card_refund_done", _("Returned to card")
        CARD_REFUND_FAILED = "card_refund_failed", _("Return to card failed")
        REVERSAL = "reversal", _("Reversal")

    # Journals that take money out of an order's escrow account.
    RELEASE_KINDS = (Kind.SETTLE, Kind.REFUND, Kind.SPLIT)

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    request_hash = models.CharField(_("request hash"), max_length=64)
    order_id = models.PositiveBigIntegerField(_("order"), null=True, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    # A correction never edits the old journal: a reversal points at it, at most once.
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    # Not a column: `ledger_post` sets it on the journal it returns, True when the key had
    # been posted before and nothing moved this time.
    is_replay = False

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(reverses__isnull=False))
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="ledger_journal_reversal_points_back",
            ),
            models.CheckConstraint(condition=~Q(key=""), name="ledger_journal_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.key


class Transfer(models.Model):
    """Money moving from one account (debit) to another (credit): both sides in one row,
    so an entry can never be one-sided."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("journal"))
    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="debits", verbose_name=_("debit account"))
    credit = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="credits", verbose_name=_("credit account")
    )
    amount = MoneyField(_("amount"), max_digits=16, decimal_places=2, default_currency=CURRENCY)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="ledger_transfer_two_accounts"),
        ]

    def __str__(self) -> str:
        return f"{self.debit_id} -> {self.credit_id}: {self.amount}"


class PairTurnover(models.Model):
    """What one buyer has paid one seller through settled orders: the base of the fee tiers.

    It is a cache of the ledger, like `Account.balance`: `ledger_post` moves it in the same
    transaction as the journal that explains it (a settle or a split adds what left the
    escrow for anyone but the buyer, the fee included; the reversal of one takes it back;
    refunds never count), so the fee rate of a new order reads one row instead of a
    four-join aggregate over every settlement. The nightly reconciliation recomputes it."""

    # No index of its own: the unique constraint below starts with the buyer.
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer"), db_index=False
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    amount = MoneyField(_("turnover"), max_digits=20, decimal_places=2, default=0, default_currency=CURRENCY)

    class Meta:
        verbose_name = _("turnover between a buyer and a seller")
        verbose_name_plural = _("turnovers between buyers and sellers")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "seller", "amount_currency"], name="ledger_pair_turnover_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_pair_turnover_not_negative"),
            models.CheckConstraint(condition=~Q(buyer=F("seller")), name="ledger_pair_turnover_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} -> {self.seller_id}: {self.amount}"


class Payment(models.Model):
    """Money coming in through a payment provider. It becomes a top-up only when the
    provider's signed webhook says so; the browser coming back proves nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Processing")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments", verbose_name=_("user")
    )
    amount = MoneyField(_("amount"), max_digits=16, decimal_places=2, default_currency=CURRENCY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(_("provider"), max_length=32)
    provider_payment_id = models.CharField(_("provider's payment id"), max_length=100, blank=True)
    # Where the browser goes once the money is in (a local path): the wallet, or the order being paid.
    next_url = models.CharField(_("next page"), max_length=500, blank=True)
    # A top-up started from an order's payment page: when it comes in, the webhook pays that
    # order in the same transaction (escrow knows the order only by its id; see conf.order_payer).
    order_id = models.PositiveBigIntegerField(_("order paid with it"), null=True, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=255, blank=True)
    journal = models.OneToOneField(
        Journal, on_delete=models.PROTECT, null=True, blank=True, related_name="payment", verbose_name=_("journal")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=(Q(status="succeeded") & Q(journal__isnull=False))
                | (~Q(status="succeeded") & Q(journal__isnull=True)),
                name="payment_succeeded_has_journal",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="payment_provider_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} ({self.status})"


class WebhookEvent(models.Model):
    """Each provider event is recorded once: a repeated delivery finds its row and moves nothing."""

    class Outcome(models.TextChoices):
        TOPPED_UP = "topped_up", _("Wallet topped up")
        PAYMENT_FAILED = "payment_failed", _("Payment marked failed")
        REFUND_DECIDED = "refund_decided", _("Return to card decided")
        PAYOUT_DECIDED = "payout_decided", _("Payout decided")
        IGNORED = "ignored", _("Nothing to do")

    provider = models.CharField(_("provider"), max_length=32)
    event_id = models.CharField(_("event id"), max_length=100)
    event_type = models.CharField(_("event type"), max_length=64)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="webhook_events",
        verbose_name=_("payment"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    payload = models.JSONField(_("payload"), default=dict)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class SandboxCharge(models.Model):
    """The sandbox provider's own side of a payment: what a real provider keeps in its
    database (never the card number: the last four digits only)."""

    class Status(models.TextChoices):
        AWAITING_CARD = "awaiting_card", _("Awaiting card")
        PROCESSING = "processing", _("Processing")
        SUCCEEDED = "succeeded", _("Succeeded")
        DECLINED = "declined", _("Declined")

    id = models.CharField(primary_key=True, max_length=40, verbose_name=_("charge id"))
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="sandbox_charge", verbose_name=_("payment")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AWAITING_CARD)
    card_last4 = models.CharField(_("card, last 4 digits"), max_length=4, blank=True)
    event_id = models.CharField(_("event id"), max_length=40, blank=True)
    deliver_after = models.DateTimeField(_("deliver webhook after"), null=True, blank=True, db_index=True)
    deliveries = models.PositiveIntegerField(_("webhook deliveries"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("sandbox charge")
        verbose_name_plural = _("sandbox charges")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.id


class PayoutMethod(models.Model):
    """Where a freelancer's withdrawals go. Lists show it masked (•••• 4242); the full details
    (card number, e-mail, purse or wallet) staff need to pay are kept encrypted in `details`
    (escrow/payout_details.py) and shown only to staff with `escrow.view_payout_details`,
    each time with a PayoutDetailsView row."""

    class Kind(models.TextChoices):
        CARD = "card", _("Bank card")
        PAYPAL = "paypal", _("PayPal")
        WEBMONEY = "webmoney", _("WebMoney")
        YOOMONEY = "yoomoney", _("YooMoney")
        SBP = "sbp", _("SBP (phone number)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_methods", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    masked = models.CharField(_("shown as"), max_length=80)
    # A Fernet token of the full details, never the details themselves; empty for cards added
    # before the details were kept (only their last 4 digits are known).
    details = models.TextField(_("payout details (encrypted)"), blank=True, editable=False)
    # HMAC of the full identifier: spots the same card added twice without decrypting anything.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout method")
        verbose_name_plural = _("payout methods")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "fingerprint"],
                condition=Q(is_active=True),
                name="payout_method_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, removed_at__isnull=True) | Q(is_active=False, removed_at__isnull=False),
                name="payout_method_removed_at_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.get_kind_display()} {self.masked}"


class Withdrawal(models.Model):
    """A freelancer's request to send money out. The amount leaves the wallet at once (to
    payouts in flight) and is decided once: paid (it leaves for the world) or rejected or
    failed (it returns to the wallet). Staff mark it paid by hand, or approve it for the
    payout provider, which sends it (`sending`) and reports the result."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SENDING = "sending", _("Being sent")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Not delivered")

    OPEN_STATUSES = (Status.REQUESTED, Status.SENDING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("user")
    )
    payout_method = models.ForeignKey(
        PayoutMethod, on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("payout method")
    )
    amount = MoneyField(_("amount"), max_digits=16, decimal_places=2, default_currency=CURRENCY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    # The form's one-time token: a double-clicked button asks for one withdrawal, not two.
    key = models.CharField(_("request key"), max_length=64, unique=True)
    request_journal = models.OneToOneField(
        Journal, on_delete=models.PROTECT, related_name="withdrawal_requested", verbose_name=_("request journal")
    )
    decision_journal = models.OneToOneField(
        Journal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawal_decided",
        verbose_name=_("decision journal"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), max_length=1000, blank=True)
    # Sent through a payout provider: who approved it (empty: approved automatically), when it
    # was first sent, and the provider's payout id once it answered.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    provider = models.CharField(_("payout provider"), max_length=32, blank=True)
    provider_payout_id = models.CharField(_("provider's payout id"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at"]
        permissions = [("view_payout_details", _("Can see the full payout details of withdrawals"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="withdrawal_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "sending"], decision_journal__isnull=True, decided_at__isnull=True)
                | Q(
                    status__in=["paid", "rejected", "failed"], decision_journal__isnull=False, decided_at__isnull=False
                ),
                name="withdrawal_decision_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "failed"]) | ~Q(reason=""), name="withdrawal_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | (~Q(provider="") & Q(approved_at__isnull=False)),
                name="withdrawal_sending_has_provider",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_payout_id"],
                condition=~Q(provider_payout_id=""),
                name="withdrawal_provider_payout_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount} ({self.get_status_display()})"


class CardRefund(models.Model):
    """Wallet money a person asked back to the card it came from: a refund of (part of) one of
    their card payments at the provider. The amount leaves the wallet at once (to payouts in
    flight, like a withdrawal) and is decided once by the provider: returned to the card (it
    leaves for the world) or refused (it comes back to the wallet)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being returned")
        SUCCEEDED = "succeeded", _("Returned to card")
        CANCELED = "canceled", _("Refused by the bank")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="card_refunds", verbose_name=_("user")
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment refunded")
    )
    amount = MoneyField(_("amount"), max_digits=16, decimal_places=2, default_currency=CURRENCY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    key = models.CharField(_("request key"), max_length=100, unique=True)
    provider_refund_id = models.CharField(_("provider's refund id"), max_length=100, blank=True)
    request_journal = models.OneToOneField(
        Journal, on_delete=models.PROTECT, related_name="card_refund_requested", verbose_name=_("request journal")
    )
    decision_journal = models.OneToOneField(
        Journal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card_refund_decided",
        verbose_name=_("decision journal"),
    )
    failure_reason = models.CharField(_("failure reason"), max_length=255, blank=True)
    send_attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    # The request sent to the provider, built at the first sending and sent as it is again.
    provider_request = models.JSONField(_("request to the provider"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("return to card")
        verbose_name_plural = _("returns to card")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="card_refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="pending", decision_journal__isnull=True, decided_at__isnull=True)
                | Q(status__in=["succeeded", "canceled"], decision_journal__isnull=False, decided_at__isnull=False),
                name="card_refund_decision_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount} ({self.get_status_display()})"


class Clearance(models.Model):
    """Earnings waiting ESCROW_CLEARANCE_DAYS in the seller's pending wallet before they
    become available; a sweep releases the due ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clearances", verbose_name=_("user")
    )
    amount = MoneyField(_("amount"), max_digits=16, decimal_places=2, default_currency=CURRENCY)
    source_journal = models.OneToOneField(
        Journal, on_delete=models.PROTECT, related_name="clearance", verbose_name=_("earned by")
    )
    available_at = models.DateTimeField(_("available from"), db_index=True)
    released_journal = models.OneToOneField(
        Journal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clearance_released",
        verbose_name=_("released by"),
    )

    class Meta:
        verbose_name = _("clearance")
        verbose_name_plural = _("clearances")
        ordering = ["available_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="clearance_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.amount} @ {self.available_at:%Y-%m-%d}"


class ReconciliationReport(models.Model):
    """The result of one run of the ledger reconciliation: nightly (beat), `manage.py
    ledger_reconcile`, or a staff member's "Run reconciliation now" (`triggered_by`)."""

    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    created_at = models.DateTimeField(_("finished"), default=timezone.now, db_index=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
        help_text=_("Empty: the nightly schedule or the command line."),
    )
    ok = models.BooleanField(_("no drift"))
    accounts_checked = models.PositiveIntegerField(_("accounts checked"), default=0)
    journals_checked = models.PositiveIntegerField(_("journals checked"), default=0)
    transfers_checked = models.PositiveIntegerField(_("transfers checked"), default=0)
    # {"RUB": "0.00"}: the sum of all balances per currency (zero when the books balance).
    totals = models.JSONField(_("sum of balances per currency"), default=dict)
    # The mismatches found, one readable line each (at most MAX_LISTED of one kind).
    problems = models.JSONField(_("problems"), default=list)
    duration_ms = models.PositiveIntegerField(_("duration, ms"), default=0)

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        ordering = ["-created_at"]
        permissions = [("run_reconciliation", _("Can run the ledger reconciliation now"))]

    def __str__(self) -> str:
        outcome = gettext("no drift") if self.ok else gettext("drift found")
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}: {outcome}"

    @property
    def finished_at(self):
        return self.created_at


class PayoutDetailsView(models.Model):
    """One showing of a withdrawal's full payout details to a staff member: who, when,
    which withdrawal, from where. Written by `payout_details_reveal`, never changed."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("seen by")
    )
    withdrawal = models.ForeignKey(
        Withdrawal, on_delete=models.PROTECT, related_name="details_views", verbose_name=_("withdrawal")
    )
    payout_method = models.ForeignKey(
        PayoutMethod, on_delete=models.PROTECT, related_name="details_views", verbose_name=_("payout method")
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("seen at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("payout details view")
        verbose_name_plural = _("payout details views")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} #{self.withdrawal_id} {self.viewed_at:%Y-%m-%d %H:%M}"
