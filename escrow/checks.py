"""Start-up checks: production refuses to run (`migrate`, `runserver`, `check`) without a
usable key for the payout details (a withdrawal could not be paid, nor a method added)."""

from django.core.checks import Error, register

from .payout_details import payout_details_key_problem


@register()
def payout_details_key_check(app_configs, **kwargs):
    problem = payout_details_key_problem()
    if not problem:
        return []
    return [Error(problem, hint="See README, configuration: PAYOUT_DETAILS_KEY.", id="escrow.E001")]


@register()
def provider_settings_check(app_configs, **kwargs):
    """A provider switched on without its keys would fail every payment or payout at run
    time: refuse to start instead."""
    from django.conf import settings

    from .providers import PROVIDERS

    errors = []
    if settings.PAYMENT_PROVIDER not in PROVIDERS:
        errors.append(
            Error(
                f"PAYMENT_PROVIDER={settings.PAYMENT_PROVIDER!r} is not one of {sorted(PROVIDERS)}.",
                id="escrow.E002",
            )
        )
    if settings.PAYMENT_PROVIDER == "yookassa" and not (settings.YOOKASSA_SHOP_ID and settings.YOOKASSA_SECRET_KEY):
        errors.append(
            Error(
                "PAYMENT_PROVIDER=yookassa needs YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY.",
                hint='See README, "Real money: YooKassa".',
                id="escrow.E003",
            )
        )
    if settings.PAYOUT_PROVIDER not in ("", "yookassa"):
        errors.append(Error(f"PAYOUT_PROVIDER={settings.PAYOUT_PROVIDER!r} is not '' or 'yookassa'.", id="escrow.E004"))
    if settings.PAYOUT_PROVIDER == "yookassa" and not (
        settings.YOOKASSA_PAYOUT_AGENT_ID and settings.YOOKASSA_PAYOUT_SECRET_KEY
    ):
        errors.append(
            Error(
                "PAYOUT_PROVIDER=yookassa needs YOOKASSA_PAYOUT_AGENT_ID and YOOKASSA_PAYOUT_SECRET_KEY.",
                hint='See README, "Real money: YooKassa".',
                id="escrow.E005",
            )
        )
    return errors
