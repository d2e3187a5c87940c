"""Every read of the catalog that a page needs, with the visibility rules."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.http import Http404
from moneyed import Money

from accounts.models import User

from .models import Category, Favorite, Gig, GigImage
from .search import SEARCH_CONFIG

CATEGORY_TREE_CACHE_KEY = "gigs:category-tree:v1"

SORTS = ("relevance", "rating", "price_asc", "price_desc", "newest")
DAYS_CHOICES = (1, 3, 7)
TRIGRAM_THRESHOLD = 0.35


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


def category_get(*, section_slug: str, category_slug: str | None = None) -> tuple[Category, Category | None]:
    section = Category.objects.filter(parent__isnull=True, slug=section_slug).first()
    if section is None:
        raise Http404
    if category_slug is None:
        return section, None
    category = Category.objects.filter(parent=section, slug=category_slug).first()
    if category is None:
        raise Http404
    return section, category


def category_gig_counts(*, section: Category | None) -> dict[int, int]:
    """Active gigs per category: of one section's categories, or per section for the whole catalog."""
    active = Gig.objects.filter(status=Gig.Status.ACTIVE)
    if section is None:
        rows = active.values("category__parent_id").annotate(n=Count("id"))
        return {row["category__parent_id"]: row["n"] for row in rows}
    rows = active.filter(category__parent=section).values("category_id").annotate(n=Count("id"))
    return {row["category_id"]: row["n"] for row in rows}


@dataclass
class CatalogQuery:
    """The catalog's filters, as read from the URL by `CatalogFilterForm`."""

    q: str = ""
    section: Category | None = None
    category: Category | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    days: int | None = None
    level: str = ""
    rating: Decimal | None = None
    sort: str = "relevance"


def _cards(queryset: QuerySet) -> QuerySet:
    """What a gig card shows, in a constant number of queries for any page size."""
    return queryset.select_related("seller__profile", "category__parent").prefetch_related(
        Prefetch("images", queryset=GigImage.objects.order_by("position", "id"), to_attr="ordered_images")
    )


def gig_catalog(query: CatalogQuery) -> QuerySet:
    gigs = Gig.objects.filter(status=Gig.Status.ACTIVE)
    if query.category is not None:
        gigs = gigs.filter(category=query.category)
    elif query.section is not None:
        gigs = gigs.filter(category__parent=query.section)
    currency = settings.MARKETPLACE_CURRENCY
    if query.price_min is not None:
        gigs = gigs.filter(price_from__gte=Money(query.price_min, currency))
    if query.price_max is not None:
        gigs = gigs.filter(price_from__lte=Money(query.price_max, currency))
    if query.days:
        gigs = gigs.filter(days_min__lte=query.days)
    if query.level:
        gigs = gigs.filter(seller__profile__seller_level=query.level)
    if query.rating is not None:
        gigs = gigs.filter(rating_avg__gte=query.rating)

    ranked = False
    if query.q:
        gigs, ranked = _search(gigs, query.q)

    order = {
        "rating": ["-rating_avg", "-rating_count", "-id"],
        "price_asc": ["price_from", "-id"],
        "price_desc": ["-price_from", "-id"],
        "newest": ["-published_at", "-id"],
    }.get(query.sort)
    if order is None:  # relevance: the search rank, else popularity
        order = ["-rank", "-rating_avg", "-id"] if ranked else ["-orders_count", "-rating_avg", "-id"]
    return _cards(gigs.order_by(*order))


def _search(gigs: QuerySet, q: str) -> tuple[QuerySet, bool]:
    if connection.vendor == "postgresql":
        search = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        found = gigs.filter(search_vector=search)
        if found.exists():
            return found.annotate(rank=SearchRank(F("search_vector"), search)), True
        # Nothing matched word for word: try a typo-tolerant match on the title.
        fuzzy = gigs.annotate(rank=TrigramWordSimilarity(q, "title")).filter(rank__gte=TRIGRAM_THRESHOLD)
        return fuzzy, True
    condition = Q()
    for word in q.split()[:8]:
        condition &= Q(title__icontains=word) | Q(tags_text__icontains=word) | Q(description__icontains=word)
    return gigs.filter(condition), False


def gig_get_public(*, gig_id: int) -> Gig:
    gig = (
        Gig.objects.select_related("seller__profile", "category__parent")
        .prefetch_related("packages", "extras", "faqs", "images")
        .filter(pk=gig_id, status=Gig.Status.ACTIVE)
        .first()
    )
    if gig is None:
        raise Http404
    return gig


def gig_get_for_viewer(*, gig_id: int, user: User) -> Gig:
    """The gig page: active gigs for everyone, any status for its owner and staff (preview)."""
    gig = (
        Gig.objects.select_related("seller__profile", "category__parent")
        .prefetch_related("packages", "extras", "faqs", "images")
        .filter(pk=gig_id)
        .first()
    )
    if gig is None:
        raise Http404
    if gig.status != Gig.Status.ACTIVE and not (user.is_authenticated and (user.pk == gig.seller_id or user.is_staff)):
        raise Http404
    return gig


def gig_get_own(*, gig_id: int, seller: User) -> Gig:
    gig = (
        Gig.objects.prefetch_related("packages", "extras", "questions", "faqs", "images")
        .filter(pk=gig_id, seller=seller)
        .first()
    )
    if gig is None:
        raise Http404
    return gig


def gigs_of_seller(*, seller: User) -> QuerySet:
    return _cards(Gig.objects.filter(seller=seller)).order_by("-updated_at")


def gigs_more_from_seller(*, gig: Gig, limit: int = 4) -> list[Gig]:
    return list(
        _cards(Gig.objects.filter(seller_id=gig.seller_id, status=Gig.Status.ACTIVE).exclude(pk=gig.pk)).order_by(
            "-orders_count", "-id"
        )[:limit]
    )


def gigs_popular(*, limit: int = 8) -> list[Gig]:
    return list(_cards(Gig.objects.filter(status=Gig.Status.ACTIVE)).order_by("-orders_count", "-id")[:limit])


def favorite_ids(*, user: User, gigs) -> set[int]:
    if not user.is_authenticated:
        return set()
    ids = [gig.pk for gig in gigs]
    return set(Favorite.objects.filter(user=user, gig_id__in=ids).values_list("gig_id", flat=True))


def favorites_of(*, user: User) -> QuerySet:
    # The annotation reuses the filter's join, so each gig comes once, with the user's save time.
    saved = Gig.objects.filter(favorited_by__user=user, status=Gig.Status.ACTIVE).annotate(
        saved_at=Max("favorited_by__created_at")
    )
    return _cards(saved.order_by("-saved_at", "-id"))
