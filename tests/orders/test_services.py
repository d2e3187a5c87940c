from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone
from moneyed import Money

from escrow.errors import InsufficientFundsError
from escrow.selectors import escrow_balance, wallet_balances
from orders import services
from orders.models import Order, OrderEvent
from orders.services import OrderError
from tests.factories import UserFactory
from tests.orders import flow
from tests.orders.conftest import top_up

S = Order.Status


def rub(x):
    return Money(Decimal(str(x)), "RUB")


def test_place_snapshots_what_the_buyer_saw(gig, buyer):
    extra = gig.extras.get()
    order = flow.placed(gig, buyer, tier=2, extras=[extra.pk], quantity=2)
    assert order.status == S.PENDING_PAYMENT
    assert order.total == rub(6000)  # (2500 + 500) x 2
    assert order.delivery_days == 9 and order.revisions_included == 2  # (5 + 1) + half of it for the 2nd unit
    assert order.fee_rate == Decimal("0.2")
    assert order.extras == [{"title": "Express", "price": "500.00", "days": 1}]
    assert [q["text"] for q in order.questions] == ["Company name?", "Style?"]
    # Later edits of the gig change nothing on the order.
    gig.packages.filter(tier=2).update(price=rub(9999), delivery_days=30)
    gig.title = "Renamed"
    gig.save()
    order.refresh_from_db()
    assert order.total == rub(6000) and order.gig_title != "Renamed" and order.delivery_days == 9


def test_cannot_order_own_gig_or_a_hidden_one(gig):
    with pytest.raises(OrderError, match="own service"):
        flow.placed(gig, gig.seller)
    gig.status = "paused"
    gig.save()
    with pytest.raises(OrderError):
        flow.placed(gig, UserFactory())
    assert not Order.objects.exists()


def test_bad_choices_are_refused(gig, buyer):
    for kwargs in ({"tier": 3}, {"quantity": 0}, {"quantity": 11}, {"extras": [999999]}):
        with pytest.raises(OrderError):
            flow.placed(gig, buyer, **kwargs)
    assert not Order.objects.exists()


def test_pay_holds_the_money_and_asks_for_requirements(gig, buyer):
    order = flow.placed(gig, buyer)
    with pytest.raises(InsufficientFundsError) as short:
        services.order_pay(order_id=order.pk, buyer=buyer)
    assert short.value.shortfall == rub(1000)
    assert Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT
    top_up(buyer, 1500)
    order = services.order_pay(order_id=order.pk, buyer=buyer)
    assert order.status == S.AWAITING_REQUIREMENTS and order.payment_expires_at is None
    assert escrow_balance(order_id=order.pk) == rub(1000)
    assert wallet_balances(user=buyer).available == rub(500)
    assert order.deadline_at is None  # starts with the answers


def test_without_questions_the_deadline_starts_at_payment(gig, buyer):
    gig.questions.all().delete()
    with time_machine.travel("2026-03-01 10:00 +0000", tick=False):
        order = flow.paid(gig, buyer)
    assert order.status == S.IN_PROGRESS
    assert order.deadline_at.isoformat().startswith("2026-03-04T10:00")


def test_requirements_start_the_deadline(gig, buyer):
    order = flow.paid(gig, buyer)
    q1, q2 = order.questions
    with pytest.raises(OrderError, match="Company name"):
        services.order_submit_requirements(order_id=order.pk, buyer=buyer, answers=[])
    with pytest.raises(OrderError, match="offered options"):
        services.order_submit_requirements(
            order_id=order.pk, buyer=buyer,
            answers=[services.AnswerData(q1["id"], "Acme"), services.AnswerData(q2["id"], "Gothic")],
        )  # fmt: skip
    with time_machine.travel("2026-03-01 10:00 +0000", tick=False):
        order = services.order_submit_requirements(
            order_id=order.pk, buyer=buyer,
            answers=[services.AnswerData(q1["id"], "Acme"), services.AnswerData(q2["id"], "Flat")],
        )  # fmt: skip
    assert order.status == S.IN_PROGRESS
    assert order.deadline_at.isoformat().startswith("2026-03-04T10:00")
    assert list(order.answers.values_list("answer", flat=True)) == ["Acme", "Flat"]


