"""What a benchmark run asks for: URLs per scenario, signed-in sessions, search words by
frequency class. Built from the seeded database by `manage.py bench_prepare`."""

import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count
from django.utils.crypto import get_random_string
from moneyed import Money

from accounts.models import User
from escrow.services import wallet_top_up
from gigs import selectors
from gigs.models import Category, Gig
from legal.models import LegalAcceptance
from legal.services import legal_accept_current
from messaging.models import Conversation, Participant

from . import vocabulary as V
from .seed import SEED

BENCH_EMAIL_DOMAIN = "@bench.gigmarket.local"
# Share of active gigs a word of each class is in; "rare" is the rarest word in at least 5 gigs.
SEARCH_CLASSES = {"rare": None, "1%": 0.01, "5%": 0.05, "50%": 0.50}
DEEP_PAGE = 1000
PLACEMENT_BUYERS = 16
PLACEMENT_BALANCE = Decimal("10000000")


def is_bench_database() -> bool:
    """Whether the database holds bench_seed's data (the runner writes orders: never elsewhere)."""
    return User.objects.filter(email__endswith=BENCH_EMAIL_DOMAIN).exists()


def session_for(user: User) -> dict:
    """A signed-in session and a CSRF secret for `user`, as the cookies and header a browser sends."""
    # Accepted the current terms as at sign-up: the pages measured are the pages, not the accept page.
    legal_accept_current(user=user, ip=None, source=LegalAcceptance.Source.SIGNUP)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = get_random_string(32)
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"user_id": user.pk, "name": user.display_name, "cookie": cookie, "csrf": csrf}


def catalog_paths() -> list[str]:
    """The catalog with each filter and each sort, alone and in a section or category."""
    rng = random.Random(f"{SEED}:prepare")
    sections = list(Category.objects.filter(parent__isnull=True).order_by("position", "id"))
    categories = list(Category.objects.filter(parent__isnull=False).select_related("parent").order_by("id"))
    busy = sorted(categories, key=lambda c: -Gig.objects.filter(category=c, status=Gig.Status.ACTIVE).count())[:6]
    section, other = rng.sample(sections, 2)
    paths = [
        "/catalog/",
        "/catalog/?sort=rating",
        "/catalog/?sort=price_asc",
        "/catalog/?sort=price_desc&price_min=1000&price_max=20000",
        "/catalog/?sort=newest&days=3",
        "/catalog/?rating=4.5&sort=rating",
        "/catalog/?level=professional",
        "/catalog/?level=advanced&sort=price_asc&days=7",
        f"/catalog/{section.slug}/",
        f"/catalog/{other.slug}/?sort=newest",
    ]
    for category, sort in zip(
        busy, ["relevance", "price_asc", "rating", "newest", "price_desc", "relevance"], strict=True
    ):
        paths.append(f"/catalog/{category.parent.slug}/{category.slug}/?sort={sort}")
    return paths


def deep_paths() -> dict[str, list[str]]:
    """Page 1 and page 1 000 (24 000 gigs in) of two sorts, by the token a visitor's "next" links carry."""
    first, deep = [], []
    for sort in ("newest", "price_asc", "relevance"):
        query = selectors.CatalogQuery(sort=sort)
        position = (DEEP_PAGE - 1) * settings.CATALOG_PAGE_SIZE - 1
        gig = selectors.gig_catalog(query)[position : position + 1].first()
        if gig is None:
            continue
        first.append(f"/catalog/?sort={sort}")
        deep.append(f"/catalog/?sort={sort}&after={selectors.catalog_token_after(query, gig, DEEP_PAGE)}")
    return {"page 1": first, f"page {DEEP_PAGE}": deep}


