from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def gig_image_thumbnail(image_id: int) -> None:
    services.gig_image_build_thumbnail(image_id=image_id)


@shared_task
def gig_views_flush() -> int:
    return services.gig_views_flush()
