"""Every write to the catalog."""

from django.core.cache import cache
from django.db import transaction

from .category_data import CATEGORY_TREE
from .models import Category
from .selectors import CATEGORY_TREE_CACHE_KEY


@transaction.atomic
def category_tree_seed() -> int:
    """Create or rename the standard sections and categories; safe to run again. Returns the count."""
    count = 0
    for s_pos, (slug, icon, name_ru, name_en, children) in enumerate(CATEGORY_TREE):
        section, _ = Category.objects.update_or_create(
            parent=None, slug=slug, defaults={"icon": icon, "name_ru": name_ru, "name_en": name_en, "position": s_pos}
        )
        count += 1
        for c_pos, (child_slug, child_ru, child_en) in enumerate(children):
            Category.objects.update_or_create(
                parent=section, slug=child_slug, defaults={"name_ru": child_ru, "name_en": child_en, "position": c_pos}
            )
            count += 1
    transaction.on_commit(lambda: cache.delete(CATEGORY_TREE_CACHE_KEY))
    return count
