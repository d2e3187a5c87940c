"""YooKassa: card payments in (with 54-FZ receipts), returns to the card, and payouts out.

Payments are two-stage (`capture: false`): the buyer confirms on YooKassa's page (the
redirect), the payment waits for capture, and we capture it only once we know it is ours
and its amount is the one we asked for; otherwise it is cancelled and the buyer's bank lets
the hold go. The money is in only on `succeeded`.

Notifications carry no signature. A notification is only a hint: it is accepted from
YooKassa's published networks (YOOKASSA_NOTIFICATION_IPS), and what it says is never
believed: the object is read again from the API with our key, and that answer is the event.
So a forged, repeated, late or out-of-order notification can only make us read the truth
again. The event id is the object's id and the state read (`payment.succeeded:<id>`): the
same state, however many times it is reported, is recorded once.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from moneyed import Money

from marketplace.clientip import address_in

from ..errors import PaymentError, WebhookPayloadError, WebhookSignatureError
from ..models import CardRefund, Payment
from .base import (
    EVENT_PAYMENT_FAILED,
    EVENT_PAYMENT_SUCCEEDED,
    EVENT_PAYOUT_FAILED,
    EVENT_PAYOUT_PENDING,
    EVENT_PAYOUT_SUCCEEDED,
    EVENT_REFUND_FAILED,
    EVENT_REFUND_PENDING,
    EVENT_REFUND_SUCCEEDED,
    PaymentProvider,
    ProviderEvent,
    ProviderUnavailableError,
    RefundResult,
    StartedPayment,
)
from .yookassa_api import Account, YooKassaClient, YooKassaError, YooKassaNotFoundError

logger = logging.getLogger(__name__)

EVENT_PAYMENT_PENDING = "payment.pending"
EVENT_PAYMENT_WAITING = "payment.waiting_for_capture"


# A person waits on the other end (a page view): one try, a short timeout.
QUICK_TIMEOUT_SECONDS = 5


def _client(account_id: str, secret_key: str, *, quick: bool = False) -> YooKassaClient:
    return YooKassaClient(
        account=Account(account_id, secret_key),
        base_url=settings.YOOKASSA_API_URL,
        timeout=min(QUICK_TIMEOUT_SECONDS, settings.YOOKASSA_TIMEOUT_SECONDS)
        if quick
        else settings.YOOKASSA_TIMEOUT_SECONDS,
        attempts=1 if quick else settings.YOOKASSA_ATTEMPTS,
        backoff=settings.YOOKASSA_RETRY_BACKOFF_SECONDS,
    )


def shop_client(*, quick: bool = False) -> YooKassaClient:
    return _client(settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY, quick=quick)


def payout_client(*, quick: bool = False) -> YooKassaClient:
    return _client(settings.YOOKASSA_PAYOUT_AGENT_ID, settings.YOOKASSA_PAYOUT_SECRET_KEY, quick=quick)


def amount_json(amount: Money) -> dict:
    return {"value": f"{amount.amount:.2f}", "currency": amount.currency.code}


def money_of_json(data) -> Money:
    try:
        value = Decimal(str(data["value"]))
        currency = str(data["currency"])
        if not value.is_finite() or len(currency) != 3:
            raise ValueError
    except (KeyError, TypeError, ValueError, InvalidOperation):
        raise WebhookPayloadError(_("The provider's answer has no valid amount.")) from None
    return Money(value, currency)


def receipt_for(*, email: str, amount: Money, description: str) -> dict:
    """54-FZ receipt data: one line for the whole amount. YooKassa's fiscal service ("Чеки от
    ЮKassa") or the shop's own cash register issues the receipt from it and emails it."""
    if not email:
        raise PaymentError(
            _("A receipt is sent to your e-mail address with every payment: add one in your account settings first.")
        )
    receipt = {
        "customer": {"email": email},
        "items": [
            {
                "description": description[:128],
                "quantity": "1.00",
                "amount": amount_json(amount),
                "vat_code": settings.YOOKASSA_RECEIPT_VAT_CODE,
                "payment_subject": settings.YOOKASSA_RECEIPT_PAYMENT_SUBJECT,
                "payment_mode": settings.YOOKASSA_RECEIPT_PAYMENT_MODE,
            }
        ],
    }
    if settings.YOOKASSA_RECEIPT_TAX_SYSTEM_CODE:
        receipt["tax_system_code"] = settings.YOOKASSA_RECEIPT_TAX_SYSTEM_CODE
    return receipt


