from django.utils.functional import SimpleLazyObject

from . import conf
from .selectors import unread_total


def unread_messages(request):
    """`messaging_unread`: the header's unread counter, counted only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "messaging_unread": SimpleLazyObject(lambda: unread_total(user=user)),
        "badge_poll_seconds": conf.badge_poll_seconds(),
    }
