"""The payment-provider interface. A provider starts a payment (and tells us where to send
the browser), then reports the result with a signed webhook. Real providers (YooKassa,
Stripe) plug in behind the same two methods."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from moneyed import Money

from ..models import Payment

EVENT_PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_PAYMENT_FAILED = "payment.failed"


class ProviderUnavailableError(Exception):
    """The provider could not be reached or refused to start the payment."""


@dataclass(frozen=True)
class StartedPayment:
    provider_payment_id: str
    redirect_url: str  # the provider's hosted payment page


@dataclass(frozen=True)
class ProviderEvent:
    """A webhook event, verified and read."""

    event_id: str
    type: str
    provider_payment_id: str
    amount: Money
    failure_reason: str = ""
    payload: dict = field(default_factory=dict)


class PaymentProvider(ABC):
    name: ClassVar[str]

    @abstractmethod
    def start_payment(self, *, payment: Payment) -> StartedPayment:
        """Create the payment at the provider; ProviderUnavailableError when it cannot."""

    @abstractmethod
    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Verify the signature over the raw body and read the event.
        WebhookSignatureError on a missing or wrong signature, WebhookPayloadError on a bad body."""
