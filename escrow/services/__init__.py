"""Every write of the escrow app. The ledger services are the only code that moves money.

Split by subject: `ledger` (posting, accounts), `holds` (top-ups, order escrow, clearance),
`payments` (money in), `withdrawals` (money out), `reconciliation` (the nightly check).
"""

from .holds import (
    clearance_release_due,
    escrow_hold,
    escrow_refund,
    escrow_settle,
    escrow_split,
    wallet_top_up,
)
from .ledger import (
    AccountRef,
    TransferSpec,
    accounts_ensure,
    ledger_post,
    ledger_reverse,
    validate_amount,
)
from .payments import PaymentStart, WebhookResult, payment_start, safe_next_url, webhook_receive
from .reconciliation import ledger_reconcile, ledger_reconcile_request
from .withdrawals import (
    payout_details_reveal,
    payout_details_rotate,
    payout_method_add,
    payout_method_remove,
    withdrawal_mark_paid,
    withdrawal_reject,
    withdrawal_request,
)

__all__ = [
    "AccountRef",
    "PaymentStart",
    "TransferSpec",
    "WebhookResult",
    "accounts_ensure",
    "clearance_release_due",
    "escrow_hold",
    "escrow_refund",
    "escrow_settle",
    "escrow_split",
    "ledger_post",
    "ledger_reconcile",
    "ledger_reconcile_request",
    "ledger_reverse",
    "payment_start",
    "payout_details_reveal",
    "payout_details_rotate",
    "payout_method_add",
    "payout_method_remove",
    "safe_next_url",
    "validate_amount",
    "wallet_top_up",
    "webhook_receive",
    "withdrawal_mark_paid",
    "withdrawal_reject",
    "withdrawal_request",
]
