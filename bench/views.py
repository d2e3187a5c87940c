"""Baselines, measured in the same run and process as the pages they are compared with.

`hello_view` is what a response costs through the whole middleware stack and nothing else.
The raw-SQL twins run the SQL their page runs (the same statements, compiled once per URL
from the same selectors and then reused, so the ORM's compiling is not in the twin) through
a cursor, and render the result as a few lines of HTML: what is left of a page's time once
the ORM's objects and the templates are taken away. Mounted only with BENCH_BASELINES=1.
"""

import html
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from psycopg2.extras import Json

from escrow.fees import FeePolicy
from escrow.services.ledger import request_hash_of_rows
from gigs import selectors as gig_selectors
from gigs.models import Category, Gig, GigExtra, GigFaq, GigImage, GigPackage
from reviews.selectors import reviews_public

from .seed import column_defaults

# Compiled statements per URL (a benchmark asks for the same URLs again and again).
_COMPILED: dict[tuple, list[tuple[str, tuple]]] = {}
_COMPILED_MAX = 20_000


def _compiled(key: tuple, build) -> list[tuple[str, tuple]]:
    statements = _COMPILED.get(key)
    if statements is None:
        if len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.clear()
        statements = _COMPILED[key] = [qs.query.sql_with_params() for qs in build()]
    return statements


def _compiled_sql(key: tuple, build) -> tuple[str, list]:
    """One statement that a selector gives as (sql, params), kept like `_compiled`'s."""
    statement = _COMPILED.get(key)
    if statement is None:
        if len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.clear()
        statement = _COMPILED[key] = build()
    return statement


def _page(title: str, lines: list[str]) -> HttpResponse:
    body = "".join(f"<li>{html.escape(str(line))}</li>" for line in lines)
    return HttpResponse(f"<!DOCTYPE html><title>{html.escape(title)}</title><ul>{body}</ul>")


@require_GET
def hello_view(request):
    return HttpResponse("Hello", content_type="text/plain")


# --- catalog and search -------------------------------------------------------------------------


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return None
    return number if number.is_finite() and number >= 0 else None


def _catalog_query(request, section: Category | None, category: Category | None) -> gig_selectors.CatalogQuery:
    """The page's filters, read by hand (the page reads them with its form)."""
    get = request.GET
    days = get.get("days", "")
    return gig_selectors.CatalogQuery(
        q=" ".join(get.get("q", "").split())[:100],
        section=section,
        category=category,
        price_min=_decimal(get.get("price_min", "")),
        price_max=_decimal(get.get("price_max", "")),
        days=int(days) if days in ("1", "3", "7") else None,
        level=get.get("level", "") if get.get("level") in ("new", "advanced", "professional") else "",
        rating=_decimal(get.get("rating", "")) if get.get("rating") in ("4", "4.5") else None,
        sort=get.get("sort") if get.get("sort") in gig_selectors.SORTS else "relevance",
    )


def _category(section_slug: str | None, category_slug: str | None):
    """The page's section and category lookups (`gigs.selectors.category_get`: the cached tree)."""
    if not section_slug:
        return None, None
    return gig_selectors.category_get(section_slug=section_slug, category_slug=category_slug)


def _column(cursor, name: str) -> int:
    """The position of the first column called `name` in the last result."""
    return next(i for i, column in enumerate(cursor.description) if column[0] == name)


@require_GET
def raw_catalog_view(request, section_slug=None, category_slug=None):
    """The catalog's (and search's) SQL: the page of gigs with their sellers and categories,
    and the images of those gigs (the count and the side menu come from the cache)."""
    with connection.cursor() as cursor:
        section, category = _category(section_slug, category_slug)
        query = _catalog_query(request, section, category)
        key = ("catalog", request.get_full_path())
        if query.ranked:
            # The tiers' queries in order until a page is full, as the search walks them.
            size = settings.CATALOG_PAGE_SIZE
            found: list[int] = []
            statements = _COMPILED.get(key)
            if statements is None:
                if len(_COMPILED) > _COMPILED_MAX:
                    _COMPILED.clear()
                statements = _COMPILED[key] = gig_selectors.ranked_page_one_sql(query, size=size)
            for statement in statements:
                cursor.execute(*statement)
                found += [row[0] for row in cursor.fetchall()]
                if len(found) > size:
                    break
            ids = tuple(found[:size])
            page_sql = _compiled(
                ("cards", ids),
                lambda: [gig_selectors.listing_queryset(Gig.objects.filter(pk__in=ids))],
            )[0]
        else:
            page_sql = _compiled(
                key,
                lambda: [
                    gig_selectors.catalog_page_queryset(
                        query, after=request.GET.get("after", ""), before=request.GET.get("before", "")
                    )[0]
                ],
            )[0]
        cursor.execute(*page_sql)
        gigs = cursor.fetchall()
        title, price = _column(cursor, "title"), _column(cursor, "price_from")
    return _page("Catalog", [f"{row[title]}: {row[price]}" for row in gigs[: settings.CATALOG_PAGE_SIZE]])


