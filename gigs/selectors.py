"""Every read of the catalog that a page needs, with the visibility rules."""

import difflib
import functools
import hashlib
import json
import math
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from moneyed import Money

from accounts.models import Profile, User
from marketplace.rows import Columns, split

from .models import Category, Favorite, Gig, GigImage
from .ranking import Explanation, explain_scores, ranking_settings
from .search import (
    TIER_NAMES,
    Terms,
    TsMatch,
    folded,
    parse_terms,
    pg_queries,
    search_lexemes,
    sqlite_queries,
    tsquery_literal,
    word_start,
)

CATEGORY_TREE_CACHE_KEY = "gigs:category-tree:v1"
CATEGORY_COUNTS_CACHE_KEY = "gigs:category-counts:v1"
CATALOG_COUNT_CACHE_KEY = "gigs:catalog-count:v3"

SORTS = ("relevance", "rating", "price_asc", "price_desc", "newest")
# Each sort's columns, all in one direction so that a page boundary is one row comparison;
# the id last makes the order total. "relevance" without search words is popularity.
# Migration 0004 has an index for each, alone and after the category.
SORT_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "relevance": (("orders_count", "rating_avg", "id"), True),
    "rating": (("rating_avg", "rating_count", "id"), True),
    "price_asc": (("price_from", "id"), False),
    "price_desc": (("price_from", "id"), True),
    "newest": (("published_at", "id"), True),
}
DAYS_CHOICES = (1, 3, 7)
TRIGRAM_THRESHOLD = 0.35

CATALOG_COUNT_EXACT_UP_TO = 1000
CATALOG_COUNT_CACHE_SECONDS = 300


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
    """A section (and one of its categories) by slug, from the cached tree: every catalog
    page of a section or category asks, and two queries cost 1-2 ms a page. A category
    save forgets the tree (gigs/signals.py)."""
    for entry in category_tree():
        if entry["section"].slug == section_slug:
            break
    else:
        raise Http404
    if category_slug is None:
        return entry["section"], None
    for category in entry["children"]:
        if category.slug == category_slug:
            return entry["section"], category
    raise Http404


def on_sale(gigs: QuerySet | None = None) -> QuerySet:
    """The gigs anyone may find and order: active, of a seller who is not on vacation.

    The sellers away are a `NOT EXISTS` on a small partial index (accounts.Profile): an anti
    join on top of whatever index the query walks, so the catalog's, search's and
    suggestions' plans stay the ones they were, and the planner's row estimates (the
    catalog's "about N") stay right; a `NOT IN` halved them. No column of the gig to keep."""
    gigs = Gig.objects.all() if gigs is None else gigs
    away = Profile.objects.filter(user_id=OuterRef("seller_id"), on_vacation=True)
    return gigs.filter(status=Gig.Status.ACTIVE).filter(~Exists(away))


def category_gig_counts(*, section: Category | None) -> dict[int, int]:
    """Active gigs per category: of one section's categories, or per section for the whole catalog.

    A GROUP BY over every active gig, so it is cached for a few minutes: the side menu's
    numbers may lag a new gig by that much."""
    key = f"{CATEGORY_COUNTS_CACHE_KEY}:{section.pk if section else 0}"
    counts = cache.get(key)
    if counts is None:
        active = on_sale()
        if section is None:
            rows = active.values("category__parent_id").annotate(n=Count("id"))
            counts = {row["category__parent_id"]: row["n"] for row in rows}
        else:
            rows = active.filter(category__parent=section).values("category_id").annotate(n=Count("id"))
            counts = {row["category_id"]: row["n"] for row in rows}
        cache.set(key, counts, CATALOG_COUNT_CACHE_SECONDS)
    return counts


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

    @property
    def ranked(self) -> bool:
        """Ordered by the search rank (a query with the relevance sort)."""
        return bool(self.q) and self.sort == "relevance"

    def cache_key(self, prefix: str) -> str:
        parts = [
            self.q, self.section and self.section.pk, self.category and self.category.pk, self.price_min,
            self.price_max, self.days, self.level, self.rating, connection.vendor,
        ]  # fmt: skip
        return f"{prefix}:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ResultCount:
    """How many gigs a listing has: exact up to CATALOG_COUNT_EXACT_UP_TO, else PostgreSQL's
    estimate (shown as "about N"): an exact count of 100 000 rows would cost more than the page.
    `at_least`: the estimate fell below what was counted, so the page says "more than N"."""

    value: int
    exact: bool
    at_least: bool = False