def notification_address_allowed(remote_addr: str | None) -> bool:
    return address_in(remote_addr or "", settings.YOOKASSA_NOTIFICATION_IPS)


def _id_of(value) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 100 or not value.isprintable() or "/" in value:
        raise WebhookPayloadError(_("The notification does not name a valid object."))
    return value


def _reason(obj: dict) -> str:
    details = obj.get("cancellation_details") or {}
    return str(details.get("reason") or "canceled")[:255] if isinstance(details, dict) else "canceled"


class YooKassaProvider(PaymentProvider):
    name = "yookassa"
    supports_refunds = True

    # --- payments in ------------------------------------------------------------------
    def start_payment(self, *, payment: Payment) -> StartedPayment:
        description = _("Wallet top-up, payment %(id)s") % {"id": str(payment.pk)[:8]}
        body = {
            "amount": amount_json(payment.amount),
            "capture": False,
            "confirmation": {
                "type": "redirect",
                "return_url": settings.SITE_URL + reverse("escrow:payment_return", args=[payment.pk]),
            },
            "description": description[:128],
            "metadata": {"payment_id": str(payment.pk)},
            "receipt": receipt_for(
                email=payment.user.email, amount=payment.amount, description=settings.YOOKASSA_RECEIPT_ITEM
            ),
        }
        try:
            data = shop_client().post("payments", body, idempotence_key=f"payment-{payment.pk}")
        except YooKassaError as exc:
            raise ProviderUnavailableError(str(exc)) from None
        confirmation = data.get("confirmation") or {}
        url = str(confirmation.get("confirmation_url") or "")
        if not url.startswith(("https://", "http://")) or not data.get("id"):
            raise ProviderUnavailableError("YooKassa answered without a confirmation address")
        return StartedPayment(provider_payment_id=str(data["id"]), redirect_url=url)

    def parse_webhook(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str | None = None
    ) -> ProviderEvent:
        if not notification_address_allowed(remote_addr):
            raise WebhookSignatureError(_("Notifications are accepted only from the payment service's addresses."))
        try:
            data = json.loads(body.decode("utf-8"))
            event = data["event"]
            object_id = _id_of(data["object"]["id"])
            if data.get("type") != "notification" or not isinstance(event, str):
                raise ValueError
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise WebhookPayloadError(_("The webhook body is not a valid event.")) from None
        kind = event.split(".", 1)[0]
        if kind == "payment":
            return self.payment_event(object_id)
        if kind == "refund":
            return self.refund_event(object_id)
        if kind == "payout":
            return payout_event(object_id)
        raise WebhookPayloadError(_("The webhook body is not a valid event."))

    def payment_event(self, provider_payment_id: str, *, quick: bool = False) -> ProviderEvent:
        """What the payment is now, read from the API; a payment waiting for capture that is
        ours and for our amount is captured first (and anything else is cancelled)."""
        obj = self._read("payments", provider_payment_id, client=shop_client(quick=quick))
        if obj.get("status") == "waiting_for_capture":
            obj = self._capture_or_cancel(obj)
        return self._payment_event_of(obj)

    def _capture_or_cancel(self, obj: dict) -> dict:
        payment_id = str(obj["id"])
        local = Payment.objects.filter(provider=self.name, provider_payment_id=payment_id).first()
        amount = money_of_json(obj.get("amount"))
        metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        ours = (
            local is not None
            and local.amount == amount
            and metadata.get("payment_id") == str(local.pk)
            and local.status == Payment.Status.PENDING
        )
        action = "capture" if ours else "cancel"
        if not ours:
            logger.warning("YooKassa payment %s is not one we can take: cancelling it", payment_id)
        body = {"amount": amount_json(amount)} if ours else {}
        try:
            return shop_client().post(f"payments/{payment_id}/{action}", body, idempotence_key=f"{action}-{payment_id}")
        except YooKassaError as exc:
            # Captured or cancelled meanwhile (another delivery, the sweep): read what it is.
            logger.info("YooKassa %s of %s refused (%s); reading it again", action, payment_id, exc)
            return self._read("payments", payment_id)

    def _payment_event_of(self, obj: dict) -> ProviderEvent:
        status = str(obj.get("status") or "")
        event_type = {
            "succeeded": EVENT_PAYMENT_SUCCEEDED,
            "canceled": EVENT_PAYMENT_FAILED,
            "waiting_for_capture": EVENT_PAYMENT_WAITING,
        }.get(status, EVENT_PAYMENT_PENDING)
        object_id = _id_of(obj.get("id"))
        return ProviderEvent(
            event_id=f"{event_type}:{object_id}",
            type=event_type,
            provider_payment_id=object_id,
            amount=money_of_json(obj.get("amount")),
            failure_reason=_reason(obj) if status == "canceled" else "",
            payload=obj,
        )

    # --- returns to the card --------------------------------------------------------------
    def refund_request(self, *, refund: CardRefund) -> dict:
        """The refund's request body, built once and kept on the row (`provider_request`): a
        resend with the same idempotence key must carry the same body, whatever the person's
        email or the receipt settings are by then."""
        return {
            "payment_id": refund.payment.provider_payment_id,
            "amount": amount_json(refund.amount),
            "description": f"Возврат средств из кошелька, запрос {refund.pk}",
            "receipt": receipt_for(
                email=refund.user.email or refund.payment.user.email,
                amount=refund.amount,
                description=settings.YOOKASSA_RECEIPT_ITEM,
            ),
        }

    def start_refund(self, *, refund: CardRefund, first: bool = True) -> RefundResult:
        try:
            obj = shop_client().post(
                "refunds", refund.provider_request, idempotence_key=f"refund-{refund.pk}-{refund.key}"[:64]
            )
        except YooKassaError as exc:
            if exc.status in (400, 403) and first:
                # Refused on the first sending (more than the payment has left, too old...):
                # nothing left the shop.
                return RefundResult(provider_refund_id="", status=EVENT_REFUND_FAILED, failure_reason=exc.code)
            if exc.status in (400, 403):
                # Refused on a resend: an earlier try may have been done with its answer lost.
                logger.error("Return to card %s: refused on a resend (%s); a person must check it", refund.pk, exc)
                return RefundResult(provider_refund_id="", status=EVENT_REFUND_PENDING, failure_reason=exc.code)
            raise ProviderUnavailableError(str(exc)) from None
        return _refund_result(obj)

    def read_refund(self, provider_refund_id: str) -> RefundResult:
        return _refund_result(self._read("refunds", provider_refund_id))

    def refund_event(self, provider_refund_id: str) -> ProviderEvent:
        obj = self._read("refunds", provider_refund_id)
        result = _refund_result(obj)
        return _event(result.status, result.provider_refund_id, result.failure_reason, obj)

    def _read(self, collection: str, object_id: str, client: YooKassaClient | None = None) -> dict:
        try:
            obj = (client or shop_client()).get(f"{collection}/{_id_of(object_id)}")
        except YooKassaNotFoundError:
            raise WebhookPayloadError(_("The payment service knows no such object.")) from None
        except YooKassaError as exc:
            raise ProviderUnavailableError(str(exc)) from None
        if str(obj.get("id")) != object_id:
            raise WebhookPayloadError(_("The payment service answered about another object."))
        return obj


