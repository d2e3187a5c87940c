"""Every read of requests and offers that a page or a task needs, with the access rules.

Who sees what:
- a request: its client (any status), staff, and freelancers while it is active and public
  or they are invited; a freelancer who sent an offer keeps seeing it afterwards;
- offers: the client sees every offer's details; a freelancer sees their own offer and only
  the number of the others; anyone else gets a 404 on every offer URL;
- attachments: the client, invited freelancers, freelancers who sent an offer, and staff.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from moneyed import Money

from accounts.models import Profile, User
from gigs.models import Category, Gig

from . import conf
from .models import BuyerRequest, Invitation, Offer, RequestAlert, RequestFile
from .search import SEARCH_CONFIG

S = BuyerRequest.Status
OfferStatus = Offer.Status

SORTS = ("newest", "relevance", "budget_desc", "budget_asc")
TRIGRAM_THRESHOLD = 0.35


# --- quota ----------------------------------------------------------------------------------------


@dataclass
class Quota:
    limit: int  # the level's daily quota plus the offers returned today
    used: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The calendar day of `now` in the site's time zone, as an aware [start, end) pair."""
    tz = zoneinfo.ZoneInfo(conf.time_zone())
    day = now.astimezone(tz).date()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def offer_quota(*, freelancer: User, level: str | None = None, now=None) -> Quota:
    """Offers left today: the level's quota, minus offers sent today that still count, plus
    earlier offers whose quota came back today (the client never opened them)."""
    now = now or timezone.now()
    if level is None:
        level = Profile.objects.filter(pk=freelancer.pk).values_list("seller_level", flat=True).first() or "new"
    start, end = day_bounds(now)
    row = Offer.objects.filter(freelancer=freelancer).aggregate(
        sent=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end, quota_returned_at__isnull=True)),
        returned=Count("pk", filter=Q(quota_returned_at__gte=start, quota_returned_at__lt=end, created_at__lt=start)),
    )
    return Quota(limit=conf.offer_quota_for(level) + row["returned"], used=row["sent"])


# --- requests -------------------------------------------------------------------------------------


def _visible_to_freelancer(user: User) -> Q:
    invited = Invitation.objects.filter(request=OuterRef("pk"), freelancer=user)
    return Q(status=S.ACTIVE) & (Q(visibility=BuyerRequest.Visibility.PUBLIC) | Exists(invited))


def request_get_for_viewer(*, user: User, request_id: int) -> BuyerRequest:
    """The request page: see the module docstring for who may open it; others get a 404."""
    if not user.is_authenticated:
        raise Http404
    requests = BuyerRequest.objects.select_related("client__profile", "category__parent").defer("search_vector")
    if not user.is_staff:
        offered = Offer.objects.filter(request=OuterRef("pk"), freelancer=user)
        requests = requests.filter(Q(client=user) | _visible_to_freelancer(user) | Exists(offered))
    found = requests.filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def request_get_own(*, client: User, request_id: int) -> BuyerRequest:
    if not client.is_authenticated:
        raise Http404
    found = (
        BuyerRequest.objects.select_related("category__parent")
        .defer("search_vector")
        .filter(pk=request_id, client=client)
        .first()
    )
    if found is None:
        raise Http404
    return found


def request_file_get(*, user: User, request_id: int, file_id: int) -> RequestFile:
    """A request's attachment for its client, staff, invited freelancers and those who sent an offer."""
    if not user.is_authenticated:
        raise Http404
    item = RequestFile.objects.select_related("request").filter(pk=file_id, request_id=request_id).first()
    if item is None or not can_download_files(user=user, buyer_request=item.request):
        raise Http404
    return item


def can_download_files(*, user: User, buyer_request: BuyerRequest) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.pk == buyer_request.client_id:
        return True
    return (
        Invitation.objects.filter(request=buyer_request, freelancer=user).exists()
        or Offer.objects.filter(request=buyer_request, freelancer=user).exists()
    )


def is_invited(*, user: User, buyer_request: BuyerRequest) -> bool:
    return user.is_authenticated and Invitation.objects.filter(request=buyer_request, freelancer=user).exists()


