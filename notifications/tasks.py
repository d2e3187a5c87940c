from celery import shared_task
from django.db import OperationalError

from . import emails, services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def notification_email(notification_id: int) -> None:
    emails.notification_email_send(notification_id=notification_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notifications_sweep() -> int:
    """Every minute (beat): the emails the on-commit task missed."""
    return emails.notifications_email_due()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notifications_delete_old() -> int:
    """Nightly (beat): retention, see services.notifications_delete_old."""
    return services.notifications_delete_old()
