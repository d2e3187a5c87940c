"""Money in through YooKassa, against the local fake that speaks its API (tests/fakes/yookassa.py):
the payment with its receipt, the redirect, the capture, and notifications that come twice,
late, out of order, forged or while the API is failing. Every scenario ends with the
reconciliation finding nothing (`books_balance`)."""

import threading

import pytest
from django.db import connection

from escrow.errors import PaymentError
from escrow.models import Journal, Payment, WebhookEvent
from escrow.services import payment_start, webhook_receive
from escrow.services.payments import payments_sync
from tests.factories import SellerFactory

from .factories import balance, rub
from .yookassa_kit import WEBHOOK, YOOKASSA_ADDRESS, deliver, events_of, post_notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("books_balance")]


def _top_ups(user) -> int:
    return Journal.objects.filter(kind=Journal.Kind.TOP_UP, transfers__credit__user=user).count()


def test_a_payment_is_created_with_a_receipt_and_sends_the_buyer_to_yookassa(fake, user, settings):
    settings.YOOKASSA_RECEIPT_VAT_CODE = 4
    settings.YOOKASSA_RECEIPT_ITEM = "Пополнение баланса"
    started = payment_start(user=user, amount=rub("1500.50"), next_url="/orders/7/")
    payment = started.payment
    remote = fake.payments[payment.provider_payment_id]
    assert started.redirect_url == remote["confirmation"]["confirmation_url"]
    assert remote["amount"] == {"value": "1500.50", "currency": "RUB"}
    assert remote["metadata"] == {"payment_id": str(payment.pk)}
    assert remote["confirmation"]["return_url"] == f"{settings.SITE_URL}/en/payments/{payment.pk}/return/"
    ((payment_id, receipt),) = fake.receipts
    assert payment_id == payment.provider_payment_id
    assert receipt["customer"] == {"email": user.email}
    (item,) = receipt["items"]
    assert item["description"] == "Пополнение баланса" and item["vat_code"] == 4
    assert (item["payment_subject"], item["payment_mode"]) == ("service", "full_prepayment")
    assert item["amount"] == {"value": "1500.50", "currency": "RUB"}
    (post,) = [r for r in fake.requests_log if r["method"] == "POST"]
    assert post["idempotence_key"] == f"payment-{payment.pk}"
    assert payment.status == Payment.Status.PENDING and balance(user) == rub(0)


def test_paid_on_yookassa_the_notification_is_read_back_captured_and_tops_up_once(fake, user, client):
    payment = payment_start(user=user, amount=rub(2000)).payment
    fake.pay(payment.provider_payment_id)
    assert events_of(fake) == ["payment.waiting_for_capture"]
    assert deliver(client, fake) == [200]
    remote = fake.payments[payment.provider_payment_id]
    assert remote["status"] == "succeeded"  # we captured it
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and balance(user) == rub(2000)
    # YooKassa then reports the capture, twice: nothing more moves.
    assert events_of(fake) == ["payment.succeeded"]
    assert deliver(client, fake, twice=True) == [200, 200]
    assert balance(user) == rub(2000) and _top_ups(user) == 1
    assert WebhookEvent.objects.filter(provider="yookassa", outcome=WebhookEvent.Outcome.TOPPED_UP).count() == 1


def test_notifications_out_of_order_and_twice(fake, user, client):
    payment = payment_start(user=user, amount=rub(1000)).payment
    fake.pay(payment.provider_payment_id)
    # Our capture happens through the sweep this time; its succeeded notification and the
    # earlier waiting_for_capture one then arrive reversed, each twice.
    payments_sync(older_than_seconds=0)
    assert events_of(fake) == ["payment.waiting_for_capture", "payment.succeeded"]
    assert deliver(client, fake, order="reversed", twice=True) == [200] * 4
    assert balance(user) == rub(1000) and _top_ups(user) == 1


def test_a_lost_notification_is_made_good_by_the_sweep(fake, user, client):
    payment = payment_start(user=user, amount=rub(1200)).payment
    fake.pay(payment.provider_payment_id)
    with fake._lock:
        fake.pending_notifications.clear()  # never delivered
    assert payments_sync(older_than_seconds=3600) == 0  # too young to ask about
    assert payments_sync(older_than_seconds=0) == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and balance(user) == rub(1200)
    # Late after all: the notifications arrive a day later; nothing more happens.
    assert deliver(client, fake) == [200]
    assert payments_sync(older_than_seconds=0) == 0
    assert _top_ups(user) == 1


