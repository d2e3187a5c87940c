from django.http import Http404

from .models import User


def user_get_public(*, username: str) -> User:
    """A public profile: active users only, matched case-insensitively."""
    user = User.objects.select_related("profile").filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Http404
    return user
