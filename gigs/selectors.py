from django.core.cache import cache

from .models import Category

CATEGORY_TREE_CACHE_KEY = "gigs:category-tree:v1"


def category_tree() -> list[dict]:
    """Sections with their categories, for the header menu and the home page.

    One query, cached for a few minutes in the shared cache; names are picked per
    language at render time through `Category.name`.
    """
    tree = cache.get(CATEGORY_TREE_CACHE_KEY)
    if tree is None:
        sections: dict[int, dict] = {}
        children: list[Category] = []
        for category in Category.objects.order_by("position", "id"):
            if category.parent_id is None:
                sections[category.id] = {"section": category, "children": []}
            else:
                children.append(category)
        for child in children:
            if child.parent_id in sections:
                sections[child.parent_id]["children"].append(child)
        tree = list(sections.values())
        cache.set(CATEGORY_TREE_CACHE_KEY, tree, 300)
    return tree