# --- the gig page -------------------------------------------------------------------------------


@require_GET
def raw_gig_view(request, gig_id, slug):
    """The gig page's SQL with its fragments cached (as the page runs while they are): the
    gig with its seller and category, the view counter, more gigs of the seller with their
    images, and the latest reviews."""
    with connection.cursor() as cursor:
        first = _compiled(
            ("gig", gig_id),
            lambda: [Gig.objects.select_related("seller__profile", "category__parent").filter(pk=gig_id)[:1]],
        )[0]
        cursor.execute(*first)
        gig = cursor.fetchone()
        if gig is None:
            raise Http404
        seller_id, title, description = (gig[_column(cursor, name)] for name in ("seller_id", "title", "description"))
        cursor.execute("UPDATE gigs_gig SET views_count = views_count + 1 WHERE id = %s", [gig_id])
        more_sql, reviews_sql = _compiled(
            ("gig-more", gig_id),
            lambda: [
                Gig.objects.filter(seller_id=seller_id, status=Gig.Status.ACTIVE)
                .exclude(pk=gig_id)
                .defer("description", "search_vector")
                .order_by("-orders_count", "-id")[:4],
                reviews_public(gig_id=gig_id)[:5],
            ],
        )
        cursor.execute(*more_sql)
        more = cursor.fetchall()
        more_title = _column(cursor, "title")
        cursor.execute(*reviews_sql)
        reviews = cursor.fetchall()
        review_text = _column(cursor, "text")
    return _page(title, [description[:300], *(row[more_title] for row in more), *(row[review_text] for row in reviews)])


def raw_gig_cold_statements(gig_id: int) -> list:
    """What the gig page adds when its fragments are not cached (for reference in the README)."""
    return [
        GigPackage.objects.filter(gig_id=gig_id),
        GigExtra.objects.filter(gig_id=gig_id),
        GigFaq.objects.filter(gig_id=gig_id),
        GigImage.objects.filter(gig_id=gig_id),
    ]


# --- order placement with escrow ------------------------------------------------------------------

# The pair's turnover as order_place reads it: the row the ledger keeps at settlement.
_TURNOVER_SQL = """
SELECT COALESCE((
    SELECT amount FROM escrow_pairturnover
    WHERE buyer_id = %(buyer)s AND seller_id = %(seller)s AND amount_currency = %(currency)s
), 0)
"""

_DEFAULTS: dict[tuple, list] = {}


def _insert(cursor, table: str, values: dict) -> int:
    """INSERT one row; the columns `values` leaves out get their model default (so the twin
    keeps working when another app adds a column)."""
    key = (table, tuple(values))
    defaults = _DEFAULTS.get(key)
    if defaults is None:
        defaults = _DEFAULTS[key] = [
            (column, Json(value) if isinstance(value, list | dict) else getattr(value, "amount", value))
            for column, value in column_defaults(table, list(values))
        ]
    columns = [*values, *(column for column, _value in defaults)]
    params = [*values.values(), *(value for _column, value in defaults)]
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from this module and the models, never from the request.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id"  # noqa: S608
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def _event(cursor, kind: str, before: str, after: str, when, actor_id: int, order_id: int) -> int:
    return _insert(
        cursor,
        "orders_orderevent",
        {
            "kind": kind,
            "from_status": before,
            "to_status": after,
            "note": "",
            "created_at": when,
            "actor_id": actor_id,
            "order_id": order_id,
        },
    )


@require_POST
@login_required
def raw_checkout_view(request, gig_id):
    """order_place in SQL: the gig, the package, the pair's turnover for the fee rate,
    the questions, the order row and its event."""
    currency = settings.MARKETPLACE_CURRENCY
    try:
        tier = int(request.POST.get("package", "1"))
    except ValueError:
        tier = 1
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id, seller_id, title FROM gigs_gig WHERE id = %s AND status = 'active'", [gig_id])
        gig = cursor.fetchone()
        if gig is None or gig[1] == request.user.pk:
            raise Http404
        cursor.execute(
            "SELECT id, tier, name, description, price, delivery_days, revisions FROM gigs_gigpackage "
            "WHERE gig_id = %s AND tier = %s",
            [gig_id, tier],
        )
        package = cursor.fetchone()
        if package is None:
            raise Http404
        cursor.execute(_TURNOVER_SQL, {"currency": currency, "buyer": request.user.pk, "seller": gig[1]})
        turnover = cursor.fetchone()[0]
        cursor.execute("SELECT id, text, kind, choices, required FROM gigs_gigquestion WHERE gig_id = %s", [gig_id])
        cursor.fetchall()
        price = package[4]
        rate = FeePolicy.from_settings().rate_for(amount=price, turnover=turnover)
        order_id = _insert(
            cursor,
            "orders_order",
            {
                "status": "pending_payment",
                "gig_title": gig[2],
                "package_name": package[2],
                "package_tier": package[1],
                "package_description": package[3],
                "package_price_currency": currency,
                "package_price": price,
                "unit_price_currency": currency,
                "unit_price": price,
                "quantity": 1,
                "extras": Json([]),
                "total_currency": currency,
                "total": price,
                "delivery_days": package[5],
                "revision_days": package[5],
                "revisions_included": package[6],
                "revisions_used": 0,
                "fee_rate": rate,
                "questions": Json([]),
                "created_at": now,
                "updated_at": now,
                "payment_expires_at": now + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS),
                "buyer_id": request.user.pk,
                "gig_id": gig_id,
                "package_id": package[0],
                "seller_id": gig[1],
            },
        )
        _event(cursor, "placed", "", "pending_payment", now, request.user.pk, order_id)
    return HttpResponseRedirect(f"/bench/raw/orders/{order_id}/pay/")


