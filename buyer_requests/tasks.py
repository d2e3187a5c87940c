from celery import shared_task
from django.db import OperationalError

from . import notifications, services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def request_event_notify(event_id: int) -> None:
    notifications.request_event_send(event_id=event_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def requests_sweep() -> dict:
    """Every minute (beat): expire due requests, give back the quota of offers left
    unopened, and email request events the on-commit task missed."""
    return {
        "expired": services.requests_expire_due(),
        "quota_returned": services.offers_return_quota_due(),
        "notified": notifications.request_events_notify_due(),
    }


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def request_alerts_sweep() -> int:
    """Every minute (beat): send the "new matching requests" emails whose batching timer is due."""
    return notifications.request_alerts_send_due()
