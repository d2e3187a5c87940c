"""Forget what is cached about the catalog when it changes: a gig's anonymous page when the gig
or one of its parts changes, the category tree and the header's menu when a category does."""

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.pagecache import page_cache_forget
from marketplace.templatetags.ui import chrome_forget_all

from .models import Category, Gig, GigExtra, GigFaq, GigImage, GigPackage
from .selectors import CATEGORY_TREE_CACHE_KEY, category_menu_key

GIG_PAGE = "gig"


def gig_page_forget(gig_id: int | None) -> None:
    """After the transaction commits (so the next render reads the new rows), and now."""
    if gig_id is None:
        return
    page_cache_forget(GIG_PAGE, gig_id)
    transaction.on_commit(lambda: page_cache_forget(GIG_PAGE, gig_id))


@receiver(post_save, sender=Gig)
@receiver(post_delete, sender=Gig)
def _gig_changed(sender, instance, **kwargs):
    gig_page_forget(instance.pk)


@receiver(post_save, sender=GigImage)
@receiver(post_delete, sender=GigImage)
@receiver(post_save, sender=GigPackage)
@receiver(post_delete, sender=GigPackage)
@receiver(post_save, sender=GigExtra)
@receiver(post_delete, sender=GigExtra)
@receiver(post_save, sender=GigFaq)
@receiver(post_delete, sender=GigFaq)
def _gig_part_changed(sender, instance, **kwargs):
    gig_page_forget(instance.gig_id)


def category_cache_forget() -> None:
    local = [category_menu_key(code) for code, _label in settings.LANGUAGES]

    def forget():
        cache.delete(CATEGORY_TREE_CACHE_KEY)
        caches["local"].delete_many(local)
        chrome_forget_all()  # the menu is in every header

    forget()
    transaction.on_commit(forget)


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def _category_changed(sender, instance, **kwargs):
    category_cache_forget()
