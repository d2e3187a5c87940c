"""Payment providers, by name (settings.PAYMENT_PROVIDER picks the one new payments use)."""

from .. import conf
from .base import PaymentProvider
from .sandbox import SandboxProvider
from .yookassa import YooKassaProvider

PROVIDERS: dict[str, type[PaymentProvider]] = {
    SandboxProvider.name: SandboxProvider,
    YooKassaProvider.name: YooKassaProvider,
}


class UnknownProviderError(LookupError):
    pass


def get_provider(name: str | None = None) -> PaymentProvider:
    name = name or conf.payment_provider()
    try:
        return PROVIDERS[name]()
    except KeyError:
        raise UnknownProviderError(name) from None