@require_POST
@login_required
def raw_pay_view(request, order_id):
    """order_pay in SQL: lock the order, hold the total in its escrow account (accounts locked
    in id order, journal, transfer, cached balances), start the order, record the event, and
    post it into the order's thread (created with its two participants)."""
    currency = settings.MARKETPLACE_CURRENCY
    buyer_id = request.user.pk
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, total, delivery_days, seller_id FROM orders_order "
            "WHERE id = %s AND buyer_id = %s FOR UPDATE",
            [order_id, buyer_id],
        )
        order = cursor.fetchone()
        if order is None or order[1] != "pending_payment":
            raise Http404
        total, seller_id = order[2], order[4]
        cursor.execute(
            "SELECT id FROM escrow_account WHERE kind = 'wallet' AND user_id = %s AND balance_currency = %s",
            [buyer_id, currency],
        )
        wallet = cursor.fetchone()
        if wallet is None:
            raise Http404
        wallet_id = wallet[0]
        escrow_id = _insert(
            cursor,
            "escrow_account",
            {"kind": "escrow", "order_id": order_id, "balance_currency": currency, "balance": 0, "created_at": now},
        )
        cursor.execute(
            "SELECT id, balance FROM escrow_account WHERE id IN (%s, %s) ORDER BY id FOR UPDATE", [wallet_id, escrow_id]
        )
        balances = dict(cursor.fetchall())
        if balances[wallet_id] < total:
            return HttpResponse("Not enough money", status=409)
        key = f"order:{order_id}:hold"
        digest = request_hash_of_rows("hold", [(wallet_id, escrow_id, total, currency)])
        journal_id = _insert(
            cursor,
            "escrow_journal",
            {
                "key": key,
                "kind": "hold",
                "request_hash": digest,
                "order_id": order_id,
                "memo": "",
                "created_at": now,
                "actor_id": buyer_id,
            },
        )
        _insert(
            cursor,
            "escrow_transfer",
            {
                "amount_currency": currency,
                "amount": total,
                "credit_id": escrow_id,
                "debit_id": wallet_id,
                "journal_id": journal_id,
            },
        )
        cursor.execute("UPDATE escrow_account SET balance = balance - %s WHERE id = %s", [total, wallet_id])
        cursor.execute("UPDATE escrow_account SET balance = balance + %s WHERE id = %s", [total, escrow_id])
        cursor.execute(
            "UPDATE orders_order SET status = 'in_progress', paid_at = %s, payment_expires_at = NULL, started_at = %s, "
            "deadline_at = %s, updated_at = %s WHERE id = %s",
            [now, now, now + timedelta(days=order[3]), now, order_id],
        )
        event_id = _event(cursor, "paid", "pending_payment", "in_progress", now, buyer_id, order_id)
        low, high = sorted((buyer_id, seller_id))
        conversation_id = _insert(
            cursor,
            "messaging_conversation",
            {"created_at": now, "order_id": order_id, "user_low_id": low, "user_high_id": high},
        )
        for user_id, partner_id in ((low, high), (high, low)):
            _insert(
                cursor,
                "messaging_participant",
                {"conversation_id": conversation_id, "user_id": user_id, "partner_id": partner_id},
            )
        message_id = _insert(
            cursor,
            "messaging_message",
            {"system_kind": "paid", "created_at": now, "conversation_id": conversation_id, "order_event_id": event_id},
        )
        cursor.execute(
            "UPDATE messaging_conversation SET last_message_id = %s, last_message_at = %s WHERE id = %s",
            [message_id, now, conversation_id],
        )
        cursor.execute(
            "UPDATE messaging_participant SET last_message_at = %s WHERE conversation_id = %s", [now, conversation_id]
        )
    return HttpResponseRedirect(f"/orders/{order_id}/")
