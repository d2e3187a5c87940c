"""Thin Celery tasks: ids in, one service call each. All safe to run twice or at once."""

import logging

from celery import shared_task
from django.db import OperationalError

from accounts.models import User

from .providers.base import ProviderUnavailableError
from .providers.sandbox import sandbox_charge_deliver, sandbox_deliver_due
from .services import clearance_release_due, ledger_reconcile
from .services.payments import payments_sync
from .services.refunds import card_refund_send, card_refunds_sync
from .services.withdrawals import withdrawal_send, withdrawals_sync

logger = logging.getLogger(__name__)

_RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 2, "max_retries": 5}


@shared_task(name="escrow.tasks.ledger_reconcile", **_RETRY)
def ledger_reconcile_task(triggered_by_id: int | None = None) -> int:
    triggered_by = User.objects.filter(pk=triggered_by_id).first() if triggered_by_id else None
    return ledger_reconcile(triggered_by=triggered_by).pk


@shared_task(name="escrow.tasks.clearance_release_due", **_RETRY)
def clearance_release_due_task() -> int:
    return clearance_release_due()


@shared_task(name="escrow.tasks.sandbox_deliver_due_webhooks", **_RETRY)
def sandbox_deliver_due_webhooks() -> int:
    return sandbox_deliver_due()


@shared_task(bind=True, name="escrow.tasks.sandbox_deliver_webhook", max_retries=30)
def sandbox_deliver_webhook(self, charge_id: str) -> None:
    """The sandbox sending one charge's webhook. Not due yet: the task comes back when it is
    (a countdown of seconds). Run eagerly (tests) it cannot wait, so the sweep sends it."""
    wait = sandbox_charge_deliver(charge_id=charge_id)
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=max(1, min(int(wait) + 1, 60)))


@shared_task(name="escrow.tasks.card_refund_send", autoretry_for=(OperationalError, ProviderUnavailableError),
             retry_backoff=5, retry_backoff_max=600, max_retries=8)  # fmt: skip
def card_refund_send_task(refund_id: int) -> str:
    return card_refund_send(refund_id=refund_id)


@shared_task(name="escrow.tasks.withdrawal_send", autoretry_for=(OperationalError, ProviderUnavailableError),
             retry_backoff=5, retry_backoff_max=600, max_retries=8)  # fmt: skip
def withdrawal_send_task(withdrawal_id: int) -> str:
    return withdrawal_send(withdrawal_id=withdrawal_id)


@shared_task(name="escrow.tasks.provider_sync", **_RETRY)
def provider_sync() -> dict:
    """Every 5 minutes: what a lost notification or task left pending is read again."""
    done = {}
    for name, sweep in (("payments", payments_sync), ("card_refunds", card_refunds_sync),
                        ("withdrawals", withdrawals_sync)):  # fmt: skip
        try:  # one sweep failing does not stop the others
            done[name] = sweep()
        except Exception:
            logger.exception("provider_sync: the %s sweep failed", name)
    return done
