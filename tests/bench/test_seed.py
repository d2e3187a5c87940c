"""bench_seed: consistent ledger rows, deterministic output, and PostgreSQL only."""

import hashlib

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from bench.seed import SIZES, SeedError, seed
from escrow.services import ledger_reconcile
from gigs.models import Gig
from messaging.models import Conversation, Message, Participant
from orders.models import Order

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(not settings.USING_POSTGRES, reason="bench_seed writes with PostgreSQL's COPY")

# One digest per table over what the generator decides (ids included: they are part of it).
DIGESTS = {
    "accounts_user": "id, username, email, is_seller, date_joined",
    "gigs_gig": "id, title, slug, description, status, price_from, days_min, rating_avg, rating_count, orders_count",
    "gigs_gigpackage": "id, gig_id, tier, price, delivery_days",
    "orders_order": "id, status, buyer_id, seller_id, total, fee, fee_rate, created_at, paid_at, completed_at",
    "escrow_account": "id, kind, user_id, order_id, balance",
    "escrow_journal": "id, key, kind, request_hash, created_at",
    "escrow_transfer": "id, journal_id, debit_id, credit_id, amount",
    "messaging_message": "id, conversation_id, sender_id, body, system_kind, order_event_id, created_at",
}


def digest() -> dict[str, str]:
    found = {}
    with connection.cursor() as cursor:
        for table, columns in DIGESTS.items():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - names from DIGESTS
            found[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return found


@postgres_only
def test_the_tiny_size_is_consistent_and_deterministic():
    counts = seed(size=SIZES["XS"], log=lambda _message: None)
    size = SIZES["XS"]
    assert counts["gigs"] == Gig.objects.count() == size.gigs
    assert counts["orders"] == Order.objects.count() == size.orders
    assert Message.objects.count() == size.messages
    report = ledger_reconcile(notify=False)
    assert report.ok, report.problems
    assert report.journals_checked > size.orders  # top-ups, holds, settlements and refunds
    first = digest()

    seed(size=SIZES["XS"], reset=True, log=lambda _message: None)
    assert digest() == first
    assert ledger_reconcile(notify=False).ok


@postgres_only
def test_the_data_is_what_the_pages_expect():
    seed(size=SIZES["XS"], log=lambda _message: None)
    active = Gig.objects.filter(status=Gig.Status.ACTIVE)
    assert active.filter(published_at__isnull=True).count() == 0
    assert active.exclude(packages__tier=1).count() == 0
    # price_from and days_min are the packages' minimum, as the services keep them.
    gig = active.order_by("-orders_count").first()
    packages = list(gig.packages.all())
    assert gig.price_from == min(p.price for p in packages)
    assert gig.days_min == min(p.delivery_days for p in packages)
    assert gig.search_vector  # the generated column was filled
    # Completed orders were settled: the fee is the rounded share of the total.
    order = Order.objects.filter(status=Order.Status.COMPLETED).first()
    assert order.fee is not None and order.fee.amount > 0
    # Every paid order has its thread; read marks never point past the thread's last message.
    assert (
        Conversation.objects.filter(order__paid_at__isnull=False).count()
        == Order.objects.filter(paid_at__isnull=False).count()
    )
    for participant in Participant.objects.select_related("conversation")[:50]:
        assert participant.last_read_id <= participant.conversation.last_message_id
        # The partner's latest message, as the services keep it for the unread counter.
        theirs = participant.conversation.messages.filter(sender_id=participant.partner_id).order_by("-id").first()
        assert participant.last_incoming_id == (theirs.pk if theirs else 0)
    # Names, tags and text are real words, in both languages.
    assert active.filter(title__startswith="I will").exists()
    assert active.exclude(title__startswith="I will").exists()


@postgres_only
def test_a_database_with_data_is_refused_without_reset():
    seed(size=SIZES["XS"], log=lambda _message: None)
    with pytest.raises(SeedError, match="--reset"):
        seed(size=SIZES["XS"], log=lambda _message: None)


@pytest.mark.skipif(settings.USING_POSTGRES, reason="the refusal is for SQLite")
def test_sqlite_is_refused_with_a_clear_message():
    with pytest.raises(SeedError, match="PostgreSQL"):
        seed(size=SIZES["XS"], log=lambda _message: None)
    assert not Gig.objects.exists()


@pytest.mark.skipif(settings.USING_POSTGRES, reason="the refusal is for SQLite")
def test_the_command_refuses_sqlite(settings):
    from django.test.utils import modify_settings

    with modify_settings(INSTALLED_APPS={"append": "bench"}), pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_seed", "--size", "XS")
