from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def message_emails_sweep() -> int:
    """Every minute (beat): email the people whose batching timer is due."""
    return services.message_emails_send_due()
