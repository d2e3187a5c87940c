"""The sandbox payment provider: a stand-in that behaves like a real one.

The buyer pays on a hosted page (ours, at /payments/sandbox/<payment>/) with a test card;
the sandbox then sends a webhook signed with HMAC-SHA256 over the raw body. Like a real
provider it may send it twice, late, or before the browser comes back:

- 4242 4242 4242 4242 succeeds; the webhook is sent at once, before the browser returns,
  and (with SANDBOX_DUPLICATE_WEBHOOKS) a second time from a Celery task;
- 4000 0000 0000 0002 is declined (a `payment.failed` webhook);
- 4000 0000 0000 3220 succeeds after SANDBOX_WEBHOOK_DELAY_SECONDS: the payment stays
  "processing" until a Celery task (or the `sandbox_deliver_due_webhooks` sweep) sends it.

"Sending" is an in-process call of `webhook_receive`, the function the webhook view calls,
with the body and signature built exactly as an HTTP delivery would carry them.
"""

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from marketplace.jobs import enqueue_on_commit

from .. import conf
from ..cards import card_digits
from ..errors import WebhookPayloadError, WebhookSignatureError
from ..models import Payment, SandboxCharge
from .base import (
    EVENT_PAYMENT_FAILED,
    EVENT_PAYMENT_SUCCEEDED,
    EVENT_REFUND_SUCCEEDED,
    PaymentProvider,
    ProviderEvent,
    RefundResult,
    StartedPayment,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Sandbox-Signature"


class CardOutcome(StrEnum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    DELAY = "delay"


TEST_CARDS = {
    "4242424242424242": CardOutcome.SUCCEED,
    "4000000000000002": CardOutcome.DECLINE,
    "4000000000003220": CardOutcome.DELAY,
}


def sign(body: bytes) -> str:
    return hmac.new(conf.sandbox_webhook_secret().encode(), body, hashlib.sha256).hexdigest()


class SandboxProvider(PaymentProvider):
    name = "sandbox"
    supports_refunds = True

    def start_payment(self, *, payment: Payment) -> StartedPayment:
        charge = SandboxCharge.objects.create(id=f"sbx_{secrets.token_hex(12)}", payment=payment)
        return StartedPayment(
            provider_payment_id=charge.pk,
            redirect_url=reverse("escrow:sandbox_checkout", args=[payment.pk]),
        )

    def start_refund(self, *, refund, first: bool = True) -> RefundResult:
        # The sandbox's cards are not real: a return to one is done at once.
        return RefundResult(provider_refund_id=f"sbr_{refund.pk}", status=EVENT_REFUND_SUCCEEDED)

    def read_refund(self, provider_refund_id: str) -> RefundResult:
        return RefundResult(provider_refund_id=provider_refund_id, status=EVENT_REFUND_SUCCEEDED)

    def parse_webhook(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str | None = None
    ) -> ProviderEvent:
        lowered = {str(name).lower(): value for name, value in headers.items()}
        signature = (lowered.get(SIGNATURE_HEADER.lower()) or "").strip().lower()
        if not signature or not hmac.compare_digest(signature.encode(), sign(body).encode()):
            raise WebhookSignatureError(_("The webhook signature is missing or wrong."))
        try:
            data = json.loads(body.decode("utf-8"))
            obj = data["data"]
            event_id, event_type = data["id"], data["type"]
            payment_id, currency = obj["payment_id"], obj["currency"]
            if not all(isinstance(v, str) and 0 < len(v) <= 100 for v in (event_id, event_type, payment_id, currency)):
                raise ValueError
            amount = Money(Decimal(obj["amount"]), currency)
        except (ValueError, KeyError, TypeError, InvalidOperation, UnicodeDecodeError):
            raise WebhookPayloadError(_("The webhook body is not a valid event.")) from None
        return ProviderEvent(
            event_id=event_id,
            type=event_type,
            provider_payment_id=payment_id,
            amount=amount,
            failure_reason=str(obj.get("failure_reason") or "")[:255],
            payload=data,
        )


def sandbox_card_submit(*, payment: Payment, card_number: str) -> SandboxCharge:
    """The buyer pressed "Pay" on the hosted page. Decides the outcome from the test card
    and sends (or schedules) the webhook. Submitting twice changes nothing."""
    digits = card_digits(card_number)
    outcome = TEST_CARDS.get(digits, CardOutcome.DECLINE)
    with transaction.atomic():
        charge = (
            SandboxCharge.objects.select_for_update(no_key=True, of=("self",))
            .select_related("payment")
            .get(payment=payment)
        )
        if charge.status != SandboxCharge.Status.AWAITING_CARD:
            return charge
        now = timezone.now()
        charge.card_last4 = digits[-4:]
        charge.event_id = f"evt_{secrets.token_hex(12)}"
        if outcome == CardOutcome.DELAY:
            charge.status = SandboxCharge.Status.PROCESSING
            charge.deliver_after = now + timedelta(seconds=conf.sandbox_webhook_delay_seconds())
        else:
            charge.status = (
                SandboxCharge.Status.SUCCEEDED if outcome == CardOutcome.SUCCEED else SandboxCharge.Status.DECLINED
            )
            charge.deliver_after = now
        charge.save(update_fields=["card_last4", "event_id", "status", "deliver_after"])
        if charge.status == SandboxCharge.Status.PROCESSING:
            enqueue_on_commit(_deliver_task(), charge.pk)
    if charge.status != SandboxCharge.Status.PROCESSING:
        # The webhook arrives before the browser is sent back, as it often does for real.
        _deliver(charge)
        if conf.sandbox_duplicate_webhooks():
            enqueue_on_commit(_deliver_task(), charge.pk)
    return charge


def sandbox_charge_deliver(*, charge_id: str, now=None) -> float | None:
    """Send the charge's webhook (again) if it is due. Returns the seconds to wait when
    it is not due yet, None otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        charge = (
            SandboxCharge.objects.select_for_update(no_key=True, of=("self",))
            .select_related("payment")
            .filter(pk=charge_id)
            .first()
        )
        if charge is None or charge.status == SandboxCharge.Status.AWAITING_CARD:
            return None
        if charge.deliver_after > now:
            return (charge.deliver_after - now).total_seconds()
        if charge.status == SandboxCharge.Status.PROCESSING:
            charge.status = SandboxCharge.Status.SUCCEEDED
            charge.save(update_fields=["status"])
    _deliver(charge)
    return None


def sandbox_deliver_due(*, now=None) -> int:
    """The sweep: send every due webhook that was never delivered (a lost task, a broker
    that was down, a delivery our side refused). Returns how many were sent."""
    now = now or timezone.now()
    due = (
        SandboxCharge.objects.filter(deliveries=0, deliver_after__lte=now)
        .exclude(status=SandboxCharge.Status.AWAITING_CARD)
        .order_by("deliver_after")
        .values_list("pk", flat=True)[:500]
    )
    sent = 0
    for charge_id in list(due):
        sandbox_charge_deliver(charge_id=charge_id, now=now)
        sent += 1
    return sent


def event_body(charge: SandboxCharge) -> bytes:
    """The raw JSON body of the charge's webhook: the same bytes on every delivery."""
    succeeded = charge.status == SandboxCharge.Status.SUCCEEDED
    payment = charge.payment
    event = {
        "id": charge.event_id,
        "type": EVENT_PAYMENT_SUCCEEDED if succeeded else EVENT_PAYMENT_FAILED,
        "created": charge.deliver_after.isoformat() if charge.deliver_after else None,
        "data": {
            "payment_id": charge.pk,
            "amount": str(payment.amount.amount),
            "currency": payment.amount.currency.code,
            "card_last4": charge.card_last4,
            "failure_reason": "" if succeeded else "card_declined",
        },
    }
    return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()


def _deliver(charge: SandboxCharge) -> bool:
    from ..services.payments import webhook_receive

    body = event_body(charge)
    headers = {SIGNATURE_HEADER: sign(body), "Content-Type": "application/json"}
    try:
        webhook_receive(provider_name=SandboxProvider.name, body=body, headers=headers)
    except Exception:
        # What a real provider sees as a 4xx/5xx: it keeps the event and sends it again later.
        logger.exception(
            "Sandbox webhook %s for %s was not accepted; the sweep sends it again", charge.event_id, charge.pk
        )
        return False
    SandboxCharge.objects.filter(pk=charge.pk).update(deliveries=F("deliveries") + 1)
    return True


def _deliver_task():
    from ..tasks import sandbox_deliver_webhook

    return sandbox_deliver_webhook
