from django.utils.functional import SimpleLazyObject

from .selectors import orders_header_counts


def order_counts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"order_counts": SimpleLazyObject(lambda: orders_header_counts(user=user))}