def test_accept_settles_total_minus_fee(gig, buyer):
    order = flow.delivered(gig, buyer)
    assert order.auto_complete_at is not None
    order = services.order_accept(order_id=order.pk, buyer=buyer)
    assert order.status == S.COMPLETED and order.fee == rub(200)
    assert wallet_balances(user=order.seller).available == rub(800)
    assert escrow_balance(order_id=order.pk) == rub(0)
    gig.refresh_from_db()
    assert gig.orders_count == 1


def test_revisions_are_limited_and_move_the_deadline(gig, buyer):
    order = flow.delivered(gig, buyer)  # package 1: one revision
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        order = services.order_request_revision(order_id=order.pk, buyer=buyer, reason="Bigger letters")
        assert order.status == S.IN_PROGRESS and order.revisions_used == 1
        assert order.deadline_at == timezone.now() + timedelta(days=3)
        assert order.auto_complete_at is None
    order = services.order_deliver(order_id=order.pk, seller=order.seller, message="v2", files=[])
    with pytest.raises(OrderError, match="revisions"):
        services.order_request_revision(order_id=order.pk, buyer=buyer, reason="Again")
    assert Order.objects.get(pk=order.pk).status == S.DELIVERED


def test_auto_complete_after_the_set_days(gig, buyer, settings):
    order = flow.delivered(gig, buyer)
    assert services.orders_sweep()["auto_completed"] == 0
    later = timezone.now() + timedelta(days=settings.ORDER_AUTOCOMPLETE_DAYS, minutes=1)
    counts = services.orders_sweep(now=later)
    assert counts["auto_completed"] == 1
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert order.events.filter(kind=OrderEvent.Kind.AUTO_COMPLETED, actor__isnull=True).exists()
    assert services.orders_sweep(now=later)["auto_completed"] == 0  # a second run changes nothing


def test_unpaid_order_expires(gig, buyer, settings):
    order = flow.placed(gig, buyer)
    later = timezone.now() + timedelta(hours=settings.ORDER_PAYMENT_EXPIRY_HOURS, minutes=1)
    assert services.orders_sweep(now=later)["expired"] == 1
    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.cancel_kind == "unpaid"


def test_free_cancel_within_twenty_minutes_then_not(gig, buyer):
    order = flow.paid(gig, buyer)
    assert services.buyer_cancel_kind(order) == "buyer_free"
    with time_machine.travel(timezone.now() + timedelta(minutes=21)), pytest.raises(OrderError, match="20 minutes"):
        services.order_cancel(order_id=order.pk, actor=buyer)
    order = services.order_cancel(order_id=order.pk, actor=buyer)
    assert order.status == S.CANCELLED and order.cancel_kind == "buyer_free"
    assert wallet_balances(user=buyer).available == rub(1000)


def test_buyer_cancels_at_once_when_the_seller_is_late(gig, buyer):
    order = flow.in_progress(gig, buyer)
    with time_machine.travel(order.deadline_at + timedelta(minutes=1)):
        assert services.buyer_cancel_kind(Order.objects.get(pk=order.pk)) == "buyer_late"
        order = services.order_cancel(order_id=order.pk, actor=buyer)
    assert order.cancel_kind == "buyer_late"
    assert wallet_balances(user=buyer).available == rub(1000)


def test_seller_cancel_needs_a_reason_and_refunds(gig, buyer):
    order = flow.in_progress(gig, buyer)
    with pytest.raises(OrderError, match="why"):
        services.order_cancel(order_id=order.pk, actor=order.seller)
    order = services.order_cancel(order_id=order.pk, actor=order.seller, reason="I fell ill")
    assert order.cancel_kind == "seller" and wallet_balances(user=buyer).available == rub(1000)


