"""The baseline pages exist only with BENCH_BASELINES=1, and do what their pages do."""

import importlib
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import clear_url_caches
from moneyed import Money

import marketplace.urls
from escrow.selectors import wallet_balances
from escrow.services import ledger_reconcile, wallet_top_up
from gigs.models import Gig
from messaging.models import Conversation
from orders.models import Order
from tests.factories import GigFactory, UserFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(not django_settings.USING_POSTGRES, reason="the ledger checks need PostgreSQL")


def _load_urls(flag: bool) -> None:
    django_settings.BENCH_BASELINES = flag
    importlib.reload(marketplace.urls)
    clear_url_caches()


@pytest.fixture
def baselines(settings):
    before = settings.BENCH_BASELINES
    _load_urls(True)
    yield
    _load_urls(before)


def test_the_baselines_are_absent_without_the_flag(client, settings):
    _load_urls(False)
    assert client.get("/bench/hello").status_code == 404
    assert client.get("/bench/raw/catalog/").status_code == 404
    assert client.get("/bench/nocount/catalog/").status_code == 404
    assert "bench" not in settings.INSTALLED_APPS or settings.BENCH_BASELINES


def test_hello_goes_through_the_middleware(client, baselines):
    response = client.get("/bench/hello")
    assert response.status_code == 200 and response.content == b"Hello"
    assert response["X-Frame-Options"] == "DENY"  # the security middleware answered too


def test_the_raw_catalog_lists_what_the_catalog_lists(client, baselines):
    GigFactory(title="Cheap logo", price_from=Money(500, "RUB"), orders_count=3)
    GigFactory(title="Fast logo", orders_count=9)
    GigFactory(title="Paused logo", status=Gig.Status.PAUSED)
    raw = client.get("/bench/raw/catalog/").content.decode()
    page = [gig.title for gig in client.get("/catalog/").context["page"].gigs]
    assert page == ["Fast logo", "Cheap logo"]
    assert raw.index("Fast logo") < raw.index("Cheap logo") and "Paused logo" not in raw
    assert "Cheap logo" in client.get("/bench/raw/catalog/", {"q": "cheap"}).content.decode()


def test_the_catalog_without_its_count(client, baselines):
    GigFactory.create_batch(2)
    response = client.get("/bench/nocount/catalog/")
    assert response.status_code == 200 and response.context["count"] is None
    assert client.get("/catalog/").context["count"].value == 2


def test_the_raw_gig_page_counts_the_view_like_the_page(client, baselines):
    gig = GigFactory(title="A gig to look at")
    response = client.get(f"/bench/raw/gig/{gig.pk}/{gig.slug}/")
    assert response.status_code == 200 and "A gig to look at" in response.content.decode()
    assert Gig.objects.get(pk=gig.pk).views_count == 1
    assert client.get("/bench/raw/gig/999999/x/").status_code == 404


@postgres_only
def test_the_raw_order_placement_keeps_the_ledger_consistent(client, baselines):
    buyer = UserFactory()
    gig = GigFactory(price_from=Money(1500, "RUB"), packages=[(1500, 3, 1)])
    wallet_top_up(user=buyer, amount=Money(Decimal("5000"), "RUB"), key="topup:test:bench")
    client.force_login(buyer)
    response = client.post(f"/bench/raw/checkout/{gig.pk}/", {"package": 1, "quantity": 1})
    assert response.status_code == 302
    order = Order.objects.get(buyer=buyer)
    assert order.status == Order.Status.PENDING_PAYMENT and order.total == Money(1500, "RUB")
    assert client.post(response["Location"]).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS and order.paid_at is not None
    assert wallet_balances(user=buyer).available == Money(3500, "RUB")
    thread = Conversation.objects.get(order=order)
    assert thread.last_message.system_kind == "paid" and thread.participants.count() == 2
    report = ledger_reconcile(notify=False)
    assert report.ok, report.problems
    # The page's own path places the same way next to it, and the books still balance.
    response = client.post(f"/checkout/{gig.pk}/", {"package": 1, "quantity": 1})
    assert client.post(response["Location"]).status_code == 302
    assert wallet_balances(user=buyer).available == Money(2000, "RUB")
    assert ledger_reconcile(notify=False).ok


@postgres_only
def test_prepare_gives_working_urls_and_sessions(client, baselines):
    from bench.prepare import prepare
    from bench.seed import SIZES, seed

    seed(size=SIZES["XS"], log=lambda _message: None)
    plan = prepare(run_key="test")
    assert {(w["class"], w["language"]) for w in plan["search"]} == {
        (name, language) for name in ("rare", "1%", "5%", "50%", "multi") for language in ("ru", "en")
    }
    # Each word carries its brute-force first page, which the catalog must give exactly.
    for word in plan["search"]:
        page = client.get("/catalog/", {"q": word["word"]}).context["page"]
        assert [g.pk for g in page.gigs] == word["expected_top"], word["word"]
    for path in plan["catalog"][:4] + plan["gig"][:3]:
        assert client.get(path).status_code == 200, path
    thread = plan["thread"][0]
    for part in thread["cookie"].split("; "):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    assert client.get(thread["path"]).status_code == 200
    buyer = plan["placement"][0]
    assert wallet_balances(user=UserFactory._meta.model.objects.get(pk=buyer["user_id"])).available.amount >= 10**6
