"""The payment-provider interface. A provider starts a payment (and tells us where to send
the browser), then reports the result with a webhook, verified by a signature (the sandbox)
or by reading the object again from the provider's API (YooKassa). A provider may also send
wallet money back to the card a payment came from (a refund of that payment)."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from moneyed import Money

from ..models import Payment

EVENT_PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_PAYMENT_FAILED = "payment.failed"
EVENT_REFUND_SUCCEEDED = "refund.succeeded"
EVENT_REFUND_FAILED = "refund.canceled"
EVENT_REFUND_PENDING = "refund.pending"
EVENT_PAYOUT_SUCCEEDED = "payout.succeeded"
EVENT_PAYOUT_FAILED = "payout.canceled"
EVENT_PAYOUT_PENDING = "payout.pending"


class ProviderUnavailableError(Exception):
    """The provider could not be reached or refused to start the payment."""


@dataclass(frozen=True)
class StartedPayment:
    provider_payment_id: str
    redirect_url: str  # the provider's hosted payment page


@dataclass(frozen=True)
class RefundResult:
    provider_refund_id: str
    status: str  # EVENT_REFUND_SUCCEEDED / _FAILED / _PENDING
    failure_reason: str = ""


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
    # Whether wallet money can go back to the cards this provider's payments came from.
    supports_refunds: ClassVar[bool] = False

    @abstractmethod
    def start_payment(self, *, payment: Payment) -> StartedPayment:
        """Create the payment at the provider; ProviderUnavailableError when it cannot."""

    @abstractmethod
    def parse_webhook(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str | None = None
    ) -> ProviderEvent:
        """Verify the delivery (a signature over the raw body, or where it comes from and what
        the provider's API says) and read the event. WebhookSignatureError on a delivery we
        cannot trust, WebhookPayloadError on a bad body."""

    def refund_request(self, *, refund) -> dict:
        """The request that sends the refund, built once and kept on the row, so that every
        resend is the same request."""
        return {}

    def start_refund(self, *, refund, first: bool = True) -> RefundResult:
        """Send `refund.amount` back to the card `refund.payment` was paid with. The same
        refund sent again must not refund twice (an idempotence key made of the refund).
        `first`: no earlier sending could have reached the provider. Only called when
        `supports_refunds`."""
        raise ProviderUnavailableError(f"{self.name} cannot return money to cards")

    def read_refund(self, provider_refund_id: str) -> RefundResult:
        raise ProviderUnavailableError(f"{self.name} cannot return money to cards")


def provider_sweep(ids, send, what: str) -> int:
    """Call `send(id)` for each id; one the provider cannot answer now is left for the next
    sweep. Returns how many got an answer."""
    import logging

    logger = logging.getLogger(__name__)
    done = 0
    for object_id in ids:
        try:
            send(object_id)
        except ProviderUnavailableError:
            logger.warning("%s %s: the provider is not answering; next sweep", what, object_id)
            continue
        except Exception:
            # One row the sweep cannot handle must not stop the others (nor the other sweeps).
            logger.exception("%s %s could not be synced; next sweep", what, object_id)
            continue
        done += 1
    return done