@dataclass
class CatalogPage:
    """One page of the catalog. Pages are addressed by an opaque token in the URL (`after`
    or `before` the gig where the neighbouring page ends), never by an OFFSET: every page
    costs what the first one costs; ranked search results too, by (tier, score, id).
    `fallback`: "any" when no gig had every word and these have some of them, "typo" when
    nothing had the words and these titles are like them; `suggestion`: "did you mean"."""

    gigs: list[Gig]
    number: int
    next_token: str = ""
    previous_token: str = ""
    fallback: str = ""
    suggestion: str = ""

    @property
    def object_list(self) -> list[Gig]:
        """The name Django's Page uses, for templates and code written for it."""
        return self.gigs

    @property
    def has_next(self) -> bool:
        return bool(self.next_token)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_previous(self) -> bool:
        """The previous page is the first one (its link needs no token)."""
        return self.number == 2


def _cards(queryset: QuerySet) -> QuerySet:
    """What a gig card shows, in a constant number of queries for any page size."""
    return (
        queryset.select_related("seller__profile", "category__parent")
        .defer("description", "search_vector")
        .prefetch_related(_CARD_IMAGES)
    )


_CARD_IMAGES = Prefetch("images", queryset=GigImage.objects.order_by("position", "id"), to_attr="ordered_images")


# What a listing reads of each gig: what a card shows, the card cache's key, the sort keys
# (the page tokens) and the seller (favourite buttons). Half of the row's columns: building
# 25 instances of the whole row cost 1.5 ms of Python per page, mostly for columns never shown.
LISTING_FIELDS = (
    "id", "seller_id", "title", "slug", "price_from", "price_from_currency", "rating_avg", "rating_count",
    "orders_count", "published_at", "updated_at", "status",
)  # fmt: skip


def listing_queryset(queryset: QuerySet) -> QuerySet:
    """A listing's rows: `LISTING_FIELDS` only (never the description or the search vector,
    most of a row's bytes). What a card adds (seller, images) is read by `card_details` for
    the cards that are not cached, in two more queries at most."""
    return queryset.only(*LISTING_FIELDS)


def card_details(gigs: list[Gig]) -> None:
    """Load what the cards of `gigs` show beyond the gig's row: seller, profile, images."""
    prefetch_related_objects(gigs, "seller__profile", _CARD_IMAGES)


def _filtered(query: CatalogQuery, *, section_ids: list[int] | None = None) -> QuerySet:
    gigs = on_sale()
    if query.category is not None:
        gigs = gigs.filter(category=query.category)
    elif section_ids is not None:
        gigs = gigs.filter(category_id__in=section_ids)
    elif query.section is not None:
        # The section's categories as a subquery, not a join: the sort's index is walked
        # with a hashed IN filter, and the plan stays the one of the whole catalog.
        gigs = gigs.filter(category_id__in=Category.objects.filter(parent=query.section).values("pk"))
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
    return gigs


def _matching(query: CatalogQuery, *, section_ids: list[int] | None = None) -> QuerySet:
    """Every active gig that the filters and the search words let through (unordered): every
    word (or, when no gig has them all, some of them). `section_ids`: the section's
    categories as a list rather than a subquery."""
    gigs = _filtered(query, section_ids=section_ids)
    if query.q:
        plan = search_plan(query.q)
        gigs = _search_base(gigs)
        if not plan.tiers:
            return gigs.none()
        every = plan.tiers[-1][1]
        if plan.any_words is not None and not gigs.filter(every).exists():
            return gigs.filter(plan.any_words)
        gigs = gigs.filter(every)
    return gigs