def test_mutual_cancellation_accept_decline_and_silence(gig, buyer, settings):
    order = flow.delivered(gig, buyer)
    order = services.order_cancel_request(order_id=order.pk, actor=buyer, reason="Not needed any more")
    assert order.auto_complete_at is None  # the delivered work waits for the answer
    with pytest.raises(OrderError):
        services.order_cancel_respond(order_id=order.pk, actor=buyer, accept=True)  # not your own request
    order = services.order_cancel_respond(order_id=order.pk, actor=order.seller, accept=False)
    assert order.status == S.DELIVERED and order.auto_complete_at is not None and order.cancel_requested_by is None

    order = services.order_cancel_request(order_id=order.pk, actor=order.seller, reason="Let us stop here")
    silence = timezone.now() + timedelta(hours=settings.ORDER_MUTUAL_CANCEL_HOURS, minutes=1)
    assert services.orders_sweep(now=silence)["cancel_accepted"] == 1
    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.cancel_kind == "mutual"
    assert wallet_balances(user=buyer).available == rub(1000)


def test_dispute_stops_timers_and_staff_split(gig, buyer):
    order = flow.disputed(gig, buyer)
    assert order.status == S.DISPUTED and order.auto_complete_at is None
    far = timezone.now() + timedelta(days=30)
    assert services.orders_sweep(now=far)["auto_completed"] == 0
    assert escrow_balance(order_id=order.pk) == rub(1000)

    outsider = UserFactory(is_staff=True)
    with pytest.raises(OrderError, match="permission"):
        services.dispute_resolve(order_id=order.pk, actor=outsider, outcome="split", seller_percent=40, decision="x")
    judge = UserFactory(is_staff=True)
    judge.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))
    judge = type(judge).objects.get(pk=judge.pk)
    with pytest.raises(OrderError, match="decision"):
        services.dispute_resolve(order_id=order.pk, actor=judge, outcome="split", seller_percent=40, decision=" ")
    order = services.dispute_resolve(
        order_id=order.pk, actor=judge, outcome="split", seller_percent=40, decision="Half the work was done."
    )
    assert order.status == S.COMPLETED
    assert wallet_balances(user=buyer).available == rub(600)
    assert wallet_balances(user=order.seller).available == rub(320)  # 400 minus 20% fee
    assert order.fee == rub(80)
    assert order.dispute.decision == "Half the work was done." and order.dispute.seller_percent == 40


@pytest.mark.parametrize(("outcome", "status", "buyer_gets", "seller_gets"),
                         [("release", S.COMPLETED, 0, 800), ("refund", S.CANCELLED, 1000, 0)])  # fmt: skip
def test_dispute_release_or_refund(gig, buyer, outcome, status, buyer_gets, seller_gets):
    order = flow.disputed(gig, buyer)
    judge = UserFactory(is_staff=True, is_superuser=True)
    order = services.dispute_resolve(order_id=order.pk, actor=judge, outcome=outcome, decision="Decided.")
    assert order.status == status
    assert wallet_balances(user=buyer).available == rub(buyer_gets)
    assert wallet_balances(user=order.seller).available == rub(seller_gets)


# --- every state x every action: only the allowed ones succeed ------------------------------

ACTIONS = {
    "pay": lambda o: services.order_pay(order_id=o.pk, buyer=o.buyer),
    "requirements": lambda o: services.order_submit_requirements(
        order_id=o.pk, buyer=o.buyer, answers=[services.AnswerData(q["id"], "Acme") for q in o.questions][:1]
    ),
    "deliver": lambda o: services.order_deliver(order_id=o.pk, seller=o.seller, message="done", files=[]),
    "accept": lambda o: services.order_accept(order_id=o.pk, buyer=o.buyer),
    "revision": lambda o: services.order_request_revision(order_id=o.pk, buyer=o.buyer, reason="more"),
    "buyer_cancel": lambda o: services.order_cancel(order_id=o.pk, actor=o.buyer),
    "seller_cancel": lambda o: services.order_cancel(order_id=o.pk, actor=o.seller, reason="busy"),
    "cancel_request": lambda o: services.order_cancel_request(order_id=o.pk, actor=o.buyer, reason="stop"),
    "dispute": lambda o: services.dispute_open(order_id=o.pk, actor=o.seller, reason="The buyer stopped answering me."),
}

