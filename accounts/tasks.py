from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def portfolio_image_thumbnail(image_id: int) -> None:
    services.portfolio_image_build_thumbnail(image_id=image_id)
