import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from moneyed import Money

from escrow.selectors import escrow_balance, wallet_balances
from orders.models import Order
from orders.selectors import orders_header_counts
from tests.factories import UserFactory
from tests.orders import flow
from tests.orders.conftest import top_up

S = Order.Status


def test_checkout_page_shows_packages_total_and_questions(client, gig, buyer):
    client.force_login(buyer)
    response = client.get(reverse("orders:checkout", args=[gig.pk]), {"package": 2})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2,500\u00a0₽" in page and "Company name?" in page
    summary = client.get(
        reverse("orders:checkout", args=[gig.pk]),
        {"package": 2, "extras": [gig.extras.get().pk], "quantity": 2},
        HTTP_HX_REQUEST="true",
    )
    assert "6,000\u00a0₽" in summary.content.decode() and "<html" not in summary.content.decode()


def test_checkout_ignores_a_posted_price_fee_or_seller(client, gig, buyer):
    client.force_login(buyer)
    other = UserFactory()
    response = client.post(
        reverse("orders:checkout", args=[gig.pk]),
        {"package": 1, "quantity": 1, "price": "1", "total": "1", "fee_rate": "0", "seller": other.pk,
         "unit_price": "1"},
    )  # fmt: skip
    order = Order.objects.get()
    assert response["Location"] == reverse("orders:pay", args=[order.pk])
    assert order.total == Money(Decimal("1000"), "RUB") and order.fee_rate == Decimal("0.2")
    assert order.seller == gig.seller


def test_pay_from_balance_or_top_up_the_difference(client, gig, buyer):
    client.force_login(buyer)
    order = flow.placed(gig, buyer)
    top_up(buyer, 400)
    page = client.get(reverse("orders:pay", args=[order.pk])).content.decode()
    assert "600" in page  # what is missing
    response = client.post(reverse("orders:pay", args=[order.pk]))
    assert response.status_code == 302 and "/payments/sandbox/" in response["Location"]
    assert Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT
    top_up(buyer, 600)
    response = client.post(reverse("orders:pay", args=[order.pk]))
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    assert escrow_balance(order_id=order.pk) == Money(1000, "RUB")