def test_a_declined_or_expired_payment_fails_and_moves_nothing(fake, user, client):
    declined = payment_start(user=user, amount=rub(500)).payment
    expired = payment_start(user=user, amount=rub(700)).payment
    fake.pay(declined.provider_payment_id, outcome="decline")
    fake.expire(expired.provider_payment_id)
    assert deliver(client, fake) == [200, 200]
    declined.refresh_from_db()
    expired.refresh_from_db()
    assert (declined.status, declined.failure_reason) == (Payment.Status.FAILED, "insufficient_funds")
    assert (expired.status, expired.failure_reason) == (Payment.Status.FAILED, "expired_on_confirmation")
    assert balance(user) == rub(0)


def test_a_notification_from_another_address_is_refused(fake, user, client, settings):
    payment = payment_start(user=user, amount=rub(900)).payment
    fake.pay(payment.provider_payment_id)
    with fake._lock:
        (notification,) = fake.pending_notifications
    response = post_notification(client, notification, address="203.0.113.9")
    assert response.status_code == 400
    assert fake.payments[payment.provider_payment_id]["status"] == "waiting_for_capture"  # not even read
    # The published ranges are configurable (a proxy in front, a new range).
    settings.YOOKASSA_NOTIFICATION_IPS = ["203.0.113.0/24"]
    assert post_notification(client, notification, address="203.0.113.9").status_code == 200
    assert post_notification(client, notification, address=YOOKASSA_ADDRESS).status_code == 400
    assert balance(user) == rub(900)


def test_behind_nginx_the_address_is_the_one_it_forwards(fake, user, client):
    payment = payment_start(user=user, amount=rub(900)).payment
    fake.pay(payment.provider_payment_id)
    with fake._lock:
        (notification,) = fake.pending_notifications
    import json

    body = json.dumps(notification)
    # From the proxy (127.0.0.1, trusted) the forwarded address counts...
    ok = client.post(
        "/webhooks/yookassa/", body, content_type="application/json",
        REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=YOOKASSA_ADDRESS,
    )  # fmt: skip
    assert ok.status_code == 200
    # ...from anyone else a written X-Real-IP is not believed.
    forged = client.post(
        "/webhooks/yookassa/", body, content_type="application/json",
        REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP=YOOKASSA_ADDRESS,
    )  # fmt: skip
    assert forged.status_code == 400


def test_forged_notifications_change_nothing(fake, user, client):
    payment = payment_start(user=user, amount=rub(800)).payment
    remote = dict(fake.payments[payment.provider_payment_id])
    # "Succeeded", for more money, from an allowed address: we read it back and it is pending.
    forged = {**remote, "status": "succeeded", "paid": True, "amount": {"value": "80000.00", "currency": "RUB"}}
    response = post_notification(client, {"type": "notification", "event": "payment.succeeded", "object": forged})
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and balance(user) == rub(0)
    # A payment YooKassa does not know, and bodies that are not notifications.
    unknown = {**remote, "id": "2d2b4f1a-000f-5000-9000-1f2e3d4c5b6a"}
    notification = {"type": "notification", "event": "payment.succeeded", "object": unknown}
    assert post_notification(client, notification).status_code == 400
    empty = {"type": "notification", "event": "payment.succeeded", "object": {}}
    for body in ({"event": "payment.succeeded"}, empty, []):
        assert post_notification(client, body).status_code == 400
    garbage = client.post(WEBHOOK, b"\xff", content_type="application/json", REMOTE_ADDR=YOOKASSA_ADDRESS)
    assert garbage.status_code == 400
    assert balance(user) == rub(0)


def test_a_payment_waiting_for_capture_that_is_not_ours_is_cancelled(fake, user, client):
    payment = payment_start(user=user, amount=rub(600)).payment
    Payment.objects.filter(pk=payment.pk).update(amount=rub(60))  # our row says another amount
    fake.pay(payment.provider_payment_id)
    assert deliver(client, fake) == [400]  # the amounts differ: refused, and...
    assert fake.payments[payment.provider_payment_id]["status"] == "canceled"  # ...the hold let go
    assert balance(user) == rub(0)
    payment.refresh_from_db()
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.FAILED)


def test_a_wrong_key_is_a_clear_message_and_no_money(fake, user, settings):
    settings.YOOKASSA_SECRET_KEY = "wrong"
    with pytest.raises(PaymentError, match="not available"):
        payment_start(user=user, amount=rub(1000))
    payment = Payment.objects.get(user=user)
    assert payment.status == Payment.Status.FAILED
    assert [r["status"] for r in fake.requests_log] == [401]  # not retried
    assert fake.created_count("payment") == 0


def test_429_and_5xx_are_retried_with_the_same_key(fake, user):
    fake.fail_next("POST", "/v3/payments", 429, times=1, retry_after=0)
    fake.fail_next("POST", "/v3/payments", 500, times=1, after_processing=True)
    payment = payment_start(user=user, amount=rub(1000)).payment
    statuses = [r["status"] for r in fake.requests_log]
    assert statuses == [429, 500, 200]
    assert len({r["idempotence_key"] for r in fake.requests_log}) == 1
    # The 500 had created it: the retry with the same key got that payment, not a second one.
    assert fake.created_count("payment") == 1 and payment.provider_payment_id in fake.payments


