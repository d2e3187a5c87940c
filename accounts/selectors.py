from django.db.models import Prefetch
from django.http import Http404

from .models import PortfolioImage, PortfolioItem, User


def user_get_public(*, username: str) -> User:
    """A public profile: active users only, matched case-insensitively."""
    user = User.objects.select_related("profile").filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Http404
    return user


_ITEM_IMAGES = Prefetch("images", queryset=PortfolioImage.objects.order_by("position", "id"), to_attr="ordered_images")


def portfolio_of(*, owner: User) -> list[PortfolioItem]:
    """A person's portfolio in their order, with category, linked gig and images (3 queries)."""
    return list(
        PortfolioItem.objects.filter(owner=owner)
        .select_related("category", "gig")
        .prefetch_related(_ITEM_IMAGES)
        .order_by("position", "id")
    )


def portfolio_for_gig(*, gig_id: int, owner_id: int) -> list[PortfolioItem]:
    """The works linked to a gig (only its seller can link one: accounts.services)."""
    return list(
        PortfolioItem.objects.filter(gig_id=gig_id, owner_id=owner_id)
        .select_related("category")
        .prefetch_related(_ITEM_IMAGES)
        .order_by("position", "id")
    )


def portfolio_item_get_own(*, owner: User, item_id: int) -> PortfolioItem:
    """One of the owner's works, for the editor; anyone else's is a 404."""
    item = PortfolioItem.objects.prefetch_related(_ITEM_IMAGES).filter(pk=item_id, owner=owner).first()
    if item is None:
        raise Http404
    return item