def test_full_journey_through_the_pages(client, gig, buyer, django_capture_on_commit_callbacks):
    client.force_login(buyer)
    order = flow.paid(gig, buyer)
    q1, q2 = order.questions
    response = client.post(reverse("orders:action", args=[order.pk, "requirements"]),
                           {f"q{q1['id']}": "Acme", f"q{q2['id']}": "Retro"})  # fmt: skip
    assert response.status_code == 302
    client.force_login(gig.seller)
    upload = SimpleUploadedFile("logo.png", b"\x89PNG fake but fine as a file", "image/png")
    client.post(reverse("orders:action", args=[order.pk, "deliver"]), {"message": "Here you go", "files": [upload]})
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    item = order.files.get()
    download = client.get(reverse("orders:file", args=[order.pk, item.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    client.force_login(buyer)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Here you go" in page and "logo.png" in page and "Acme" in page
    client.post(reverse("orders:action", args=[order.pk, "accept"]))
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert wallet_balances(user=gig.seller).available == Money(800, "RUB")


def test_invalid_form_keeps_what_was_typed(client, gig, buyer):
    order = flow.in_progress(gig, buyer)
    client.force_login(gig.seller)
    exe = SimpleUploadedFile("setup.exe", b"MZ" + b"\0" * 100, "application/octet-stream")
    response = client.post(reverse("orders:action", args=[order.pk, "deliver"]), {"message": "", "files": [exe]})
    assert response.status_code == 400
    exe.seek(0)
    response = client.post(
        reverse("orders:action", args=[order.pk, "deliver"]), {"message": "My long message", "files": [exe]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "programs and scripts" in page and "My long message" in page
    assert Order.objects.get(pk=order.pk).status == S.IN_PROGRESS


ORDER_URLS = [
    ("orders:detail", {}),
    ("orders:pay", {}),
    ("orders:action", {"action": "deliver"}),
    ("orders:action", {"action": "accept"}),
    ("orders:action", {"action": "revision"}),
    ("orders:action", {"action": "cancel"}),
    ("orders:action", {"action": "dispute"}),
    ("orders:action", {"action": "requirements"}),
]


@pytest.mark.parametrize(("name", "kwargs"), ORDER_URLS)
def test_another_user_gets_404_on_every_order_url(client, gig, buyer, name, kwargs):
    order = flow.delivered(gig, buyer)
    client.force_login(UserFactory())
    url = reverse(name, kwargs={"order_id": order.pk, **kwargs})
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {"reason": "x" * 30, "message": "x"}).status_code == 404
    assert Order.objects.get(pk=order.pk).status == S.DELIVERED


def test_another_user_gets_404_on_files(client, gig, buyer):
    order = flow.in_progress(gig, buyer)
    client.force_login(gig.seller)
    client.post(reverse("orders:action", args=[order.pk, "deliver"]),
                {"message": "x", "files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf")]})  # fmt: skip
    item = Order.objects.get(pk=order.pk).files.get()
    client.force_login(UserFactory())
    assert client.get(reverse("orders:file", args=[order.pk, item.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("orders:file", args=[order.pk, item.pk])).status_code == 302
    # Kept outside MEDIA_ROOT, with no public address at all.
    assert not Path(item.file.path).is_relative_to(settings.MEDIA_ROOT)
    assert Path(item.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(ValueError):
        item.file.url  # noqa: B018


def test_order_lists_with_tabs_and_counts(client, gig, buyer):
    active = flow.in_progress(gig, buyer)
    done = flow.completed(gig, buyer)
    client.force_login(buyer)
    page = client.get(reverse("orders:purchases")).content.decode()
    assert f"#{active.pk}" in page and f"#{done.pk}" not in page
    page = client.get(reverse("orders:purchases"), {"tab": "completed"}).content.decode()
    assert f"#{done.pk}" in page
    client.force_login(gig.seller)
    page = client.get(reverse("orders:sales")).content.decode()
    assert f"#{active.pk}" in page
    assert client.get(reverse("orders:purchases"), {"tab": "bogus"}).status_code == 200


def test_header_counts(client, gig, buyer):
    flow.delivered(gig, buyer)
    flow.in_progress(gig, buyer)  # the seller's
    flow.completed(gig, buyer)  # neither's
    assert orders_header_counts(user=buyer) == {"buying": 1, "selling": 0}
    assert orders_header_counts(user=gig.seller) == {"buying": 0, "selling": 1}
    assert orders_header_counts(user=UserFactory()) == {"buying": 0, "selling": 0}
    client.force_login(buyer)
    assert 'text-bg-danger" title' in client.get("/").content.decode()


def test_broker_down_accept_still_completes_and_the_sweep_sends_the_email(
    gig, buyer, client, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from marketplace.celery import app
    from orders.services import orders_sweep
    from tests.marketplace.test_jobs import _closed_port, _drop_connection_pools

    order = flow.delivered(gig, buyer)
    old = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=f"redis://127.0.0.1:{_closed_port()}/0", task_always_eager=False)
    _drop_connection_pools()
    try:
        client.force_login(buyer)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("orders:action", args=[order.pk, "accept"]))
        assert response.status_code == 302
        assert Order.objects.get(pk=order.pk).status == S.COMPLETED
        assert mail.outbox == []
    finally:
        app.conf.update(old)
        _drop_connection_pools()
    counts = orders_sweep(now=timezone.now() + timedelta(minutes=2))
    assert counts["notified"] >= 1
    assert any(m.to == [gig.seller.email] for m in mail.outbox)


def _ru(name, *args) -> str:
    """The Russian page's address (reverse() inside the tests' English override gives /en/...)."""
    with translation.override("ru"):
        return reverse(name, args=args)


def _deliver_files(client, order, files):
    client.force_login(order.seller)
    response = client.post(_ru("orders:action", order.pk, "deliver"), {"message": "Готово", "files": files})
    assert response.status_code == 302


def test_delivered_images_get_private_thumbnails_for_the_parties_only(
    client, gig, buyer, django_capture_on_commit_callbacks
):
    from tests.images import image_bytes

    order = flow.in_progress(gig, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        _deliver_files(client, order, [
            SimpleUploadedFile("logo.png", image_bytes(size=(1600, 1200)), "image/png"),
            SimpleUploadedFile("brief.pdf", b"%PDF-1.4", "application/pdf"),
            SimpleUploadedFile("fake.png", b"not an image at all", "image/png"),
        ])  # fmt: skip
    files = {f.name: f for f in Order.objects.get(pk=order.pk).files.all()}
    logo = files["logo.png"]
    assert logo.thumbnail and not files["brief.pdf"].thumbnail and not files["fake.png"].thumbnail
    assert Path(logo.thumbnail.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    thumb_url = _ru("orders:file_thumbnail", order.pk, logo.pk)
    for party in (buyer, gig.seller):
        client.force_login(party)
        page = client.get(_ru("orders:detail", order.pk)).content.decode()
        assert f'src="{thumb_url}"' in page
        assert page.count('class="delivery-thumb"') == 1  # the PDF and the fake stay download chips
        response = client.get(thumb_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
        from PIL import Image

        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as preview:
            assert max(preview.size) <= 480
    client.force_login(UserFactory())  # a third person
    assert client.get(thumb_url).status_code == 404
    assert client.get(reverse("orders:file_thumbnail", args=[order.pk, files["brief.pdf"].pk])).status_code == 404
    client.logout()
    assert client.get(thumb_url).status_code == 302
    # The file itself is kept as uploaded (a PNG stays a PNG).
    assert logo.file.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(("n", "spoken"), [(1, "1 заказ"), (2, "2 заказа"), (5, "5 заказов"), (21, "21 заказ")])
def test_order_tabs_are_plural_nouns_with_the_count_read_in_the_right_form(n, spoken):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ru"):
        html = render_to_string("orders/_tab.html", {"key": "completed", "label": "Выполненные", "counts": {
            "completed": n}, "tab": "active"})  # fmt: skip
    assert f'aria-hidden="true">{n}</span>' in html
    assert f'<span class="visually-hidden">, {spoken}</span>' in html


def test_order_tab_labels_name_groups_not_a_status(client, gig, buyer):
    flow.completed(gig, buyer)
    client.force_login(buyer)
    tabs = client.get(_ru("orders:purchases")).content.decode().split('class="nav nav-tabs', 1)[1]
    tabs = tabs.split("</ul>", 1)[0]
    for label in ("Активные", "На проверке", "Выполненные", "Отменённые", "В споре", "Неоплаченные"):
        assert label in tabs
    assert ">Выполнен <" not in tabs and "Не оплачен " not in tabs
    assert "1 заказ</span>" in tabs


def test_accept_button_is_an_infinitive(client, gig, buyer):
    order = flow.delivered(gig, buyer)
    client.force_login(buyer)
    assert "Принять работу" in client.get(_ru("orders:detail", order.pk)).content.decode()