@dataclass(frozen=True)
class SearchPlan:
    """What a query means in this database: its tiers (gigs/ranking.py), best first, each
    contained in the next, and the some-of-the-words fallback."""

    terms: Terms
    tiers: tuple[tuple[int, Q], ...]
    any_words: Q | None


@functools.lru_cache(maxsize=2048)
def _search_plan(q: str, vendor: str) -> SearchPlan:
    terms = parse_terms(q)
    if vendor == "postgresql":
        built = pg_queries(terms)
        exclude = ~Q(TsMatch(built.exclude)) if built.exclude else Q()
        tiers = tuple((tier, Q(TsMatch(expression, column)) & exclude) for tier, column, expression in built.tiers)
        any_words = Q(TsMatch(built.any_words)) & exclude if built.any_words else None
        return SearchPlan(terms=terms, tiers=tiers, any_words=any_words)
    built = sqlite_queries(terms)
    return SearchPlan(terms=terms, tiers=() if terms.empty else built.tiers, any_words=built.any_words)


def search_plan(q: str) -> SearchPlan:
    return _search_plan(q, connection.vendor)


def _search_base(gigs: QuerySet) -> QuerySet:
    return gigs if connection.vendor == "postgresql" else folded(gigs)


def gig_catalog(query: CatalogQuery) -> QuerySet:
    """The catalog's gigs in the order of `query.sort` (with a search, the search's own
    order is `catalog_page`'s, tier by tier: gigs/ranking.py)."""
    fields, descending = SORT_KEYS[query.sort]
    return _cards(_matching(query).order_by(*[f"-{f}" if descending else f for f in fields]))


def catalog_page(query: CatalogQuery, *, after: str = "", before: str = "", size: int | None = None) -> CatalogPage:
    """One page of the catalog, after (or before) the position that a token names.

    A bad or stale token is ignored: the first page comes instead of an error."""
    size = size or settings.CATALOG_PAGE_SIZE
    if query.ranked:
        return _ranked_page(query, after=after, before=before, size=size)
    queryset, forward, number = catalog_page_queryset(query, after=after, before=before, size=size)
    rows = list(queryset)
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
        if not more:  # walked back past the first page: it is the first page
            return catalog_page(query, size=size)
    fields, _descending = SORT_KEYS[query.sort]
    page = CatalogPage(gigs=rows, number=number)
    if rows and (more or not forward):
        page.next_token = _token_encode([getattr(rows[-1], f) for f in fields], number + 1)
    if rows and number > 1:
        page.previous_token = _token_encode([getattr(rows[0], f) for f in fields], number - 1)
    return page


def catalog_page_queryset(
    query: CatalogQuery, *, after: str = "", before: str = "", size: int | None = None
) -> tuple[QuerySet, bool, int]:
    """The query of one keyset page: `size + 1` gigs (the extra one tells whether another
    page follows) in walking order, whether it walks forward, and the page's number."""
    size = size or settings.CATALOG_PAGE_SIZE
    fields, descending = SORT_KEYS[query.sort]
    forward = not before
    position = _token_decode(after or before, fields)
    gigs = _matching(query)
    number = 1
    if position is None:
        forward = True
    else:
        values, number = position
        # Going back reads the same index the other way round, from the first gig of the page.
        gigs = gigs.filter(_keyset_condition(fields, values, greater=descending != forward))
    walk_descending = descending if forward else not descending
    ordered = gigs.order_by(*[f"-{f}" if walk_descending else f for f in fields])
    return listing_queryset(ordered)[: size + 1], forward, number


def catalog_token_after(query: CatalogQuery, gig: Gig, number: int) -> str:
    """The token of page `number` when it starts right after `gig` (links, tests, benchmarks)."""
    fields, _descending = SORT_KEYS[query.sort]
    return _token_encode([getattr(gig, f) for f in fields], number)


