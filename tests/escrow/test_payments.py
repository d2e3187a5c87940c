import json
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.utils import timezone

from escrow.errors import PaymentError, WebhookPayloadError, WebhookSignatureError
from escrow.models import Journal, Payment, SandboxCharge, WebhookEvent
from escrow.providers.sandbox import SIGNATURE_HEADER, event_body, sandbox_card_submit, sandbox_deliver_due, sign
from escrow.services import ledger_reconcile, payment_start, safe_next_url, webhook_receive
from escrow.tasks import sandbox_deliver_due_webhooks, sandbox_deliver_webhook

from .factories import DECLINED_CARD, DELAYED_CARD, VALID_CARD, balance, rub

pytestmark = pytest.mark.django_db


def _deliver(body: bytes, signature: str | None = None):
    headers = {} if signature == "" else {SIGNATURE_HEADER: signature or sign(body)}
    return webhook_receive(provider_name="sandbox", body=body, headers=headers)


def _paid_event(payment: Payment, event_id: str = "evt_test_1", amount: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "type": "payment.succeeded",
            "data": {
                "payment_id": payment.provider_payment_id,
                "amount": amount or str(payment.amount.amount),
                "currency": "RUB",
            },
        }
    ).encode()


@pytest.fixture
def payment(user):
    return payment_start(user=user, amount=rub(1500)).payment


def test_starting_a_payment_sends_the_buyer_to_the_hosted_page(user):
    started = payment_start(user=user, amount=rub("1500.50"), next_url="/orders/42/")
    payment = started.payment
    assert payment.status == Payment.Status.PENDING and payment.provider == "sandbox"
    assert payment.provider_payment_id.startswith("sbx_")
    assert started.redirect_url == f"/en/payments/sandbox/{payment.pk}/"  # in the buyer's language
    assert payment.next_url == "/orders/42/"
    assert balance(user) == rub(0)


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "orders/1"])
def test_next_url_stays_on_our_site(next_url):
    assert safe_next_url(next_url) == ""


def test_top_up_has_a_ceiling(user):
    with pytest.raises(PaymentError):
        payment_start(user=user, amount=rub("1000000.01"))
    assert not Payment.objects.exists()


def test_a_signed_webhook_tops_up_once_however_often_it_arrives(user, payment):
    body = _paid_event(payment)
    first = _deliver(body)
    assert not first.duplicate and first.outcome == WebhookEvent.Outcome.TOPPED_UP
    for _ in range(4):
        assert _deliver(body).duplicate
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.journal.key == "topup:sandbox:evt_test_1"
    assert balance(user) == rub(1500)
    assert WebhookEvent.objects.count() == 1


def test_another_event_for_a_paid_payment_tops_up_nothing(user, payment):
    _deliver(_paid_event(payment, "evt_a"))
    result = _deliver(_paid_event(payment, "evt_b"))
    assert result.outcome == WebhookEvent.Outcome.IGNORED
    assert balance(user) == rub(1500)
    assert Journal.objects.count() == 1


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex", "sha256=abc"])
def test_a_forged_or_missing_signature_moves_nothing(user, payment, signature):
    with pytest.raises(WebhookSignatureError):
        _deliver(_paid_event(payment), signature)
    assert not WebhookEvent.objects.exists()
    assert balance(user) == rub(0)


def test_a_signature_for_another_body_is_refused(user, payment):
    genuine = _paid_event(payment, amount="1.00")
    tampered = _paid_event(payment)
    with pytest.raises(WebhookSignatureError):
        _deliver(tampered, sign(genuine))
    assert balance(user) == rub(0)


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"id": "e", "type": "t", "data": {"payment_id": 1}}'])
def test_a_signed_but_malformed_body_is_refused(body):
    with pytest.raises(WebhookPayloadError):
        _deliver(body)
    assert not WebhookEvent.objects.exists()


def test_an_amount_that_does_not_match_the_payment_is_refused(user, payment):
    with pytest.raises(WebhookPayloadError):
        _deliver(_paid_event(payment, amount="150000.00"))
    assert balance(user) == rub(0)
    assert not WebhookEvent.objects.exists()


