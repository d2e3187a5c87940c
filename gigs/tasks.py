from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def gig_image_thumbnail(image_id: int) -> None:
    services.gig_image_build_thumbnail(image_id=image_id)


@shared_task
def gig_views_flush() -> int:
    return services.gig_views_flush()


@shared_task
def search_terms_flush() -> int:
    return services.search_terms_flush()


@shared_task
def gig_scores_refresh_all() -> int:
    """Nightly: every gig's search score again (freshness fades; nothing else moves it unseen)."""
    from .ranking import gig_scores_refresh

    return gig_scores_refresh()