def _keyset_condition(fields: tuple[str, ...], values: list, *, greater: bool) -> RawSQL:
    """(a, b, id) < (x, y, z) as one row comparison: an index range start, not a filter."""
    quote = connection.ops.quote_name
    columns = [f"{quote(Gig._meta.db_table)}.{quote(Gig._meta.get_field(f).column)}" for f in fields]
    params = [Gig._meta.get_field(f).get_db_prep_value(v, connection) for f, v in zip(fields, values, strict=True)]
    placeholders = ", ".join(["%s"] * len(values))
    sql = f"({', '.join(columns)}) {'>' if greater else '<'} ({placeholders})"
    # Column names come from SORT_KEYS; the values are parameters.
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611


RANK_ORDER = ("-search_score", "-id")


def _ranked_page(query: CatalogQuery, *, after: str, before: str, size: int) -> CatalogPage:
    """Search results in the documented order (gigs/ranking.py): tier by tier, each tier
    walked in the stored score's index order, so page 1 is the exact top of every match
    however many there are, and pages are keyset ranges of one total order (no overlaps)."""
    plan = search_plan(query.q)
    base = _search_base(_filtered(query))
    position = _ranked_token_decode(after or before)
    forward = not (before and position)
    if position is None:
        key, number = None, 1
    else:
        key, number = position
    tiers = list(plan.tiers)
    fallback = ""
    if key is not None and key[0] == 0:
        tiers, fallback = ([(0, plan.any_words)] if plan.any_words is not None else []), "any"
    rows = _walk(base, tiers, key, forward=forward, limit=size + 1)
    if not rows and key is None and plan.any_words is not None:
        tiers, fallback = [(0, plan.any_words)], "any"
        rows = _walk(base, tiers, None, forward=True, limit=size + 1)
    if not rows and key is None:
        return _typo_page(query, size=size)
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
        if not more:  # walked back to the start: that is the first page
            return _ranked_page(query, after="", before="", size=size)
    by_id = {gig.pk: gig for gig in listing_queryset(Gig.objects.filter(pk__in=[pk for _t, _s, pk in rows]))}
    page = CatalogPage(gigs=[by_id[pk] for _t, _s, pk in rows if pk in by_id], number=number, fallback=fallback)
    if rows and (more or not forward):
        page.next_token = _token_encode(list(rows[-1]), number + 1)
    if rows and number > 1:
        page.previous_token = _token_encode(list(rows[0]), number - 1)
    return page


def _walk(base: QuerySet, tiers: list[tuple[int, Q]], key, *, forward: bool, limit: int) -> list[tuple]:
    """Up to `limit` (tier, score, id) rows after `key` (or before it, backwards), in result
    order. Each tier is one query: its condition minus the tier above it, in score order
    from the key on. A page needs the next tiers only when a tier runs out."""
    positions = {tier: index for index, (tier, _q) in enumerate(tiers)}
    if key is not None and key[0] not in positions:
        return []
    start = positions[key[0]] if key is not None else 0
    visit = range(start, len(tiers)) if forward else range(start, -1, -1)
    order = RANK_ORDER if forward else tuple(f.lstrip("-") for f in RANK_ORDER)
    rows: list[tuple] = []
    for index in visit:
        tier, condition = tiers[index]
        gigs = base.filter(condition)
        if index > 0:
            gigs = gigs.exclude(tiers[index - 1][1])
        if key is not None and index == start:
            gigs = gigs.filter(_keyset_condition(("search_score", "id"), [key[1], key[2]], greater=not forward))
        found = gigs.order_by(*order).values_list("search_score", "pk")[: limit - len(rows)]
        rows += [(tier, score, pk) for score, pk in found]
        if len(rows) >= limit:
            break
    return rows


