"""The benchmark dataset: deterministic, written with COPY, consistent with every ledger invariant.

`seed(size=...)` fills the database in DATABASE_URL (PostgreSQL only) in one transaction:
users and profiles, gigs with packages, extras and FAQ, orders with their events,
deliveries and reviews, the ledger (top-ups, holds, settlements and refunds, with the
cached balances equal to the sum of the transfers), and conversations with messages.

How it stays fast: rows are generated in Python and streamed with COPY; the secondary
indexes and foreign keys of the tables it fills are dropped first and created again at
the end (one sort per index instead of a million inserts; one join per foreign key
instead of a lookup per row). Primary keys, unique and CHECK constraints and the ledger
triggers stay on the whole time: they validate what is written. The append-only
triggers refuse UPDATE and DELETE only, and nothing here updates or deletes a ledger row.

Everything random comes from `random.Random` streams with fixed seeds, and every time is
relative to a fixed ANCHOR, so two runs write identical rows. Gig images are not
generated: the cards show the placeholder, which costs the page nothing.
"""

import hashlib
import io
import json
import random
import re
import time
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils.text import slugify

from escrow.fees import FeePolicy
from escrow.services.ledger import request_hash_of_rows
from gigs.demo_data import DEMO_GIGS
from gigs.models import Category
from gigs.ranking import gig_scores_refresh
from gigs.services import category_tree_seed

from . import vocabulary as V

SEED = 20261122
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)
CURRENCY = "RUB"


@dataclass(frozen=True)
class Size:
    gigs: int
    sellers: int
    buyers: int
    orders: int
    messages: int


SIZES = {
    # XS is for the tests: the same generator, small enough for a test database.
    "XS": Size(gigs=400, sellers=40, buyers=150, orders=900, messages=5_000),
    "S": Size(gigs=100_000, sellers=10_000, buyers=50_000, orders=200_000, messages=1_000_000),
    # L scales the catalog (what search cost depends on); people, orders and messages stay as in S.
    "L": Size(gigs=1_000_000, sellers=100_000, buyers=50_000, orders=200_000, messages=1_000_000),
}

# The tables this fills, in load order. TRUNCATE ... CASCADE empties them (and what points at them).
TABLES = [
    "accounts_user",
    "accounts_profile",
    "gigs_gig",
    "gigs_gigpackage",
    "gigs_gigextra",
    "gigs_gigfaq",
    "orders_order",
    "orders_orderevent",
    "orders_delivery",
    "reviews_review",
    "escrow_account",
    "escrow_journal",
    "escrow_transfer",
    "escrow_pairturnover",
    "messaging_conversation",
    "messaging_participant",
    "messaging_message",
]
ALSO_EMPTIED = ["django_session", "escrow_reconciliationreport", "gigs_gigimage", "gigs_favorite", "gigs_gigevent"]


class SeedError(Exception):
    pass


# --- COPY text format ---------------------------------------------------------------------------

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def esc(value: str) -> str:
    return value.translate(_ESCAPE)


def ts(value: datetime | None) -> str:
    return "\\N" if value is None else value.isoformat()


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def jsonb(value) -> str:
    return esc(json.dumps(value, ensure_ascii=False))


_TEXT_FIELDS = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}


def column_defaults(table: str, given: list[str]) -> list[tuple[str, object]]:
    """(column, value) for the columns of `table` that `given` leaves out, from the model's
    field defaults: columns that other apps add later get their default, not a NULL."""
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    defaults = []
    for f in model._meta.concrete_fields:
        if f.column in given or f.primary_key or getattr(f, "generated", False):
            continue
        if f.has_default() or (f.empty_strings_allowed and not f.null and f.get_internal_type() in _TEXT_FIELDS):
            value = f.get_default()
        elif f.null:
            value = None
        else:
            raise SeedError(f"{table}.{f.column} has no default: bench_seed must be taught to fill it.")
        defaults.append((f.column, value))
    return defaults


def copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return jsonb(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return esc(str(getattr(value, "amount", value)))


class Copier:
    """Buffers rows of one table and streams them to COPY in chunks. Columns the generator
    does not know get their model default."""

    def __init__(self, cursor, table: str, columns: list[str], chunk: int = 20_000):
        defaults = column_defaults(table, columns)
        self.cursor, self.table, self.chunk = cursor, table, chunk
        self.columns = columns + [column for column, _value in defaults]
        self.tail = "".join("\t" + copy_text(value) for _column, value in defaults)
        self.buffer: list[str] = []
        self.count = 0

    def add(self, *cells: str) -> None:
        self.buffer.append("\t".join(cells) + self.tail)
        if len(self.buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        data = io.StringIO("\n".join(self.buffer) + "\n")
        self.cursor.copy_expert(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN", data)
        self.count += len(self.buffer)
        self.buffer = []

    def close(self) -> int:
        self.flush()
        return self.count


# --- words ----------------------------------------------------------------------------------------


class Zipf:
    """Draw items with weight 1 / (rank + offset) ** exponent (Zipf-Mandelbrot)."""

    def __init__(self, items: list, exponent: float = 1.0, offset: float = 2.7):
        self.items = items
        self.cum = list(accumulate(1.0 / (rank + offset) ** exponent for rank in range(len(items))))

    def pick(self, rng: random.Random):
        return self.items[bisect_left(self.cum, rng.random() * self.cum[-1])]

    def sample(self, rng: random.Random, k: int) -> list:
        return rng.choices(self.items, cum_weights=self.cum, k=k)


_WORD = re.compile(r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё\-]*")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _ranked_corpus_words() -> tuple[list[str], list[str]]:
    """The demo gigs' words, most frequent first: real text's own ranking."""
    ru: dict[str, int] = defaultdict(int)
    en: dict[str, int] = defaultdict(int)
    for gig in DEMO_GIGS:
        parts = [gig["title"], gig["description"], " ".join(gig["tags"])]
        parts += [p["description"] for p in gig["packages"]]
        for word in _WORD.findall(" ".join(parts)):
            word = word.lower().strip("-")
            if len(word) < 2:
                continue
            (ru if _CYRILLIC.search(word) else en)[word] += 1
    order = sorted(ru, key=lambda w: (-ru[w], w)), sorted(en, key=lambda w: (-en[w], w))
    return order


def _merge(*lists: list[str]) -> list[str]:
    """Interleave ranked lists (rank 1 of each, then rank 2 of each...), without repeats."""
    seen: set[str] = set()
    merged: list[str] = []
    for row in range(max(len(items) for items in lists)):
        for items in lists:
            if row < len(items) and items[row].lower() not in seen:
                seen.add(items[row].lower())
                merged.append(items[row])
    return merged


@dataclass
class Words:
    ru: Zipf
    en: Zipf
    trade: Zipf
    rare_ru: list[str]
    rare_en: list[str]

    @classmethod
    def build(cls) -> "Words":
        corpus_ru, corpus_en = _ranked_corpus_words()
        ru = _merge(corpus_ru, V.RU_COMMON.split())
        en = _merge(corpus_en, V.EN_COMMON.split())
        trade = Zipf(V.TRADE_TERMS.split(), exponent=1.1)
        return cls(ru=Zipf(ru), en=Zipf(en), trade=trade, rare_ru=V.RU_RARE.split(), rare_en=V.EN_RARE.split())

    def text(self, rng: random.Random, lang: str, n_words: int, trade_share: float = 0.06, rare: float = 0.0) -> str:
        """Sentences of Zipf-drawn words; `rare` is the chance of one word from the long tail
        (drawn evenly: each tail word ends up in a few dozen gigs of 100 000)."""
        vocab = self.ru if lang == "ru" else self.en
        words = vocab.sample(rng, n_words)
        for i in range(n_words):
            if rng.random() < trade_share:
                words[i] = self.trade.pick(rng)
        if rng.random() < rare:
            words[rng.randrange(n_words)] = rng.choice(self.rare_ru if lang == "ru" else self.rare_en)
        sentences, i = [], 0
        while i < n_words:
            length = rng.randint(6, 14)
            chunk = words[i : i + length]
            i += length
            if len(chunk) > 4 and rng.random() < 0.3:
                chunk[len(chunk) // 2] += ","
            sentence = " ".join(chunk)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraphs, j = [], 0
        while j < len(sentences):
            step = rng.randint(2, 4)
            paragraphs.append(" ".join(sentences[j : j + step]))
            j += step
        return "\n\n".join(paragraphs)


# --- the generator ------------------------------------------------------------------------------


_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)


def _slug(text: str) -> str:
    return slugify(text.lower().translate(_TRANSLIT))[:100] or "gig"


@dataclass
class Package:
    id: int
    tier: int
    name: str
    description: str
    price: int  # cents
    days: int
    revisions: int


@dataclass
class GigMeta:
    id: int
    seller_id: int
    lang: str
    category_id: int
    status: str
    title: str
    tags: list[str]
    packages: list[Package]
    extras: list[tuple[int, str, int, int]]  # (id, title, price cents, extra days)
    created_at: datetime
    published_at: datetime | None
    orders_count: int = 0
    ratings: list[int] = field(default_factory=list)


@dataclass
class OrderRow:
    gig: GigMeta
    package: Package
    buyer_id: int
    status: str
    created_at: datetime
    quantity: int
    extras: list[tuple[int, str, int, int]]
    id: int = 0
    unit: int = 0
    total: int = 0
    days: int = 0
    fee_rate: Decimal = Decimal(0)
    fee: int | None = None
    paid_at: datetime | None = None
    delivered_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_kind: str = ""
    auto_completed: bool = False
    was_late: bool = False


class Generator:
    def __init__(self, *, size: Size, cursor, log):
        self.size = size
        self.cursor = cursor
        self.log = log
        self.words = Words.build()
        self.policy = FeePolicy.from_settings()
        self.counts: dict[str, int] = {}

    def rng(self, stream: str) -> random.Random:
        # One independent stream per part: a change in one part never shifts another's data.
        return random.Random(f"{SEED}:{stream}")

    def timed(self, label: str, function, *args):
        started = time.monotonic()
        result = function(*args)
        self.log(f"  {label}: {time.monotonic() - started:.1f} s")
        return result

    # --- people ---

    def people(self) -> None:
        rng = self.rng("people")
        size = self.size
        users = Copier(
            self.cursor,
            "accounts_user",
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "username",
                "email",
                "language",
                "is_seller",
                "seller_since",
            ],
        )
        self.user_lang: dict[int, str] = {}
        self.user_joined: dict[int, datetime] = {}
        self.display: dict[int, str] = {}
        for user_id in range(1, size.sellers + size.buyers + 1):
            seller = user_id <= size.sellers
            lang = "ru" if rng.random() < 0.75 else "en"
            first, last = (
                (rng.choice(V.FIRST_RU), rng.choice(V.LAST_RU))
                if lang == "ru"
                else (rng.choice(V.FIRST_EN), rng.choice(V.LAST_EN))
            )
            if lang == "ru" and first[-1] in "ая" and first not in ("Илья", "Никита"):
                last += "а"
            username = f"{slugify(first.lower().translate(_TRANSLIT))}_{user_id}"
            joined = ANCHOR - timedelta(days=rng.uniform(30, 4 * 365))
            last_login = ANCHOR - timedelta(hours=rng.uniform(1, 24 * 60)) if rng.random() < 0.8 else None
            self.user_lang[user_id] = lang
            self.user_joined[user_id] = joined
            self.display[user_id] = f"{first} {last}"
            users.add(
                str(user_id),
                "!" + hashlib.sha256(f"{SEED}{user_id}".encode()).hexdigest()[:40],
                ts(last_login),
                "f",
                "",
                "",
                "f",
                "t",
                ts(joined),
                username,
                f"{username}@bench.gigmarket.local",
                lang,
                "t" if seller else "f",
                ts(joined + timedelta(days=1)) if seller else "\\N",
            )
        self.counts["users"] = users.close()

    # --- catalog ---

    def catalog_plan(self) -> None:
        """Every gig's metadata (not its description, which is written as it streams)."""
        rng = self.rng("gigs")
        size = self.size
        sections = {c.pk: c for c in Category.objects.filter(parent__isnull=True)}
        leaves = [c for c in Category.objects.filter(parent__isnull=False).order_by("id")]
        if not leaves:
            raise SeedError("No categories: run migrations first.")
        rng.shuffle(leaves)
        category_pick = Zipf(leaves, exponent=0.8, offset=3)
        # Sellers: a language, one or two favourite categories, and a Zipf share of the gigs.
        seller_ids = list(range(1, size.sellers + 1))
        self.seller_categories = {sid: [category_pick.pick(rng), category_pick.pick(rng)] for sid in seller_ids}
        order = seller_ids[:]
        rng.shuffle(order)
        seller_pick = Zipf(order, exponent=0.9, offset=10)
        owners = seller_ids + seller_pick.sample(rng, max(size.gigs - size.sellers, 0))
        owners = owners[: size.gigs]
        rng.shuffle(owners)

        self.gigs: list[GigMeta] = []
        package_id = extra_id = 0
        statuses = (["active"] * 90) + (["paused"] * 4) + (["pending"] * 3) + (["draft"] * 2) + ["rejected"]
        for gig_id, seller_id in enumerate(owners, start=1):
            lang = (
                self.user_lang[seller_id]
                if rng.random() < 0.9
                else ("en" if self.user_lang[seller_id] == "ru" else "ru")
            )
            category = rng.choice(self.seller_categories[seller_id]) if rng.random() < 0.85 else category_pick.pick(rng)
            section = sections[category.parent_id]
            ru_nouns, en_nouns = V.CATEGORY_NOUNS.get(category.slug, (["услугу"], ["a service"]))
            ru_verbs, en_verbs = V.SECTION_VERBS.get(section.slug, (["Сделаю"], ["do"]))
            if lang == "ru":
                title = f"{rng.choice(ru_verbs)} {rng.choice(ru_nouns)} {rng.choice(V.TITLE_SUFFIX_RU)}"
            else:
                title = f"I will {rng.choice(en_verbs)} {rng.choice(en_nouns)} {rng.choice(V.TITLE_SUFFIX_EN)}"
            if rng.random() < 0.3:
                title += f" {self.words.trade.pick(rng)}"
            title = " ".join(title.split())[:80]
            nouns = ru_nouns if lang == "ru" else en_nouns
            vocab = self.words.ru if lang == "ru" else self.words.en
            tags = [
                rng.choice(nouns).split()[-1].lower(),
                rng.choice(nouns).split()[-1].lower(),
                self.words.trade.pick(rng),
            ]
            tags += [word for word in vocab.sample(rng, 3) if len(word) > 3][:1]
            tags = list(dict.fromkeys(tags))
            status = rng.choice(statuses)
            created = self.user_joined[seller_id] + timedelta(days=rng.uniform(1, 60))
            created = min(created, ANCHOR - timedelta(days=rng.uniform(1, 30)))
            published = created + timedelta(hours=rng.uniform(2, 48)) if status in ("active", "paused") else None

            n_packages = rng.choices([1, 2, 3], weights=[25, 15, 60])[0]
            price = max(500, int(rng.lognormvariate(8.0, 0.9) // 100 * 100))
            days = rng.choices([1, 2, 3, 5, 7, 10, 14], weights=[10, 15, 25, 20, 15, 10, 5])[0]
            packages = []
            names = V.PACKAGE_NAMES_RU if lang == "ru" else V.PACKAGE_NAMES_EN
            for tier in range(1, n_packages + 1):
                package_id += 1
                packages.append(
                    Package(
                        id=package_id,
                        tier=tier,
                        name=names[tier - 1],
                        description=self.words.text(rng, lang, rng.randint(6, 14)).replace("\n\n", " "),
                        price=min(price * 100, 100_000_000),
                        days=min(days, 90),
                        revisions=min(tier + rng.randint(0, 2), 20),
                    )
                )
                price = int(price * rng.uniform(1.5, 2.5) // 100 * 100)
                days += rng.randint(0, 4)
            extras = []
            for position in range(rng.choices([0, 1, 2, 3], weights=[35, 35, 20, 10])[0]):
                extra_id += 1
                titles = V.EXTRAS_RU if lang == "ru" else V.EXTRAS_EN
                extras.append(
                    (extra_id, titles[(gig_id + position) % len(titles)], rng.randint(3, 50) * 100, rng.randint(0, 3))
                )
            self.gigs.append(
                GigMeta(
                    id=gig_id,
                    seller_id=seller_id,
                    lang=lang,
                    category_id=category.pk,
                    status=status,
                    title=title,
                    tags=tags,
                    packages=packages,
                    extras=extras,
                    created_at=created,
                    published_at=published,
                )
            )

    def catalog_write(self) -> None:
        rng = self.rng("gig-text")
        gigs = Copier(
            self.cursor,
            "gigs_gig",
            [
                "id",
                "title",
                "slug",
                "description",
                "tags",
                "tags_text",
                "status",
                "rejection_reason",
                "price_from_currency",
                "price_from",
                "days_min",
                "rating_avg",
                "rating_count",
                "orders_count",
                "views_count",
                "created_at",
                "updated_at",
                "submitted_at",
                "published_at",
                "category_id",
                "seller_id",
            ],
            chunk=5_000,
        )
        packages = Copier(
            self.cursor,
            "gigs_gigpackage",
            [
                "id",
                "tier",
                "name",
                "description",
                "price_currency",
                "price",
                "delivery_days",
                "revisions",
                "gig_id",
            ],
        )
        extras = Copier(
            self.cursor, "gigs_gigextra", ["id", "title", "price_currency", "price", "extra_days", "position", "gig_id"]
        )
        faqs = Copier(self.cursor, "gigs_gigfaq", ["id", "question", "answer", "position", "gig_id"])
        faq_id = 0
        for gig in self.gigs:
            n_words = min(int(rng.lognormvariate(4.4, 0.45)), 600)
            description = self.words.text(rng, gig.lang, max(n_words, 25), rare=0.12)
            # Every gig names what it sells in its description too, as sellers do.
            description = f"{gig.title}.\n\n{description}"[:5000]
            rating_count = len(gig.ratings)
            rating_avg = f"{sum(gig.ratings) / rating_count:.2f}" if rating_count else "0.00"
            updated = (gig.published_at or gig.created_at) + timedelta(days=rng.uniform(0, 20))
            updated = min(updated, ANCHOR)
            submitted = gig.created_at + timedelta(hours=1) if gig.status != "draft" else None
            reason = rng.choice(V.REJECTION_REASONS) if gig.status == "rejected" else ""
            gigs.add(
                str(gig.id),
                esc(gig.title),
                _slug(gig.title),
                esc(description),
                jsonb(gig.tags),
                esc(" ".join(gig.tags))[:300],
                gig.status,
                esc(reason),
                CURRENCY,
                money(min(p.price for p in gig.packages)),
                str(min(p.days for p in gig.packages)),
                rating_avg,
                str(rating_count),
                str(gig.orders_count),
                str(gig.orders_count * rng.randint(5, 40) + rng.randint(0, 300)),
                ts(gig.created_at),
                ts(updated),
                ts(submitted),
                ts(gig.published_at),
                str(gig.category_id),
                str(gig.seller_id),
            )
            for p in gig.packages:
                packages.add(
                    str(p.id),
                    str(p.tier),
                    esc(p.name),
                    esc(p.description),
                    CURRENCY,
                    money(p.price),
                    str(p.days),
                    str(p.revisions),
                    str(gig.id),
                )
            for position, (extra_id, title, price, days) in enumerate(gig.extras):
                extras.add(str(extra_id), esc(title), CURRENCY, money(price), str(days), str(position), str(gig.id))
            if rng.random() < 0.4:
                pool = V.FAQ_RU if gig.lang == "ru" else V.FAQ_EN
                for position in range(rng.randint(1, 3)):
                    faq_id += 1
                    question, answer = pool[(gig.id + position) % len(pool)]
                    faqs.add(str(faq_id), esc(question), esc(answer), str(position), str(gig.id))
        self.counts["gigs"] = gigs.close()
        self.counts["packages"] = packages.close()
        self.counts["extras"] = extras.close()
        self.counts["faqs"] = faqs.close()

    # --- orders ---

    def orders_plan(self) -> None:
        rng = self.rng("orders")
        size = self.size
        active = [g for g in self.gigs if g.status == "active"]
        rng.shuffle(active)
        gig_pick = Zipf(active, exponent=0.9, offset=20)
        buyers = list(range(size.sellers + 1, size.sellers + size.buyers + 1))
        rng.shuffle(buyers)
        buyer_pick = Zipf(buyers, exponent=0.6, offset=50)
        kinds = ["completed"] * 72 + ["refunded"] * 6 + ["expired"] * 4 + ["in_progress"] * 8 + ["delivered"] * 5
        kinds += ["pending_payment"] * 5
        orders: list[OrderRow] = []
        while len(orders) < size.orders:
            gig = gig_pick.pick(rng)
            package = rng.choice(gig.packages)
            kind = rng.choice(kinds)
            terminal = kind in ("completed", "refunded", "expired")
            start = gig.published_at
            end = ANCHOR - timedelta(days=40) if terminal else ANCHOR - timedelta(hours=2)
            if kind == "pending_payment":
                start = max(start, ANCHOR - timedelta(hours=20))
            elif not terminal:
                start = max(start, ANCHOR - timedelta(days=20))
            if start >= end:
                kind, start, end = (
                    "in_progress",
                    max(gig.published_at, ANCHOR - timedelta(days=20)),
                    ANCHOR - timedelta(hours=2),
                )
                if start >= end:
                    continue
            created = start + (end - start) * rng.random()
            chosen = [e for e in gig.extras if rng.random() < 0.2]
            order = OrderRow(
                gig=gig,
                package=package,
                buyer_id=buyer_pick.pick(rng),
                status=kind,
                created_at=created,
                quantity=1 if rng.random() < 0.9 else rng.randint(2, 3),
                extras=chosen,
            )
            order.unit = package.price + sum(e[2] for e in chosen)
            order.total = order.unit * order.quantity
            order.days = min(package.days + sum(e[3] for e in chosen), 150)
            self._timeline(order, rng)
            orders.append(order)
        orders.sort(key=lambda o: (o.created_at, o.gig.id))
        for order_id, order in enumerate(orders, start=1):
            order.id = order_id
        self.orders = orders

    def _timeline(self, order: OrderRow, rng: random.Random) -> None:
        kind = order.status
        if kind in ("pending_payment", "expired"):
            if kind == "expired":
                order.status, order.cancel_kind = "cancelled", "unpaid"
                order.cancelled_at = order.created_at + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS)
            return
        order.paid_at = order.created_at + timedelta(minutes=rng.uniform(1, 90))
        deadline = order.paid_at + timedelta(days=order.days)
        if kind == "refunded":
            order.status = "cancelled"
            order.cancel_kind = rng.choice(["buyer_free", "mutual", "mutual", "seller", "buyer_late"])
            delay = (
                timedelta(minutes=rng.uniform(1, 15))
                if order.cancel_kind == "buyer_free"
                else timedelta(days=rng.uniform(1, 10))
            )
            order.cancelled_at = order.paid_at + delay
            return
        if kind == "in_progress":
            return
        order.delivered_at = order.paid_at + timedelta(days=order.days * rng.uniform(0.3, 1.15))
        order.was_late = order.delivered_at > deadline
        if kind == "delivered":
            if order.delivered_at > ANCHOR - timedelta(hours=1):
                order.delivered_at = ANCHOR - timedelta(hours=rng.uniform(1, 40))
            return
        order.auto_completed = rng.random() < 0.3
        wait = (
            timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS)
            if order.auto_completed
            else timedelta(hours=rng.uniform(1, 60))
        )
        order.completed_at = order.delivered_at + wait

    # --- the ledger, simulated in time order ---

    def ledger(self) -> None:
        """Place, pay, settle and refund every order in time order, as the services would:
        the fee rate is snapshotted at placement from the pair's settled turnover, and a
        payment first tops up exactly what the wallet lacks."""
        steps = []
        for order in self.orders:
            steps.append((order.created_at, 0, order.id, "place", order))
            if order.paid_at:
                steps.append((order.paid_at, 1, order.id, "pay", order))
            if order.completed_at:
                steps.append((order.completed_at, 2, order.id, "settle", order))
            elif order.cancelled_at and order.paid_at:
                steps.append((order.cancelled_at, 2, order.id, "refund", order))
        steps.sort(key=lambda s: s[:3])

        accounts = Copier(
            self.cursor,
            "escrow_account",
            ["id", "kind", "order_id", "balance_currency", "balance", "created_at", "user_id"],
        )
        # Held back until the accounts are written: the transfers' currency trigger reads them.
        unlimited = 1 << 62
        journals = Copier(
            self.cursor,
            "escrow_journal",
            [
                "id",
                "key",
                "kind",
                "request_hash",
                "order_id",
                "memo",
                "created_at",
                "actor_id",
                "reverses_id",
            ],
            chunk=unlimited,
        )
        transfers = Copier(
            self.cursor,
            "escrow_transfer",
            ["id", "amount_currency", "amount", "credit_id", "debit_id", "journal_id"],
            chunk=unlimited,
        )
        account_rows: dict[int, list] = {}  # id -> [kind, order_id, user_id, created_at]
        balance: dict[int, int] = defaultdict(int)
        wallet_of: dict[int, int] = {}
        escrow_of: dict[int, int] = {}
        next_id = {"account": 0, "journal": 0, "transfer": 0, "topup": 0}

        def account(kind: str, when: datetime, user_id=None, order_id=None) -> int:
            next_id["account"] += 1
            account_rows[next_id["account"]] = [kind, order_id, user_id, when]
            return next_id["account"]

        first = steps[0][0] if steps else ANCHOR
        world = account("world", first)
        revenue = account("revenue", first)

        def post(
            key: str, kind: str, when: datetime, moves: list[tuple[int, int, int]], order_id=None, actor=None
        ) -> None:
            next_id["journal"] += 1
            journal_id = next_id["journal"]
            rows = [(debit, credit, Decimal(cents).scaleb(-2), CURRENCY) for debit, credit, cents in moves]
            journals.add(
                str(journal_id),
                key,
                kind,
                request_hash_of_rows(kind, rows),
                str(order_id) if order_id else "\\N",
                "",
                ts(when),
                str(actor) if actor else "\\N",
                "\\N",
            )
            for debit, credit, cents in moves:
                next_id["transfer"] += 1
                transfers.add(
                    str(next_id["transfer"]), CURRENCY, money(cents), str(credit), str(debit), str(journal_id)
                )
                balance[debit] -= cents
                balance[credit] += cents
                if debit != world and balance[debit] < 0:
                    raise SeedError(f"account {debit} would go negative")

        turnover: dict[tuple[int, int], int] = defaultdict(int)
        for when, _rank, order_id, step, order in steps:
            pair = (order.buyer_id, order.gig.seller_id)
            if step == "place":
                order.fee_rate = self.policy.rate_for(
                    amount=Decimal(order.total).scaleb(-2), turnover=Decimal(turnover[pair]).scaleb(-2)
                )
            elif step == "pay":
                wallet = wallet_of.get(order.buyer_id) or wallet_of.setdefault(
                    order.buyer_id, account("wallet", when, user_id=order.buyer_id)
                )
                short = order.total - balance[wallet]
                if short > 0:
                    next_id["topup"] += 1
                    post(
                        f"topup:bench:{next_id['topup']}",
                        "top_up",
                        when - timedelta(seconds=30),
                        [(world, wallet, short)],
                        actor=order.buyer_id,
                    )
                escrow = escrow_of[order_id] = account("escrow", when, order_id=order_id)
                post(
                    f"order:{order_id}:hold",
                    "hold",
                    when,
                    [(wallet, escrow, order.total)],
                    order_id=order_id,
                    actor=order.buyer_id,
                )
            elif step == "settle":
                fee = int((Decimal(order.total) * order.fee_rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                order.fee = fee
                seller_wallet = wallet_of.get(order.gig.seller_id) or wallet_of.setdefault(
                    order.gig.seller_id, account("wallet", when, user_id=order.gig.seller_id)
                )
                moves = [(escrow_of[order_id], seller_wallet, order.total - fee)]
                if fee:
                    moves.append((escrow_of[order_id], revenue, fee))
                actor = None if order.auto_completed else order.buyer_id
                post(f"order:{order_id}:settle", "settle", when, moves, order_id=order_id, actor=actor)
                turnover[pair] += order.total
            elif step == "refund":
                wallet = wallet_of[order.buyer_id]
                post(
                    f"order:{order_id}:refund",
                    "refund",
                    when,
                    [(escrow_of[order_id], wallet, order.total)],
                    order_id=order_id,
                )
        for account_id, (kind, order_id, user_id, created) in account_rows.items():
            accounts.add(
                str(account_id),
                kind,
                str(order_id) if order_id else "\\N",
                CURRENCY,
                money(balance[account_id]),
                ts(created),
                str(user_id) if user_id else "\\N",
            )
        self.counts["accounts"] = accounts.close()
        self.counts["journals"] = journals.close()
        self.counts["transfers"] = transfers.close()
        # The turnover each pair's settlements add up to, as the ledger keeps it at settlement.
        pairs = Copier(self.cursor, "escrow_pairturnover", ["id", "buyer_id", "seller_id", "amount_currency", "amount"])
        for row_id, ((buyer_id, seller_id), cents) in enumerate(sorted(turnover.items()), start=1):
            pairs.add(str(row_id), str(buyer_id), str(seller_id), CURRENCY, money(cents))
        self.counts["pair_turnovers"] = pairs.close()

    # --- orders, events, deliveries, reviews ---

    def orders_write(self) -> None:
        rng = self.rng("order-rows")
        orders = Copier(
            self.cursor,
            "orders_order",
            [
                "id",
                "status",
                "gig_title",
                "package_name",
                "package_tier",
                "package_description",
                "package_price_currency",
                "package_price",
                "unit_price_currency",
                "unit_price",
                "quantity",
                "extras",
                "total_currency",
                "total",
                "delivery_days",
                "revision_days",
                "revisions_included",
                "revisions_used",
                "fee_rate",
                "questions",
                "created_at",
                "updated_at",
                "paid_at",
                "started_at",
                "deadline_at",
                "delivered_at",
                "completed_at",
                "cancelled_at",
                "was_late",
                "fee_currency",
                "fee",
                "payment_expires_at",
                "auto_complete_at",
                "cancel_auto_accept_at",
                "cancel_kind",
                "cancel_reason",
                "cancel_request_reason",
                "status_before_dispute",
                "completion_kind",
                "buyer_id",
                "cancel_requested_by_id",
                "gig_id",
                "package_id",
                "seller_id",
            ],
        )
        deliveries = Copier(
            self.cursor, "orders_delivery", ["id", "number", "message", "revision_reason", "created_at", "order_id"]
        )
        reviews = Copier(
            self.cursor,
            "reviews_review",
            [
                "id",
                "role",
                "rating",
                "communication",
                "quality",
                "on_time",
                "text",
                "created_at",
                "updated_at",
                "reveal_due_at",
                "visible_at",
                "hidden_reason",
                "hidden_at",
                "reply",
                "replied_at",
                "author_id",
                "gig_id",
                "order_id",
                "subject_id",
            ],
        )
        events: list[tuple] = []
        delivery_id = review_id = 0
        for o in self.orders:
            seller = o.gig.seller_id
            p = o.package
            status = {"completed": "completed", "delivered": "delivered", "in_progress": "in_progress"}.get(
                o.status, o.status
            )
            last = max(t for t in (o.created_at, o.paid_at, o.delivered_at, o.completed_at, o.cancelled_at) if t)
            deadline = o.paid_at + timedelta(days=o.days) if o.paid_at else None
            orders.add(
                str(o.id),
                status,
                esc(o.gig.title),
                esc(p.name),
                str(p.tier),
                esc(p.description),
                CURRENCY,
                money(p.price),
                CURRENCY,
                money(o.unit),
                str(o.quantity),
                jsonb([{"title": t, "price": money(c), "days": d} for _i, t, c, d in o.extras]),
                CURRENCY,
                money(o.total),
                str(o.days),
                str(p.days),
                str(p.revisions),
                "0",
                str(o.fee_rate),
                "[]",
                ts(o.created_at),
                ts(last),
                ts(o.paid_at),
                ts(o.paid_at),
                ts(deadline),
                ts(o.delivered_at),
                ts(o.completed_at),
                ts(o.cancelled_at),
                "t" if o.was_late else "f",
                CURRENCY if o.fee is not None else "\\N",
                money(o.fee) if o.fee is not None else "\\N",
                ts(o.created_at + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS))
                if status == "pending_payment"
                else "\\N",
                ts(o.delivered_at + timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS))
                if status == "delivered"
                else "\\N",
                "\\N",
                o.cancel_kind,
                "",
                "",
                "",
                ("auto" if o.auto_completed else "accepted") if status == "completed" else "",
                str(o.buyer_id),
                "\\N",
                str(o.gig.id),
                str(p.id),
                str(seller),
            )
            events.append((o.created_at, o.id, "placed", o.buyer_id, "", "pending_payment"))
            if o.paid_at:
                events.append((o.paid_at, o.id, "paid", o.buyer_id, "pending_payment", "in_progress"))
            if o.delivered_at:
                events.append((o.delivered_at, o.id, "delivered", seller, "in_progress", "delivered"))
                delivery_id += 1
                deliveries.add(
                    str(delivery_id),
                    "1",
                    esc(self.words.text(rng, o.gig.lang, rng.randint(8, 30))),
                    "",
                    ts(o.delivered_at),
                    str(o.id),
                )
            if o.completed_at:
                kind, actor = ("auto_completed", None) if o.auto_completed else ("accepted", o.buyer_id)
                events.append((o.completed_at, o.id, kind, actor, "delivered", "completed"))
                o.gig.orders_count += 1
                if rng.random() < 0.6:
                    rating = rng.choices([5, 4, 3, 2, 1], weights=[70, 20, 6, 2, 2])[0]
                    written = o.completed_at + timedelta(days=rng.uniform(0, 5))
                    due = o.completed_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)
                    visible = due if due <= ANCHOR else None
                    if visible:
                        o.gig.ratings.append(rating)
                    review_id += 1
                    texts = V.REVIEW_RU if self.user_lang[o.buyer_id] == "ru" else V.REVIEW_EN
                    reply = rng.random() < 0.15 and visible is not None
                    reviews.add(
                        str(review_id),
                        "buyer",
                        str(rating),
                        str(max(1, min(5, rating + rng.randint(-1, 0)))),
                        str(rating),
                        str(5 if not o.was_late else rng.randint(2, 4)),
                        esc(rng.choice(texts)),
                        ts(written),
                        ts(written),
                        ts(due),
                        ts(visible),
                        "",
                        "\\N",
                        esc("Спасибо!" if reply else ""),
                        ts(visible) if reply else "\\N",
                        str(o.buyer_id),
                        str(o.gig.id),
                        str(o.id),
                        str(seller),
                    )
            if o.cancelled_at:
                if o.cancel_kind == "unpaid":
                    events.append((o.cancelled_at, o.id, "expired", None, "pending_payment", "cancelled"))
                else:
                    actor = seller if o.cancel_kind == "seller" else o.buyer_id
                    events.append((o.cancelled_at, o.id, "cancelled", actor, "in_progress", "cancelled"))
        self.counts["orders"] = orders.close()
        self.counts["deliveries"] = deliveries.close()
        self.counts["reviews"] = reviews.close()

        events.sort(key=lambda e: (e[0], e[1]))
        rows = Copier(
            self.cursor,
            "orders_orderevent",
            [
                "id",
                "kind",
                "from_status",
                "to_status",
                "note",
                "created_at",
                "notified_at",
                "actor_id",
                "order_id",
            ],
        )
        self.events_of: dict[int, list[tuple[int, str, datetime]]] = defaultdict(list)
        for event_id, (when, order_id, kind, actor, before, after) in enumerate(events, start=1):
            # Notified already: the email sweep must not mail a million old events.
            rows.add(
                str(event_id),
                kind,
                before,
                after,
                "",
                ts(when),
                ts(when),
                str(actor) if actor else "\\N",
                str(order_id),
            )
            self.events_of[order_id].append((event_id, kind, when))
        self.counts["order events"] = rows.close()

    def profiles_write(self) -> None:
        rng = self.rng("profiles")
        size = self.size
        stats: dict[int, dict] = defaultdict(lambda: {"done": 0, "late": 0, "cancelled": 0, "ratings": []})
        purchases: dict[int, int] = defaultdict(int)
        for o in self.orders:
            seller = stats[o.gig.seller_id]
            if o.completed_at:
                seller["done"] += 1
                seller["late"] += o.was_late
                purchases[o.buyer_id] += 1
            elif o.cancel_kind and o.cancel_kind != "unpaid":
                seller["cancelled"] += 1
        for gig in self.gigs:
            stats[gig.seller_id]["ratings"].extend(gig.ratings)
        rules = settings.SELLER_LEVEL_RULES
        profiles = Copier(
            self.cursor,
            "accounts_profile",
            [
                "user_id",
                "display_name",
                "avatar",
                "headline",
                "bio",
                "skills",
                "languages",
                "country",
                "time_zone",
                "updated_at",
                "orders_completed",
                "rating_avg",
                "rating_count",
                "response_minutes",
                "seller_level",
                "buyer_level",
                "buyer_rating_avg",
                "buyer_rating_count",
                "completion_rate",
                "on_time_rate",
                "purchases_count",
                "repeat_buyer_rate",
                "stats_updated_at",
            ],
        )
        for user_id in range(1, size.sellers + size.buyers + 1):
            lang = self.user_lang[user_id]
            joined = self.user_joined[user_id]
            bought = purchases.get(user_id, 0)
            buyer_level = sum(1 for need in settings.BUYER_LEVEL_PURCHASES if bought >= need)
            if user_id <= size.sellers:
                s = stats[user_id]
                ratings = s["ratings"]
                rating = sum(ratings) / len(ratings) if ratings else 0
                finished = s["done"] + s["cancelled"]
                completion = s["done"] / finished if finished else None
                on_time = (s["done"] - s["late"]) / s["done"] if s["done"] else None
                age_days = (ANCHOR - joined).days
                level = "new"
                for name in ("advanced", "professional"):
                    rule = rules[name]
                    if (
                        s["done"] >= rule["orders"]
                        and rating >= float(rule["rating"])
                        and age_days >= rule["days"]
                        and (on_time or 0) >= float(rule["on_time"])
                        and (completion or 0) >= float(rule["completion"])
                    ):
                        level = name
                category = self.seller_categories[user_id][0]
                nouns = V.CATEGORY_NOUNS.get(category.slug, (["услуги"], ["services"]))[0 if lang == "ru" else 1]
                headline = (
                    f"{nouns[0].capitalize()}: опыт {rng.randint(2, 12)} лет"
                    if lang == "ru"
                    else f"{nouns[0].capitalize()}, {rng.randint(2, 12)} years of experience"
                )
                profiles.add(
                    str(user_id),
                    esc(self.display[user_id]),
                    "",
                    esc(headline[:120]),
                    "",
                    "[]",
                    "[]",
                    "RU" if lang == "ru" else "",
                    "Europe/Moscow",
                    ts(joined),
                    str(s["done"]),
                    f"{rating:.2f}",
                    str(len(ratings)),
                    str(rng.randint(5, 600)),
                    level,
                    str(buyer_level),
                    "0.00",
                    "0",
                    f"{completion:.3f}" if completion is not None else "\\N",
                    f"{on_time:.3f}" if on_time is not None else "\\N",
                    str(bought),
                    "\\N",
                    ts(ANCHOR),
                )
            else:
                profiles.add(
                    str(user_id),
                    esc(self.display[user_id]),
                    "",
                    "",
                    "",
                    "[]",
                    "[]",
                    "RU" if lang == "ru" else "",
                    "Europe/Moscow",
                    ts(joined),
                    "0",
                    "0.00",
                    "0",
                    "\\N",
                    "new",
                    str(buyer_level),
                    "0.00",
                    "0",
                    "\\N",
                    "\\N",
                    str(bought),
                    "\\N",
                    ts(ANCHOR),
                )
        self.counts["profiles"] = profiles.close()

    # --- messages ---

    def messages_write(self) -> None:
        rng = self.rng("messages")
        size = self.size
        thread_kinds = {"paid", "delivered", "accepted", "auto_completed", "cancelled", "expired"}
        conversations = []  # (created_at, low, high, order_id or None, end, system events, seller_id)
        for o in self.orders:
            if not o.paid_at:
                continue
            system = [(event_id, kind, when) for event_id, kind, when in self.events_of[o.id] if kind in thread_kinds]
            end = o.completed_at or o.cancelled_at or ANCHOR
            low, high = sorted((o.buyer_id, o.gig.seller_id))
            conversations.append((o.paid_at, low, high, o.id, end, system, o.gig.seller_id))
        pairs = set()
        gigs_of: dict[int, list[int]] = defaultdict(list)
        for gig in self.gigs:
            if gig.status == "active":
                gigs_of[gig.seller_id].append(gig.id)
        n_direct = max(size.orders // 5, 1)
        for _ in range(n_direct * 2):
            if len(pairs) >= n_direct:
                break
            buyer = rng.randint(size.sellers + 1, size.sellers + size.buyers)
            seller = rng.randint(1, size.sellers)
            low, high = sorted((buyer, seller))
            if (low, high) in pairs:
                continue
            pairs.add((low, high))
            created = ANCHOR - timedelta(days=rng.uniform(0.1, 700))
            conversations.append((created, low, high, None, ANCHOR, [], seller))
        conversations.sort(key=lambda c: (c[0], c[1], c[2], c[3] or 0))

        system_total = sum(len(c[5]) for c in conversations)
        human_total = max(size.messages - system_total, 0)
        # Heavy-tailed thread lengths: most threads are short, a few run to thousands of messages.
        weights = [rng.paretovariate(1.2) for _ in conversations]
        scale = human_total / sum(weights) if weights else 0
        human = [min(int(w * scale), 5_000) for w in weights]
        short = human_total - sum(human)
        i = 0
        while short > 0 and human:
            if human[i % len(human)] < 5_000:
                human[i % len(human)] += 1
                short -= 1
            i += 1

        conv_rows = Copier(
            self.cursor,
            "messaging_conversation",
            [
                "id",
                "created_at",
                "last_message_at",
                "order_id",
                "user_high_id",
                "user_low_id",
                "last_message_id",
            ],
        )
        participants = Copier(
            self.cursor,
            "messaging_participant",
            [
                "id",
                "last_message_at",
                "last_read_id",
                "last_read_at",
                "email_due_at",
                "last_emailed_at",
                "last_emailed_id",
                "last_incoming_id",
                "conversation_id",
                "partner_id",
                "user_id",
            ],
        )
        messages = Copier(
            self.cursor,
            "messaging_message",
            [
                "id",
                "body",
                "body_masked",
                "flags",
                "flagged",
                "system_kind",
                "created_at",
                "conversation_id",
                "gig_id",
                "order_event_id",
                "sender_id",
            ],
            chunk=50_000,
        )
        message_id = participant_id = 0
        for conversation_id, ((created, low, high, order_id, end, system, seller), n_human) in enumerate(
            zip(conversations, human, strict=True), start=1
        ):
            span = max((end - created).total_seconds(), 60)
            items = [(when, "system", (event_id, kind)) for event_id, kind, when in system]
            times = sorted(rng.random() for _ in range(n_human))
            lang = self.user_lang[seller]
            phrases = V.CHAT_RU if lang == "ru" else V.CHAT_EN
            for k, fraction in enumerate(times):
                sender = (low, high)[k % 2 if rng.random() < 0.8 else rng.randint(0, 1)]
                items.append((created + timedelta(seconds=span * fraction), "human", sender))
            items.sort(key=lambda item: item[0])
            first_id = message_id + 1
            sender_last: dict[int, int] = {}
            quoted = None if order_id or not gigs_of.get(seller) or rng.random() < 0.5 else rng.choice(gigs_of[seller])
            for when, kind, data in items:
                message_id += 1
                if kind == "system":
                    event_id, event_kind = data
                    messages.add(
                        str(message_id),
                        "",
                        "",
                        "[]",
                        "f",
                        event_kind,
                        ts(when),
                        str(conversation_id),
                        "\\N",
                        str(event_id),
                        "\\N",
                    )
                else:
                    body = rng.choice(phrases)
                    if rng.random() < 0.3:
                        body += " " + self.words.text(rng, lang, rng.randint(5, 25))
                    gig_id = str(quoted) if quoted and message_id == first_id else "\\N"
                    messages.add(
                        str(message_id),
                        esc(body),
                        esc(body),
                        "[]",
                        "f",
                        "",
                        ts(when),
                        str(conversation_id),
                        gig_id,
                        "\\N",
                        str(data),
                    )
                    sender_last[data] = message_id
            last_id = message_id if items else None
            last_at = items[-1][0] if items else None
            conv_rows.add(
                str(conversation_id),
                ts(created),
                ts(last_at),
                str(order_id) if order_id else "\\N",
                str(high),
                str(low),
                str(last_id) if last_id else "\\N",
            )
            for user, partner in ((low, high), (high, low)):
                participant_id += 1
                read = last_id or 0
                if last_id and rng.random() < 0.1:  # some people have unread messages
                    read = max(sender_last.get(user, 0), last_id - rng.randint(1, 3), first_id - 1)
                participants.add(
                    str(participant_id),
                    ts(last_at),
                    str(read),
                    ts(last_at) if read else "\\N",
                    "\\N",
                    "\\N",
                    "0",
                    str(sender_last.get(partner, 0)),
                    str(conversation_id),
                    str(partner),
                    str(user),
                )
        self.counts["conversations"] = conv_rows.close()
        self.counts["participants"] = participants.close()
        self.counts["messages"] = messages.close()


# --- the driver -------------------------------------------------------------------------------------


def _drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the foreign keys and the indexes that back no constraint; return the SQL that restores them."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
        ORDER BY 1, 2
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    restore = [definition for _name, definition in indexes]
    restore += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in foreign_keys]
    return restore


def database_is_empty(cursor) -> bool:
    cursor.execute("SELECT EXISTS (SELECT 1 FROM accounts_user) OR EXISTS (SELECT 1 FROM gigs_gig)")
    return not cursor.fetchone()[0]


def seed(*, size: Size, reset: bool = False, log=print) -> dict[str, int]:
    """Fill the database; returns row counts per kind. Refuses SQLite, and a database with
    data in it unless `reset` (which empties every table it fills, and what points at them)."""
    if connection.vendor != "postgresql":
        raise SeedError(
            "bench_seed writes with PostgreSQL's COPY and measures PostgreSQL: set DATABASE_URL to a "
            "PostgreSQL database (for example postgres://postgres@127.0.0.1:5432/marketplace_bench). "
            "SQLite is not supported."
        )
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        if not database_is_empty(cursor):
            if not reset:
                raise SeedError("The database already has users or gigs: pass --reset to replace them.")
            cursor.execute(f"TRUNCATE {', '.join(TABLES + ALSO_EMPTIED)} RESTART IDENTITY CASCADE")
        category_tree_seed()
        # Run the deferred foreign-key checks now: ALTER TABLE refuses tables with pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        restore = _drop_secondary(cursor, TABLES)
        generator = Generator(size=size, cursor=cursor, log=log)
        log(f"Generating size {size} ...")
        generator.timed("users", generator.people)
        generator.timed("gig plan", generator.catalog_plan)
        generator.timed("order plan", generator.orders_plan)
        generator.timed("ledger", generator.ledger)
        generator.timed("orders, events, deliveries, reviews", generator.orders_write)
        generator.timed("profiles", generator.profiles_write)
        generator.timed("gigs, packages, extras, FAQ", generator.catalog_write)
        generator.timed("conversations and messages", generator.messages_write)

        def rebuild():
            for statement in restore:
                cursor.execute(statement)

        # Before the indexes are back: an UPDATE of every gig would otherwise rewrite each index entry.
        generator.timed("search scores", gig_scores_refresh)
        generator.timed("indexes and foreign keys", rebuild)
        for table in TABLES:
            # Table names come from TABLES above, never from input.
            highest = f"(SELECT max({_pk(table)}) FROM {table})"  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST({highest}, 1))", [table, _pk(table)]
            )
    with connection.cursor() as cursor:
        analyse_started = time.monotonic()
        # VACUUM cannot run in a transaction (the tests run in one): there ANALYZE is enough.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for table in TABLES:
            cursor.execute(f"{command} {table}")
        log(f"  {command.lower()}: {time.monotonic() - analyse_started:.1f} s")
    counts = dict(generator.counts)
    log(f"Done in {time.monotonic() - started:.0f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def _pk(table: str) -> str:
    return "user_id" if table == "accounts_profile" else "id"
