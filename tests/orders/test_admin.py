from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from moneyed import Money

from escrow.display import money_text
from escrow.fees import split_amounts
from escrow.models import Account, Journal
from messaging.models import Attachment
from messaging.services import message_send
from orders import services
from orders.models import Dispute, Order
from tests.factories import UserFactory
from tests.orders import flow

pytestmark = pytest.mark.django_db


def _judge(*codenames):
    judge = UserFactory(is_staff=True)
    for codename in codenames:
        judge.user_permissions.add(Permission.objects.get(codename=codename))
    return judge


@pytest.fixture
def judge_client(client):
    client.force_login(_judge("resolve_dispute", "view_dispute", "view_order", "view_conversation"))
    return client


@pytest.fixture
def disputed(gig, buyer):
    order = flow.delivered(gig, buyer)
    services.dispute_open(
        order_id=order.pk,
        actor=buyer,
        reason="The logo is not what we agreed on at all.",
        files=[SimpleUploadedFile("brief-screenshot.png", b"\x89PNG buyer evidence", "image/png")],
    )
    return Order.objects.get(pk=order.pk)


def _resolve_url(order):
    return reverse("admin:orders_dispute_resolve", args=[order.dispute.pk])


def test_split_amounts_take_the_fee_on_the_sellers_part_only():
    parts = split_amounts(_rub("1000.00"), seller_percent=40, rate=Decimal("0.2"))
    assert (parts.buyer_refund, parts.seller_part, parts.fee, parts.seller_payout) == (
        _rub("600.00"), _rub("400.00"), _rub("80.00"), _rub("320.00"),
    )  # fmt: skip
    odd = split_amounts(_rub("999.99"), seller_percent=33, rate=Decimal("0.075"))
    assert odd.buyer_refund + odd.seller_part == _rub("999.99")
    assert odd.fee + odd.seller_payout == odd.seller_part


def _rub(amount):
    return Money(Decimal(amount), "RUB")


def test_preview_shows_the_split_without_saving_and_equals_the_money_moved(judge_client, disputed):
    url = _resolve_url(disputed)
    # The Preview button skips the browser's check of the (required) decision: no JS needed.
    assert 'name="preview" formnovalidate' in judge_client.get(url).content.decode()
    form = {"outcome": "split", "seller_percent": "35", "decision": ""}
    page = judge_client.post(url, {**form, "preview": "1"})
    assert page.status_code == 200
    preview = page.context["preview"]
    html = page.content.decode()
    assert "This field is required" not in html  # the decision is not needed to preview
    for amount in (preview.buyer_refund, preview.seller_part, preview.fee, preview.seller_payout):
        assert money_text(amount) in html
    disputed.refresh_from_db()
    assert disputed.status == Order.Status.DISPUTED
    assert not Journal.objects.filter(order_id=disputed.pk, kind=Journal.Kind.SPLIT).exists()

    response = judge_client.post(url, {**form, "decision": "Partly done: 35% to the seller."})
    assert response.status_code == 302
    journal = Journal.objects.get(order_id=disputed.pk, kind=Journal.Kind.SPLIT)
    moved = {}
    for transfer in journal.transfers.select_related("credit"):
        moved[(transfer.credit.kind, transfer.credit.user_id)] = transfer.amount
    assert moved[(Account.Kind.WALLET, disputed.buyer_id)] == preview.buyer_refund
    assert moved[(Account.Kind.REVENUE, None)] == preview.fee
    assert moved[(Account.Kind.WALLET, disputed.seller_id)] == preview.seller_payout
    disputed.refresh_from_db()
    assert disputed.fee == preview.fee


def test_preview_of_a_release_shows_the_full_fee(judge_client, disputed):
    page = judge_client.post(_resolve_url(disputed), {"outcome": "release", "decision": "", "preview": "1"})
    preview = page.context["preview"]
    assert preview.buyer_refund.amount == 0
    assert preview.seller_part == disputed.total
    assert Dispute.objects.get(order=disputed).is_open


def test_preview_live_with_htmx_returns_the_figures_only(judge_client, disputed):
    page = judge_client.post(
        _resolve_url(disputed), {"outcome": "split", "seller_percent": "50", "preview": "1"}, HTTP_HX_REQUEST="true"
    )
    html = page.content.decode()
    assert html.lstrip().startswith('<section id="split-preview"')
    assert "<form" not in html


def test_staff_without_the_permission_cannot_resolve_or_preview(client, disputed):
    client.force_login(_judge("view_dispute"))
    url = _resolve_url(disputed)
    assert client.get(url).status_code == 403
    assert client.post(url, {"outcome": "split", "seller_percent": "50", "preview": "1"}).status_code == 403
    assert Dispute.objects.get(order=disputed).is_open


def test_dispute_page_lists_both_parties_files_through_the_staff_download(judge_client, disputed, buyer):
    seller = disputed.seller
    message_send(
        sender=seller,
        body="My sketches",
        order_id=disputed.pk,
        files=[SimpleUploadedFile("sketches.pdf", b"%PDF-1.4 seller evidence", "application/pdf")],
    )
    page = judge_client.get(_resolve_url(disputed)).content.decode()
    # The buyer's files are listed first, then the seller's.
    assert page.index(str(disputed.buyer)) < page.index("brief-screenshot.png") < page.index("sketches.pdf")
    assert "/media/" not in page  # private files never get a public address
    file_id = disputed.files.get(name="brief-screenshot.png").pk
    download = reverse("admin:orders_order_file", args=[disputed.pk, file_id])
    attachment = Attachment.objects.get(name="sketches.pdf")
    assert f'href="{download}"' in page
    assert f'href="{reverse("messaging:attachment", args=[attachment.pk])}"' in page

    response = judge_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG buyer evidence"
    # The dispute's change page shows the same files.
    change = judge_client.get(reverse("admin:orders_dispute_change", args=[disputed.dispute.pk])).content.decode()
    assert "brief-screenshot.png" in change and "sketches.pdf" in change


def test_the_staff_download_refuses_other_orders_and_non_staff(client, judge_client, disputed, gig):
    file_id = disputed.files.get(name="brief-screenshot.png").pk
    other = flow.paid(gig, UserFactory())
    assert judge_client.get(reverse("admin:orders_order_file", args=[other.pk, file_id])).status_code == 404
    client.logout()
    client.force_login(disputed.buyer)
    assert client.get(reverse("admin:orders_order_file", args=[disputed.pk, file_id])).status_code == 302


def test_the_fee_rate_is_a_percent_in_the_order_and_dispute_lists(client, disputed):
    Order.objects.filter(pk=disputed.pk).update(fee_rate=Decimal("0.0750000000"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with translation.override("ru"):
        orders = client.get(reverse("admin:orders_order_changelist")).content.decode()
        disputes = client.get(reverse("admin:orders_dispute_changelist")).content.decode()
        change = client.get(reverse("admin:orders_order_change", args=[disputed.pk])).content.decode()
    for page in (orders, disputes, change):
        assert "7,5\u00a0%" in page
        assert "0,0750000000" not in page and "0.0750000000" not in page
    with translation.override("en"):
        english = client.get(reverse("admin:orders_order_changelist")).content.decode()
    assert "7.5%" in english