def _ranked_token_decode(token: str) -> tuple[tuple[int, float, int], int] | None:
    if not token or len(token) > 300:
        return None
    try:
        raw, number = json.loads(urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        tier, score, pk = raw
        valid = (
            isinstance(number, int) and 1 < number < 10**7 and type(tier) is int and 0 <= tier <= 4
            and isinstance(score, float | int) and not isinstance(score, bool) and math.isfinite(score)
            and type(pk) is int and 0 < pk < 2**63
        )  # fmt: skip
        return ((tier, float(score), pk), number) if valid else None
    except (ValueError, TypeError, ArithmeticError):
        return None


def ranked_page_one_sql(query: CatalogQuery, *, size: int) -> list[tuple[str, list]]:
    """(sql, params) of each tier's query for page 1, in order: what `_walk` runs, for the
    benchmark's raw-SQL baseline (which runs them until it has a page)."""
    plan = search_plan(query.q)
    base = _search_base(_filtered(query))
    tiers = list(plan.tiers)
    statements = []
    for index, (_tier, condition) in enumerate(tiers):
        gigs = base.filter(condition)
        if index > 0:
            gigs = gigs.exclude(tiers[index - 1][1])
        statements.append(gigs.order_by(*RANK_ORDER).values_list("pk")[: size + 1].query.sql_with_params())
    return statements


def _typo_page(query: CatalogQuery, *, size: int) -> CatalogPage:
    """Nothing has the words: titles like them (trigrams, PostgreSQL), and "did you mean"."""
    if connection.vendor != "postgresql" or not query.q.strip():
        return CatalogPage(gigs=[], number=1)
    rows = _fuzzy_candidates(query, limit=size)
    by_id = {gig.pk: gig for gig in listing_queryset(Gig.objects.filter(pk__in=[pk for pk, *_ in rows]))}
    gigs = [by_id[pk] for pk, *_ in rows if pk in by_id]
    suggestion = did_you_mean(query.q, [gig.title for gig in gigs])
    return CatalogPage(gigs=gigs, number=1, fallback="typo" if gigs else "", suggestion=suggestion)


def did_you_mean(q: str, titles: list[str]) -> str:
    """The query with each word that no title has replaced by the most similar title word."""
    vocabulary = {word.strip(".,:;!?()«»\"'").casefold() for title in titles for word in title.split()}
    vocabulary.discard("")
    out, changed = [], False
    for word in q.split():
        folded_word = word.casefold()
        if folded_word in vocabulary or len(folded_word) < 3:
            out.append(word)
            continue
        close = difflib.get_close_matches(folded_word, sorted(vocabulary), n=1, cutoff=0.6)
        out.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(out) if changed else ""


def _fuzzy_candidates(query: CatalogQuery, *, limit: int) -> list[tuple[int, float, Decimal]]:
    # `%>` uses the trigram index on the title; its threshold is a setting, set for this
    # transaction only (the database default, 0.6, misses most typos).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [TRIGRAM_THRESHOLD])
        return list(
            _filtered(query)
            .filter(title__trigram_word_similar=query.q)
            .annotate(rank=TrigramWordSimilarity(query.q, "title"))
            .order_by("-rank", "-search_score", "-id")
            .values_list("pk", "rank", "rating_avg")[:limit]
        )


def catalog_count(query: CatalogQuery) -> ResultCount:
    """How many gigs the listing has, cached per filter set for a few minutes (and for half a
    minute in the process, the "local" cache).

    Counted exactly up to CATALOG_COUNT_EXACT_UP_TO (a count that stops there), else the
    planner's estimate: the page says "about 12 000" rather than scan 12 000 rows."""
    key = query.cache_key(CATALOG_COUNT_CACHE_KEY)
    cached = caches["local"].get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is not None:
            caches["local"].set(key, cached)
    if cached is not None:
        return ResultCount(*cached)
    matching = _matching(query).order_by()
    found = matching.values("pk")[: CATALOG_COUNT_EXACT_UP_TO + 1].count()
    if found <= CATALOG_COUNT_EXACT_UP_TO:
        result = ResultCount(found, True)
    else:
        # The planner cannot see through the section's subquery (it guessed 753 gigs for a
        # section of 15 261): the estimate is asked with the section's categories listed.
        section_ids = None
        if query.section is not None and query.category is None:
            section_ids = [c.pk for entry in category_tree() if entry["section"].pk == query.section.pk
                           for c in entry["children"]]  # fmt: skip
        estimate = _estimate(_matching(query, section_ids=section_ids).order_by())
        if estimate >= found:
            result = ResultCount(estimate, False)
        else:  # filters the planner takes as independent when they are not
            result = ResultCount(CATALOG_COUNT_EXACT_UP_TO, False, at_least=True)
    cache.set(key, (result.value, result.exact, result.at_least), CATALOG_COUNT_CACHE_SECONDS)
    caches["local"].set(key, (result.value, result.exact, result.at_least))
    return result


def _estimate(queryset: QuerySet) -> int:
    """The planner's estimate of the rows a query returns (PostgreSQL; SQLite counts)."""
    if connection.vendor != "postgresql":
        return queryset.count()
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _token_encode(values: list, number: int) -> str:
    """An opaque page token: the sort values where a page ends, and the page's number."""
    data = json.dumps([[_json_value(v) for v in values], number], separators=(",", ":"))
    return urlsafe_b64encode(data.encode()).decode().rstrip("=")


def _json_value(value):
    if isinstance(value, Money):
        value = value.amount
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _token_decode(token: str, fields: tuple[str, ...]) -> tuple[list, int] | None:
    """The values and page number in a token, or None for a missing or bad one."""
    if not token or len(token) > 300:
        return None
    try:
        raw, number = json.loads(urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if len(raw) != len(fields) or not isinstance(number, int) or not 1 < number < 10**7:
            return None
        return [_field_value(f, v) for f, v in zip(fields, raw, strict=True)], number
    except (ValueError, TypeError, ArithmeticError):
        return None


def _field_value(field: str, value):
    if field == "offset":
        return int(value)
    kind = Gig._meta.get_field(field).get_internal_type()
    if kind == "DateTimeField":
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(value)
        return parsed
    if kind in ("DecimalField", "MoneyField"):
        parsed = Decimal(value)
        if not parsed.is_finite():
            raise ValueError(value)
        return parsed
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    return value


def gig_get_public(*, gig_id: int) -> Gig:
    """An active gig, with the packages and extras that checkout offers (its FAQ and images
    are the gig page's: every checkout POST read them for nothing)."""
    gig = (
        Gig.objects.select_related("seller__profile", "category__parent")
        .prefetch_related("packages", "extras")
        .filter(pk=gig_id, status=Gig.Status.ACTIVE)
        .first()
    )
    if gig is None:
        raise Http404
    return gig


@functools.cache
def _gig_page_parts() -> tuple[Columns, ...]:
    from accounts.models import Profile

    return (Columns(Gig, "g"), Columns(User, "u"), Columns(Profile, "pr"), Columns(Category, "c"),
            Columns(Category, "s"))  # fmt: skip


@functools.cache
def _gig_page_sql() -> str:
    gig, person, profile, category, _section = (part.model._meta.db_table for part in _gig_page_parts())
    return (
        f"SELECT {', '.join(part.sql for part in _gig_page_parts())} FROM {gig} g"  # noqa: S608 - model names
        f" JOIN {person} u ON u.id = g.seller_id LEFT JOIN {profile} pr ON pr.user_id = u.id"
        f" JOIN {category} c ON c.id = g.category_id LEFT JOIN {category} s ON s.id = c.parent_id"
        " WHERE g.id = %s"
    )


def gig_get_for_viewer(*, gig_id: int, user: User) -> Gig:
    """The gig page: active gigs for everyone, any status for its owner and staff (preview).

    The gig with its seller, profile, category and section, as `select_related` would give
    them, read by a written-out join (marketplace/rows.py): every gig page asks, and the
    ORM took longer to compile the five-table query than PostgreSQL took to run it.
    Packages, extras, FAQ and images are not prefetched: the page reads them inside
    fragments it caches, so they cost a query only when a fragment is rendered."""
    with connection.cursor() as cursor:
        cursor.execute(_gig_page_sql(), [gig_id])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    gig, seller, profile, category, section = split(row, *_gig_page_parts())
    User.profile.related.set_cached_value(seller, profile)
    if profile is not None:
        profile.__class__.user.field.set_cached_value(profile, seller)
    Gig.seller.field.set_cached_value(gig, seller)
    Category.parent.field.set_cached_value(category, section)
    Gig.category.field.set_cached_value(gig, category)
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


@functools.cache
def _more_from_seller() -> tuple[Columns, str]:
    part = Columns(Gig, "g", only=LISTING_FIELDS)
    sql = (
        f"SELECT {part.sql} FROM {Gig._meta.db_table} g"  # noqa: S608 - the model's own names
        " WHERE g.seller_id = %s AND g.status = %s AND g.id <> %s ORDER BY g.orders_count DESC, g.id DESC LIMIT %s"
    )
    return part, sql


def gigs_more_from_seller(*, gig: Gig, limit: int = 4) -> list[Gig]:
    """The seller's other popular gigs, as listing rows (`LISTING_FIELDS`, as `listing_queryset`
    reads them; see `card_details`), by a written-out query: it runs on every gig page."""
    part, sql = _more_from_seller()
    with connection.cursor() as cursor:
        cursor.execute(sql, [gig.seller_id, Gig.Status.ACTIVE, gig.pk, limit])
        return [part.build(row) for row in cursor.fetchall()]


RECENT_MAX = 8


def gigs_recent(*, ids: list[int]) -> list[Gig]:
    """The gigs on sale among those a browser remembers viewing, in its order (newest first),
    as listing rows: the cards are `with_card_html`'s."""
    ids = list(dict.fromkeys(ids))[:RECENT_MAX]
    found = {gig.pk: gig for gig in listing_queryset(on_sale(Gig.objects.filter(pk__in=ids)))}
    return [found[pk] for pk in ids if pk in found]


def gigs_popular(*, limit: int = 8) -> list[Gig]:
    return list(_cards(on_sale()).order_by("-orders_count", "-id")[:limit])


def gigs_public_of_seller(*, seller: User, viewer: User, limit: int = 12) -> list[Gig]:
    """The seller's gigs on their profile, as listing rows (see `card_details`): those on sale,
    most ordered first; the seller themself also sees them while on vacation."""
    if viewer.is_authenticated and viewer.pk == seller.pk:
        gigs = Gig.objects.filter(status=Gig.Status.ACTIVE)
    else:
        gigs = on_sale()
    return list(listing_queryset(gigs.filter(seller=seller)).order_by("-orders_count", "-id")[:limit])


def favorite_ids(*, user: User, gigs) -> set[int]:
    """Which of `gigs` the person saved. Plain SQL: every listing a signed-in person opens
    asks, and the ORM spent 1.5 ms of Python on a query PostgreSQL answers in 0.1."""
    ids = [gig.pk for gig in gigs]
    if not user.is_authenticated or not ids:
        return set()
    table, placeholders = Favorite._meta.db_table, ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT gig_id FROM {table} WHERE user_id = %s AND gig_id IN ({placeholders})", [user.pk, *ids])  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def favorites_of(*, user: User) -> QuerySet:
    # The annotation reuses the filter's join, so each gig comes once, with the user's save time.
    saved = Gig.objects.filter(favorited_by__user=user, status=Gig.Status.ACTIVE).annotate(
        saved_at=Max("favorited_by__created_at")
    )
    return _cards(saved.order_by("-saved_at", "-id"))


def search_explain(q: str, gig_ids: list[int], now=None) -> list[Explanation]:
    """Why these gigs come where they do for `q`: each one's tier and the parts of its score
    (the ranking of gigs/ranking.py), in result order. A gig the query does not find has tier -1."""
    plan = search_plan(q)
    base = _search_base(Gig.objects.filter(pk__in=gig_ids))
    tiers = list(plan.tiers)
    if plan.any_words is not None and not _search_base(_filtered(CatalogQuery(q=q))).filter(tiers[-1][1]).exists():
        tiers = [(0, plan.any_words)]
    tier_of = {}
    for tier, condition in tiers:
        for pk in base.filter(condition).values_list("pk", flat=True):
            tier_of.setdefault(pk, tier)
    parts = explain_scores(gig_ids, now=now)
    weights = ranking_settings()["weights"]
    gigs = {gig.pk: gig for gig in Gig.objects.filter(pk__in=gig_ids).only("title", "search_score", "status")}
    out = []
    for pk in gig_ids:
        gig = gigs.get(pk)
        if gig is None:
            continue
        tier = tier_of.get(pk, -1) if gig.status == Gig.Status.ACTIVE else -1
        out.append(
            Explanation(
                gig_id=pk, title=gig.title, tier=tier, tier_name=TIER_NAMES.get(tier, "not found"),
                score=gig.search_score, parts=parts.get(pk, {}), weights=weights,
            )
        )  # fmt: skip
    return sorted(out, key=lambda e: (-e.tier, -e.score, -e.gig_id))


SUGGEST_LIMIT = 5
SUGGEST_MIN_SEARCHES = 3  # a query shown to others must have been searched (and found) this often


@dataclass
class Suggestions:
    categories: list[tuple[Category, Category | None]]
    queries: list[str]
    gigs: list[Gig]

    @property
    def empty(self) -> bool:
        return not (self.categories or self.queries or self.gigs)


def search_suggestions(q: str) -> Suggestions:
    """As-you-type suggestions for the header's search box: the last word is a prefix.
    Categories whose name has it (in the page's language), popular searches that start with
    the words, and the best gigs whose titles have the words."""
    from .models import SearchTerm

    terms = parse_terms(q)
    words = list(terms.words)
    if not words or len(words[-1]) < 2:
        return Suggestions([], [], [])
    *complete, partial = words
    categories = []  # (category, its section or None for a section)
    for entry in category_tree():
        for child, section in [(entry["section"], None), *((c, entry["section"]) for c in entry["children"])]:
            name = child.name.casefold()
            if any(w.startswith(partial) for w in name.split()) and all(c in name for c in complete):
                categories.append((child, section))
    categories = categories[:SUGGEST_LIMIT]
    typed = " ".join(words)
    queries = list(
        SearchTerm.objects.filter(query__startswith=typed, count__gte=SUGGEST_MIN_SEARCHES)
        .exclude(query=typed)
        .order_by("-count", "query")
        .values_list("query", flat=True)[:SUGGEST_LIMIT]
    )
    gigs = on_sale()
    if connection.vendor == "postgresql":
        expression = " & ".join(
            [_prefix_literal(w, prefix=False) for w in complete] + [_prefix_literal(partial, prefix=True)]
        )
        gigs = gigs.filter(TsMatch(expression, "title_vector"))
    else:
        gigs = folded(gigs)
        for word in words:
            gigs = gigs.filter(word_start(word, "title"))
    found = list(gigs.order_by(*RANK_ORDER).only("pk", "title", "slug")[:SUGGEST_LIMIT])
    return Suggestions(categories=categories, queries=queries, gigs=found)


def _prefix_literal(word: str, *, prefix: bool) -> str:
    """A word of the box as a tsquery term: a whole word by its lexeme, the word being typed
    as a prefix of the word itself (its stem would cut what is typed: "лого" is not "лог")."""
    lexemes = search_lexemes(word)
    if prefix or not lexemes:
        return tsquery_literal(word, prefix=prefix)
    return " & ".join(tsquery_literal(lexeme) for lexeme in lexemes)