ALLOWED = {
    "pending_payment": {"pay", "buyer_cancel"},
    "awaiting_requirements": {"requirements", "buyer_cancel", "seller_cancel", "cancel_request", "dispute"},
    "in_progress": {"deliver", "buyer_cancel", "seller_cancel", "cancel_request", "dispute"},
    "delivered": {"accept", "revision", "cancel_request", "dispute"},
    "completed": set(),
    "cancelled": set(),
    "disputed": set(),
}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_state_action_matrix(gig, buyer, state, action):
    order = flow.STATES[state](gig, buyer)
    if action == "pay":
        top_up(buyer, 1000, key=f"matrix:{order.pk}")
    before = (order.status, escrow_balance(order_id=order.pk), OrderEvent.objects.filter(order=order).count())
    if action in ALLOWED[state]:
        ACTIONS[action](Order.objects.get(pk=order.pk))
        assert Order.objects.get(pk=order.pk).status != state or action == "cancel_request"
    else:
        with pytest.raises(OrderError):
            ACTIONS[action](Order.objects.get(pk=order.pk))
        after = Order.objects.get(pk=order.pk)
        assert (after.status, escrow_balance(order_id=order.pk), after.events.count()) == before


def test_every_state_change_emails_the_other_party_in_their_language(gig, buyer, django_capture_on_commit_callbacks):
    buyer.language = "en"
    buyer.save()
    gig.seller.language = "ru"
    gig.seller.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = flow.delivered(gig, buyer)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert any(f"Order #{order.pk}" in m.subject and m.to == [buyer.email] for m in mail.outbox)
    assert any(f"Заказ №{order.pk}" in m.subject and m.to == [gig.seller.email] for m in mail.outbox), subjects
    assert OrderEvent.objects.filter(order=order, notified_at__isnull=True).count() == 0


def test_custom_order_copies_the_agreed_terms_and_goes_the_usual_way(buyer, seller):
    order = services.order_place_custom(
        buyer=buyer,
        seller=seller,
        title="Landing page for a bakery",
        description="One page, three sections.",
        price=rub("12000.50"),
        delivery_days=5,
        revisions=2,
        source="Offer",
    )
    assert order.status == S.PENDING_PAYMENT and order.total == rub("12000.50") and order.revisions_included == 2
    top_up(buyer, 12000.50)
    order = services.order_pay(order_id=order.pk, buyer=buyer)
    assert order.status == S.IN_PROGRESS and order.deadline_at is not None  # no questions: the clock starts
    with pytest.raises(OrderError):
        services.order_place_custom(
            buyer=buyer,
            seller=seller,
            title="x",
            description="",
            price=rub(100),
            delivery_days=5,
            revisions=0,
            source="Offer",
        )
    with pytest.raises(OrderError):
        services.order_place_custom(
            buyer=seller,
            seller=seller,
            title="x",
            description="",
            price=rub(1000),
            delivery_days=5,
            revisions=0,
            source="Offer",
        )


def test_a_revision_keeps_the_extras_time_and_never_moves_the_deadline_earlier(gig, buyer):
    extra = gig.extras.get()  # +1 day
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        order = flow.in_progress(gig, buyer, extras=[extra.pk])  # package 3 days + 1: due in 4 days
        assert order.delivery_days == 4 and order.revision_days == 4
        order = services.order_deliver(order_id=order.pk, seller=order.seller, message="Early", files=[])
    first_deadline = Order.objects.get(pk=order.pk).deadline_at
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        order = services.order_request_revision(order_id=order.pk, buyer=buyer, reason="Bigger letters")
        assert order.deadline_at == timezone.now() + timedelta(days=4)  # not 3: the extra's day counts
        assert order.deadline_at >= first_deadline