def test_a_provider_that_keeps_failing_leaves_a_failed_payment(fake, user):
    fake.fail_next("POST", "/v3/payments", 503, times=10)
    with pytest.raises(PaymentError):
        payment_start(user=user, amount=rub(1000))
    assert Payment.objects.get(user=user).status == Payment.Status.FAILED
    assert fake.created_count("payment") == 0


def test_a_notification_that_cannot_be_read_back_is_asked_again(fake, user, client):
    payment = payment_start(user=user, amount=rub(1000)).payment
    fake.pay(payment.provider_payment_id)
    with fake._lock:
        (notification,) = fake.pending_notifications
    fake.fail_next("GET", "/v3/payments/", 503, times=10)
    response = post_notification(client, notification)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert balance(user) == rub(0)
    with fake._lock:
        fake._faults.clear()
    assert post_notification(client, notification).status_code == 200  # YooKassa's resend
    assert balance(user) == rub(1000)


def test_the_payment_page_polls_until_the_notification_came(fake, user, client):
    client.force_login(user)
    response = client.post("/en/wallet/top-up/", {"amount": "1500"})
    payment = Payment.objects.get(user=user)
    assert response.status_code == 302 and response["Location"].startswith(fake.url + "/checkout/")
    page = client.get(f"/en/payments/{payment.pk}/return/")
    assert page.status_code == 200 and b"processing" in page.content.lower()
    fake.pay(payment.provider_payment_id)
    deliver(client, fake)
    back = client.get(f"/en/payments/{payment.pk}/return/")
    assert back.status_code == 302 and back["Location"] == "/en/wallet/"


def test_the_return_page_asks_yookassa_when_the_notification_is_late(fake, user, client):
    client.force_login(user)
    payment = payment_start(user=user, amount=rub(1500)).payment
    fake.pay(payment.provider_payment_id)  # its notification is held: late
    back = client.get(f"/en/payments/{payment.pk}/return/")
    assert back.status_code == 302 and balance(user) == rub(1500)
    assert fake.payments[payment.provider_payment_id]["status"] == "succeeded"
    assert deliver(client, fake) == [200, 200] and balance(user) == rub(1500)  # then it comes: nothing more
    # Someone else's payment is a 404, and asks nothing.
    other = payment_start(user=user, amount=rub(100)).payment
    client.force_login(SellerFactory())
    asked = len(fake.requests_log)
    assert client.get(f"/en/payments/{other.pk}/return/").status_code == 404
    assert len(fake.requests_log) == asked


def test_the_return_page_still_answers_when_yookassa_does_not(fake, user, client):
    client.force_login(user)
    payment = payment_start(user=user, amount=rub(1500)).payment
    fake.fail_next("GET", "/v3/payments/", 503, times=10)
    asked = len(fake.requests_log)
    page = client.get(f"/en/payments/{payment.pk}/return/")
    assert page.status_code == 200 and b"processing" in page.content.lower()
    assert len(fake.requests_log) == asked + 1  # one try: the person is waiting


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_deliveries_at_once_top_up_once(fake, user):
    payment = payment_start(user=user, amount=rub(3000)).payment
    fake.pay(payment.provider_payment_id)
    with fake._lock:
        (notification,) = fake.pending_notifications
    import json

    body = json.dumps(notification).encode()
    barrier, errors = threading.Barrier(5), []

    def deliver_once():
        try:
            barrier.wait()
            webhook_receive(provider_name="yookassa", body=body, headers={}, remote_addr=YOOKASSA_ADDRESS)
        except Exception as exc:  # collected and asserted
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_once) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert balance(user) == rub(3000) and _top_ups(user) == 1
    assert fake.payments[payment.provider_payment_id]["status"] == "succeeded"


def test_the_site_refuses_to_start_with_a_provider_but_without_its_keys(settings):
    from escrow.checks import provider_settings_check

    settings.PAYMENT_PROVIDER, settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = "yookassa", "1", ""
    settings.PAYOUT_PROVIDER, settings.YOOKASSA_PAYOUT_AGENT_ID = "yookassa", ""
    assert [e.id for e in provider_settings_check(None)] == ["escrow.E003", "escrow.E005"]
    settings.PAYMENT_PROVIDER, settings.PAYOUT_PROVIDER = "stripe", "paypal"
    assert [e.id for e in provider_settings_check(None)] == ["escrow.E002", "escrow.E004"]
    settings.PAYMENT_PROVIDER, settings.PAYOUT_PROVIDER = "sandbox", ""
    assert provider_settings_check(None) == []
