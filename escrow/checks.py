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
