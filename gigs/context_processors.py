from django.utils.functional import SimpleLazyObject

from .selectors import category_tree


def categories(request):
    # Lazy: pages that never show the menu (admin, JSON) never run the query.
    return {"category_tree": SimpleLazyObject(category_tree)}