def _refund_result(obj: dict) -> RefundResult:
    status = str(obj.get("status") or "")
    return RefundResult(
        provider_refund_id=_id_of(obj.get("id")),
        status={"succeeded": EVENT_REFUND_SUCCEEDED, "canceled": EVENT_REFUND_FAILED}.get(status, EVENT_REFUND_PENDING),
        failure_reason=_reason(obj) if status == "canceled" else "",
    )


# --- payouts out (the payout gateway: its own agent id and key) --------------------------


@dataclass(frozen=True)
class PayoutResult:
    provider_payout_id: str
    status: str  # EVENT_PAYOUT_SUCCEEDED / _FAILED / _PENDING
    failure_reason: str = ""
    withdrawal_id: str = ""  # ours, from the payout's metadata


PAYOUT_KINDS = ("card", "yoomoney", "sbp")  # PayoutMethod kinds YooKassa pays to


def payout_destination(kind: str, details: str) -> dict:
    if kind == "card":
        return {"type": "bank_card", "card": {"number": details}}
    if kind == "yoomoney":
        return {"type": "yoo_money", "account_number": details}
    if kind == "sbp":
        phone, _sep, bank_id = details.partition(":")
        return {"type": "sbp", "phone": phone, "bank_id": bank_id}
    raise ValueError(kind)