def search_words() -> list[dict]:
    """For each frequency class and language, the word whose share of active gigs is nearest
    the class's (document frequencies from ts_stat; PostgreSQL only)."""
    active = Gig.objects.filter(status=Gig.Status.ACTIVE).count()
    words = sorted(
        set(V.RU_COMMON.split() + V.EN_COMMON.split() + V.TRADE_TERMS.split() + V.RU_RARE.split() + V.EN_RARE.split())
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH vocab AS (
                SELECT w AS word, (SELECT lexeme FROM unnest(to_tsvector('russian', w)) LIMIT 1) AS lexeme
                FROM unnest(%s::text[]) AS w
            ), stat AS (
                SELECT word AS lexeme, ndoc FROM ts_stat('SELECT search_vector FROM gigs_gig WHERE status = ''active''')
            )
            SELECT vocab.word, stat.ndoc FROM vocab JOIN stat USING (lexeme)
            """,
            [words],
        )
        found = cursor.fetchall()
    chosen = []
    for language in ("ru", "en"):
        candidates = [(w, n) for w, n in found if (any("а" <= ch.lower() <= "я" for ch in w)) == (language == "ru")]
        for name, share in SEARCH_CLASSES.items():
            if share is None:
                pool = [(w, n) for w, n in candidates if n >= 5]
                word, n = min(pool, key=lambda item: (item[1], item[0]))
            else:
                word, n = min(candidates, key=lambda item: (abs(item[1] / active - share), item[0]))
            chosen.append({"class": name, "language": language, "word": word, "gigs": n, "share": round(n / active, 4)})
    return chosen


# Queries of several words that people type (the issue's), judged like the single words.
MULTI_WORD_QUERIES = [("ru", "логотип для компании"), ("ru", "сайт на wordpress"), ("en", "logo design")]


def multi_word_queries() -> list[dict]:
    active = Gig.objects.filter(status=Gig.Status.ACTIVE).count()
    out = []
    for language, q in MULTI_WORD_QUERIES:
        n = selectors.catalog_count(selectors.CatalogQuery(q=q)).value
        out.append({"class": "multi", "language": language, "word": q, "gigs": n, "share": round(n / active, 4)})
    return out


def brute_force_top(q: str, size: int) -> list[int]:
    """The true first page of `q` under the documented order (gigs/ranking.py), by brute
    force: every match's tier computed at once (CASE over the tiers' conditions), all of them
    sorted by tier, score and id. Not the search's path (tier by tier through the indexes),
    so the benchmark can tell whether that path gives the exact answer."""
    from django.db.models import Case, IntegerField, Value, When

    plan = selectors.search_plan(q)
    tiers = list(plan.tiers)
    active = Gig.objects.filter(status=Gig.Status.ACTIVE)
    if not tiers:
        return []
    matches = active.filter(tiers[-1][1])
    if not matches.exists() and plan.any_words is not None:
        tiers, matches = [(0, plan.any_words)], active.filter(plan.any_words)
    tier = Case(*(When(condition, then=Value(t)) for t, condition in tiers), output_field=IntegerField())
    ordered = matches.annotate(brute_tier=tier).order_by("-brute_tier", "-search_score", "-id")
    return list(ordered.values_list("pk", flat=True)[:size])


def gig_paths(count: int = 200) -> list[str]:
    rng = random.Random(f"{SEED}:gig-pages")
    ids = list(Gig.objects.filter(status=Gig.Status.ACTIVE).order_by("id").values_list("id", flat=True))
    picked = rng.sample(ids, min(count, len(ids)))
    return [
        f"/gig/{pk}/{slug}/" for pk, slug in Gig.objects.filter(pk__in=picked).order_by("id").values_list("pk", "slug")
    ]


def placement_setup(run_key: str) -> list[dict]:
    """Buyers with money in their wallets (a top-up journal each, as the sandbox would post)
    and a gig each to order, signed in."""
    rng = random.Random(f"{SEED}:placement")
    buyers = list(User.objects.filter(is_seller=False, email__endswith=BENCH_EMAIL_DOMAIN).order_by("id")[:500])
    buyers = rng.sample(buyers, min(PLACEMENT_BUYERS, len(buyers)))
    gigs = list(
        Gig.objects.filter(status=Gig.Status.ACTIVE, price_from__lte=Money(5000, settings.MARKETPLACE_CURRENCY))
        .order_by("-orders_count", "id")
        .values_list("pk", flat=True)[:200]
    )
    out = []
    for buyer in buyers:
        wallet_top_up(
            user=buyer,
            amount=Money(PLACEMENT_BALANCE, settings.MARKETPLACE_CURRENCY),
            key=f"topup:bench:prepare:{run_key}:{buyer.pk}",
        )
        out.append({**session_for(buyer), "gig_id": rng.choice(gigs)})
    return out


def thread_setup(count: int = 40) -> list[dict]:
    """Conversations of every length (the longest and a sample of the rest), each opened by one of its two people."""
    rng = random.Random(f"{SEED}:threads")
    longest = list(
        Conversation.objects.annotate(n=Count("messages"))
        .order_by("-n", "id")
        .values_list("pk", flat=True)[: count // 4]
    )
    ids = list(Conversation.objects.order_by("id").values_list("pk", flat=True))
    sample = longest + rng.sample(ids, count - len(longest))
    out = []
    for conversation_id in sample:
        participant = Participant.objects.filter(conversation_id=conversation_id).select_related("user").order_by("id")
        person = participant[rng.randint(0, 1)].user
        out.append({"path": f"/messages/{conversation_id}/", **session_for(person)})
    return out


def with_expected_top(words: list[dict]) -> list[dict]:
    size = settings.CATALOG_PAGE_SIZE
    return [{**w, "expected_top": brute_force_top(w["word"], size)} for w in words]


def prepare(*, run_key: str) -> dict:
    return {
        "catalog": catalog_paths(),
        "deep": deep_paths(),
        "search": with_expected_top(search_words() + multi_word_queries()),
        "gig": gig_paths(),
        "placement": placement_setup(run_key),
        "thread": thread_setup(),
        "active_gigs": Gig.objects.filter(status=Gig.Status.ACTIVE).count(),
        "gigs": Gig.objects.count(),
    }