def _offer_count(**filters) -> Coalesce:
    """Offers a request has (withdrawn ones never count), as a subquery: no join, no GROUP BY."""
    counted = (
        Offer.objects.filter(request=OuterRef("pk"), **filters)
        .exclude(status=OfferStatus.WITHDRAWN)
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def offer_count(*, buyer_request: BuyerRequest) -> int:
    return buyer_request.offers.exclude(status=OfferStatus.WITHDRAWN).count()


@dataclass
class BoardQuery:
    """The board's filters, as read from the URL by `BoardFilterForm`."""

    q: str = ""
    category: Category | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    sort: str = "newest"


def board(*, user: User, query: BoardQuery, now=None) -> QuerySet:
    """Active requests a freelancer may answer (public, or invited to), other people's only,
    each with its offer count and whether `user` already sent one. Constant queries per page."""
    now = now or timezone.now()
    requests = (
        BuyerRequest.objects.filter(_visible_to_freelancer(user), expires_at__gt=now)
        .exclude(client=user)
        .select_related("client__profile", "category__parent")
        .defer("search_vector")
        .annotate(
            offers_count=_offer_count(),
            already_offered=Exists(Offer.objects.filter(request=OuterRef("pk"), freelancer=user)),
            invited=Exists(Invitation.objects.filter(request=OuterRef("pk"), freelancer=user)),
        )
    )
    if query.category is not None:
        if query.category.parent_id is None:
            requests = requests.filter(category__parent=query.category)
        else:
            requests = requests.filter(category=query.category)
    currency = conf.currency()
    # Budget filters match overlapping ranges: "from 5000" keeps a 3000-6000 request.
    if query.budget_min is not None:
        requests = requests.filter(budget_max__gte=Money(query.budget_min, currency))
    if query.budget_max is not None:
        requests = requests.filter(budget_min__lte=Money(query.budget_max, currency))
    ranked = False
    if query.q:
        requests, ranked = _search(requests, query.q)
    order = {
        "budget_desc": ["-budget_max", "-published_at", "-id"],
        "budget_asc": ["budget_min", "-published_at", "-id"],
    }.get(query.sort)
    if order is None:
        order = (
            ["-rank", "-published_at", "-id"] if (ranked and query.sort == "relevance") else ["-published_at", "-id"]
        )
    return requests.order_by(*order)


def _search(requests: QuerySet, q: str) -> tuple[QuerySet, bool]:
    if connection.vendor == "postgresql":
        search = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        found = requests.filter(search_vector=search)
        if found.exists():
            return found.annotate(rank=SearchRank(F("search_vector"), search)), True
        # Nothing matched word for word: try a typo-tolerant match on the title.
        fuzzy = requests.annotate(rank=TrigramWordSimilarity(q, "title")).filter(rank__gte=TRIGRAM_THRESHOLD)
        return fuzzy, True
    condition = Q()
    for word in q.split()[:8]:
        condition &= Q(title__icontains=word) | Q(description__icontains=word)
    return requests.filter(condition), False


def requests_of_client(*, client: User) -> QuerySet:
    return (
        BuyerRequest.objects.filter(client=client)
        .select_related("category__parent")
        .defer("search_vector")
        .annotate(
            offers_count=_offer_count(),
            unopened_count=_offer_count(status=OfferStatus.SENT, opened_at__isnull=True),
        )
        .order_by("-created_at", "-id")
    )


def requests_to_invite(*, client: User, freelancer: User) -> list[BuyerRequest]:
    """The client's active requests this freelancer could be invited to (none for oneself or a non-seller)."""
    if not client.is_authenticated or client.pk == freelancer.pk or not freelancer.is_seller:
        return []
    return list(
        BuyerRequest.objects.filter(client=client, status=S.ACTIVE)
        .defer("search_vector")
        .annotate(
            already_invited=Exists(Invitation.objects.filter(request=OuterRef("pk"), freelancer=freelancer)),
            already_offered=Exists(Offer.objects.filter(request=OuterRef("pk"), freelancer=freelancer)),
        )
        .order_by("-published_at", "-id")[:20]
    )


# --- offers ---------------------------------------------------------------------------------------


def offer_of(*, freelancer: User, buyer_request: BuyerRequest) -> Offer | None:
    if not freelancer.is_authenticated:
        return None
    return Offer.objects.select_related("gig").filter(request=buyer_request, freelancer=freelancer).first()


def offers_for_client(*, buyer_request: BuyerRequest) -> list[Offer]:
    """The comparison page: every offer but the withdrawn ones, open ones first, cheapest first;
    with what the page shows of each freelancer, in one query."""
    offers = (
        Offer.objects.filter(request=buyer_request)
        .exclude(status=OfferStatus.WITHDRAWN)
        .select_related("freelancer__profile", "gig")
        .order_by("created_at", "id")
    )
    rank = {OfferStatus.ACCEPTED: 0, OfferStatus.SENT: 1, OfferStatus.DECLINED: 2}
    return sorted(offers, key=lambda o: (rank.get(o.status, 3), o.price.amount, o.created_at))


def offer_get_own(*, freelancer: User, offer_id: int) -> Offer:
    if not freelancer.is_authenticated:
        raise Http404
    offer = Offer.objects.select_related("request__category", "gig").filter(pk=offer_id, freelancer=freelancer).first()
    if offer is None:
        raise Http404
    return offer


def offer_get_for_client(*, client: User, offer_id: int) -> Offer:
    if not client.is_authenticated:
        raise Http404
    offer = (
        Offer.objects.select_related("request", "freelancer")
        .filter(pk=offer_id, request__client=client)
        .exclude(status=OfferStatus.WITHDRAWN)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def offers_of_freelancer(*, freelancer: User) -> QuerySet:
    return (
        Offer.objects.filter(freelancer=freelancer)
        .select_related("request__category", "gig", "order")
        .defer("request__search_vector")
        .order_by("-created_at", "-id")
    )


def gigs_for_offer(*, freelancer: User) -> list[Gig]:
    return list(Gig.objects.filter(seller=freelancer, status=Gig.Status.ACTIVE).only("pk", "title").order_by("title"))


# --- alerts ---------------------------------------------------------------------------------------


def alert_category_ids(*, user: User) -> set[int]:
    return set(RequestAlert.objects.filter(user=user).values_list("category_id", flat=True))


def requests_matching_alerts(*, user: User, since, limit: int) -> list[BuyerRequest]:
    """Public active requests in the user's alert categories that went live after `since`."""
    categories = RequestAlert.objects.filter(user=user).values("category_id")
    return list(
        BuyerRequest.objects.filter(
            status=S.ACTIVE,
            visibility=BuyerRequest.Visibility.PUBLIC,
            category_id__in=categories,
            published_at__gt=since,
        )
        .exclude(client=user)
        .exclude(Exists(Offer.objects.filter(request=OuterRef("pk"), freelancer=user)))
        .select_related("category")
        .defer("search_vector")
        .order_by("-published_at", "-id")[:limit]
    )


def child_categories() -> list[Category]:
    """Categories a request or an alert can be in (not sections), grouped by section order."""
    return list(
        Category.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__position", "parent_id", "position", "id")
    )