def payout_send(
    *, key: str, amount: Money, kind: str, details: str, withdrawal_id: int, first: bool = True
) -> PayoutResult:
    """Send a payout. The body is made only of what never changes for this withdrawal (no
    translated text): a resend with the same key carries the same body. A 400 or 403 on the
    first sending is a refusal (nothing was paid); on a resend an earlier try may have been
    paid with its answer lost, so it stays being sent for a person to check."""
    body = {
        "amount": amount_json(amount),
        "payout_destination_data": payout_destination(kind, details),
        "description": f"Вывод средств №{withdrawal_id}",
        "metadata": {"withdrawal_id": str(withdrawal_id)},
    }
    try:
        obj = payout_client().post("payouts", body, idempotence_key=key[:64])
    except YooKassaError as exc:
        if exc.status in (400, 403) and first:
            return PayoutResult(provider_payout_id="", status=EVENT_PAYOUT_FAILED, failure_reason=exc.code or "refused")
        if exc.status in (400, 403):
            logger.error("Withdrawal %s: refused on a resend (%s); a person must check it", withdrawal_id, exc)
            return PayoutResult(provider_payout_id="", status=EVENT_PAYOUT_PENDING, failure_reason=exc.code)
        raise ProviderUnavailableError(str(exc)) from None
    return _payout_result(obj)


def payout_read(provider_payout_id: str) -> PayoutResult:
    return _payout_result(YooKassaProvider()._read("payouts", provider_payout_id, client=payout_client()))


def payout_event(provider_payout_id: str) -> ProviderEvent:
    obj = YooKassaProvider()._read("payouts", provider_payout_id, client=payout_client())
    result = _payout_result(obj)
    return _event(result.status, result.provider_payout_id, result.failure_reason, obj)


def _event(status: str, object_id: str, failure_reason: str, obj: dict) -> ProviderEvent:
    """An object's state, read back, as an event: one id per object and state."""
    return ProviderEvent(
        event_id=f"{status}:{object_id}",
        type=status,
        provider_payment_id=object_id,
        amount=money_of_json(obj.get("amount")),
        failure_reason=failure_reason,
        payload=obj,
    )


def sbp_banks() -> list[dict]:
    """The banks SBP payouts can go to ({bank_id, name}), from the payout gateway."""
    try:
        data = payout_client(quick=True).get("sbp_banks")
    except YooKassaError as exc:
        raise ProviderUnavailableError(str(exc)) from None
    items = data.get("items") if isinstance(data.get("items"), list) else []
    return [
        {"bank_id": str(item["bank_id"]), "name": str(item.get("name") or item["bank_id"])}
        for item in items
        if isinstance(item, dict) and item.get("bank_id")
    ]


def _payout_result(obj: dict) -> PayoutResult:
    status = str(obj.get("status") or "")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return PayoutResult(
        withdrawal_id=str(metadata.get("withdrawal_id") or ""),
        provider_payout_id=_id_of(obj.get("id")),
        status={"succeeded": EVENT_PAYOUT_SUCCEEDED, "canceled": EVENT_PAYOUT_FAILED}.get(status, EVENT_PAYOUT_PENDING),
        failure_reason=_reason(obj) if status == "canceled" else "",
    )
