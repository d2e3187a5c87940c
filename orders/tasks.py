from celery import shared_task
from django.db import OperationalError

from . import notifications, services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def order_event_notify(event_id: int) -> None:
    notifications.order_event_send(event_id=event_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def order_file_thumbnail(file_id: int) -> None:
    services.order_file_build_thumbnail(file_id=file_id)


@shared_task
def orders_sweep() -> dict:
    return services.orders_sweep()
