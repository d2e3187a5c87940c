from celery import shared_task
from django.db import OperationalError

from . import services

_RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 2, "max_retries": 5}


@shared_task(**_RETRY)
def reviews_reveal_due() -> int:
    return services.reviews_reveal_due()


@shared_task(**_RETRY)
def reputation_refresh() -> int:
    return services.reputation_refresh_all()
