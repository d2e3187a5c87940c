from django.utils.functional import SimpleLazyObject

from . import conf
from .selectors import header_counts


def header_counts_context(request):
    """The signed-in header's counters, `order_counts` (buying, selling), `messaging_unread`
    and `notifications_unread`, counted in one query, and only if a template reads one of them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = SimpleLazyObject(lambda: header_counts(user=user))
    return {
        "order_counts": SimpleLazyObject(lambda: {"buying": counts["buying"], "selling": counts["selling"]}),
        "messaging_unread": SimpleLazyObject(lambda: counts["unread"]),
        "notifications_unread": SimpleLazyObject(lambda: counts["notifications"]),
        "badge_poll_seconds": conf.badge_poll_seconds(),
    }