def test_an_event_for_an_unknown_payment_is_recorded_and_ignored():
    body = json.dumps(
        {
            "id": "evt_x",
            "type": "payment.succeeded",
            "data": {"payment_id": "sbx_nope", "amount": "1.00", "currency": "RUB"},
        }
    ).encode()
    assert _deliver(body).outcome == WebhookEvent.Outcome.IGNORED
    assert WebhookEvent.objects.get().payment is None
    assert not Journal.objects.exists()


def test_the_success_card_is_paid_before_the_browser_returns_and_delivered_twice(
    user, payment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        charge = sandbox_card_submit(payment=payment, card_number=VALID_CARD)
        payment.refresh_from_db()
        assert payment.status == Payment.Status.SUCCEEDED  # before the duplicate delivery runs
    assert len(callbacks) == 1
    assert charge.status == SandboxCharge.Status.SUCCEEDED and charge.card_last4 == "4242"
    charge.refresh_from_db()
    assert charge.deliveries == 2  # once in process, once more from the task (run eagerly in tests)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert balance(user) == rub(1500)
    assert Journal.objects.count() == 1
    assert ledger_reconcile(notify=False).ok


def test_submitting_the_card_twice_charges_once(user, payment):
    sandbox_card_submit(payment=payment, card_number=VALID_CARD)
    sandbox_card_submit(payment=payment, card_number=VALID_CARD)
    assert balance(user) == rub(1500)


def test_the_declined_card_fails_the_payment(user, payment):
    charge = sandbox_card_submit(payment=payment, card_number=DECLINED_CARD)
    assert charge.status == SandboxCharge.Status.DECLINED
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED and payment.failure_reason == "card_declined"
    assert balance(user) == rub(0)


def test_the_delayed_card_stays_processing_until_the_late_webhook(user, payment):
    charge = sandbox_card_submit(payment=payment, card_number=DELAYED_CARD)
    assert charge.status == SandboxCharge.Status.PROCESSING
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert sandbox_deliver_due_webhooks() == 0  # not due yet

    later = timezone.now() + timedelta(seconds=10)
    assert sandbox_deliver_due(now=later) == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert balance(user) == rub(1500)
    assert sandbox_deliver_due(now=later) == 0


def test_the_sandbox_body_is_stable_and_signed(payment):
    charge = sandbox_card_submit(payment=payment, card_number=VALID_CARD)
    assert event_body(charge) == event_body(SandboxCharge.objects.get(pk=charge.pk))
    assert len(sign(event_body(charge))) == 64


def test_other_cards_are_declined(user, payment):
    assert sandbox_card_submit(payment=payment, card_number="5555 5555 5555 4444").status == "declined"
    assert balance(user) == rub(0)


def test_the_delivery_task_comes_back_when_the_delayed_webhook_is_due(user, payment):
    charge = sandbox_card_submit(payment=payment, card_number=DELAYED_CARD)
    with pytest.raises(Retry):  # a worker would retry it after the remaining seconds
        sandbox_deliver_webhook(charge.pk)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        sandbox_deliver_webhook(charge.pk)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert balance(user) == rub(1500)


def test_sandbox_money_goes_back_to_the_test_card_at_once(user, django_capture_on_commit_callbacks):
    from escrow.models import CardRefund
    from escrow.services.refunds import card_refund_request, card_refundable

    payment = payment_start(user=user, amount=rub(1500)).payment
    sandbox_card_submit(payment=payment, card_number=VALID_CARD)
    assert card_refundable(user=user) == rub(1500)
    with django_capture_on_commit_callbacks(execute=True):
        (refund,) = card_refund_request(user=user, amount=rub(500), key="sandbox-return-1")
    refund.refresh_from_db()
    assert refund.status == CardRefund.Status.SUCCEEDED and refund.provider_refund_id == f"sbr_{refund.pk}"
    assert balance(user) == rub(1000) and card_refundable(user=user) == rub(1000)
    assert ledger_reconcile(notify=False).ok
