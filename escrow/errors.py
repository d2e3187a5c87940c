"""Errors the escrow services raise. Each one carries a message a person can read."""

from moneyed import Money

from marketplace.errors import DomainError


class LedgerError(DomainError):
    """A request to move money that the ledger refuses."""


class InvalidAmountError(LedgerError):
    pass


class CurrencyMismatchError(LedgerError):
    pass


class InsufficientFundsError(LedgerError):
    """Not enough money in an account. `shortfall` is what is missing (the checkout tops it up)."""

    def __init__(self, message: str, *, account_id: int, available: Money, shortfall: Money):
        super().__init__(message)
        self.account_id = account_id
        self.available = available
        self.shortfall = shortfall


class IdempotencyConflictError(LedgerError):
    """The key was used before for a different request."""


class EscrowStateError(LedgerError):
    """Nothing (or something unexpected) is held for the order."""


class PaymentError(DomainError):
    pass


class WebhookError(DomainError):
    """A webhook we refuse (answered with 400; nothing is recorded or moved)."""


class WebhookSignatureError(WebhookError):
    pass


class WebhookPayloadError(WebhookError):
    pass


class WithdrawalError(DomainError):
    pass


class PayoutMethodError(DomainError):
    pass
