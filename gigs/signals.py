"""Forget the cached fragments of the catalog when what they show changes without a timestamp
of its own in their keys: a gig's parts (images, packages, extras, FAQ) and its reviews, and
the category tree (marketplace/fragments.py)."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace import fragments
from marketplace.fragments import gig_group

from .models import Category, Gig, GigExtra, GigFaq, GigImage, GigPackage
from .selectors import CATEGORY_TREE_CACHE_KEY


def gig_fragments_forget(gig_id: int | None) -> None:
    if gig_id is not None:
        fragments.generation_bump(gig_group(gig_id))


@receiver(post_save, sender=Gig)
@receiver(post_delete, sender=Gig)
def _gig_changed(sender, instance, **kwargs):
    gig_fragments_forget(instance.pk)


@receiver(post_save, sender=GigImage)
@receiver(post_delete, sender=GigImage)
@receiver(post_save, sender=GigPackage)
@receiver(post_delete, sender=GigPackage)
@receiver(post_save, sender=GigExtra)
@receiver(post_delete, sender=GigExtra)
@receiver(post_save, sender=GigFaq)
@receiver(post_delete, sender=GigFaq)
def _gig_part_changed(sender, instance, **kwargs):
    gig_fragments_forget(instance.gig_id)


def category_cache_forget() -> None:
    """The tree (shared cache) and every fragment that shows categories, in every process."""
    cache.delete(CATEGORY_TREE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CATEGORY_TREE_CACHE_KEY))
    fragments.generation_bump(fragments.CATEGORIES)


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def _category_changed(sender, instance, **kwargs):
    category_cache_forget()
