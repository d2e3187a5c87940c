"""Placing and paying an order: what the two POSTs cost, and that the cheaper path still does
everything the order needs (the fee rate from the pair's turnover, the thread, the events)."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from moneyed import Money

from escrow.models import Journal
from escrow.selectors import escrow_balance, wallet_balances
from messaging import services as messaging_services
from messaging.models import Conversation, Message, Participant
from orders import services
from orders.events import order_event_dispatch
from orders.models import Order, OrderEvent
from tests.factories import GigFactory, SellerFactory
from tests.orders import flow
from tests.orders.conftest import top_up

S = Order.Status

# Statements per POST inside the test's transaction (each service's atomic block is a
# savepoint here, a BEGIN/COMMIT in production), the session and the user included.
# Before the placement path was trimmed: checkout 15, pay 38.
# The first request of a person in two minutes also writes when they were last seen (accounts.presence).
CHECKOUT_QUERIES = 11  # session, user, gig, packages, questions, turnover, order, event (+ savepoint pair), seen
PAY_QUERIES = 22  # session, user, seen, order lock, escrow account, locks, key, journal, transfer, balances,
# order, event, the seller's notification, and the new thread: savepoint, lookup, conversation, line,
# participants, last line


def _checkout(client, gig, **data):
    return client.post(reverse("orders:checkout", args=[gig.pk]), {"package": 1, "quantity": 1, **data})


def test_checkout_post_reads_the_gig_once_and_the_turnover_from_one_row(
    client, gig, buyer, django_assert_max_num_queries
):
    client.force_login(buyer)
    with django_assert_max_num_queries(CHECKOUT_QUERIES) as captured:
        response = _checkout(client, gig)
    order = Order.objects.get()
    assert response["Location"] == reverse("orders:pay", args=[order.pk])
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "gigs_gig"' in statement for statement in sql) == 1
    assert not any("escrow_transfer" in statement for statement in sql)  # no aggregate over the ledger
    assert not any("gigs_gigextra" in statement for statement in sql)  # no extras chosen: none read
    assert order.fee_rate == Decimal("0.2") and order.total == Money(1000, "RUB")
    assert [q["text"] for q in order.questions] == ["Company name?", "Style?"]


def test_checkout_with_extras_reads_them_once(client, gig, buyer, django_assert_max_num_queries):
    client.force_login(buyer)
    extra = gig.extras.get()
    with django_assert_max_num_queries(CHECKOUT_QUERIES + 1):
        _checkout(client, gig, extras=[extra.pk], quantity=2)
    order = Order.objects.get()
    assert order.total == Money(3000, "RUB") and order.extras == [{"title": "Express", "price": "500.00", "days": 1}]
    assert order.delivery_days == 6  # (3 + 1) and half of that again for the second unit


def test_checkout_refuses_an_extra_the_gig_does_not_offer(client, gig, buyer):
    client.force_login(buyer)
    response = _checkout(client, gig, extras=[999_999])
    assert response.status_code == 200 and not Order.objects.exists()
    assert "extras" in response.context["form"].errors


def test_checkout_of_a_paused_gig_is_a_404(client, gig, buyer):
    client.force_login(buyer)
    gig.status = gig.Status.PAUSED
    gig.save(update_fields=["status"])
    assert _checkout(client, gig).status_code == 404
    assert not Order.objects.exists()


def test_the_next_order_of_the_pair_gets_the_tier_of_their_turnover_at_the_same_cost(
    client, buyer, django_assert_max_num_queries
):
    big = GigFactory(seller=SellerFactory(), packages=[(30000, 3, 1)])
    flow.completed(big, buyer)  # 30 000 settled: the first tier is used up
    client.force_login(buyer)
    with django_assert_max_num_queries(CHECKOUT_QUERIES):
        _checkout(client, big)
    assert Order.objects.latest("id").fee_rate == Decimal("0.12")


def test_pay_post_holds_the_money_and_opens_the_thread_in_few_statements(
    client, gig, buyer, django_assert_max_num_queries
):
    order = flow.placed(gig, buyer)
    top_up(buyer, 1500)
    client.force_login(buyer)
    with django_assert_max_num_queries(PAY_QUERIES):
        response = client.post(reverse("orders:pay", args=[order.pk]))
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    order.refresh_from_db()
    assert order.status == S.AWAITING_REQUIREMENTS and order.paid_at is not None
    assert escrow_balance(order_id=order.pk) == Money(1000, "RUB")
    assert wallet_balances(user=buyer).available == Money(500, "RUB")
    thread = Conversation.objects.get(order=order)
    line = thread.messages.get()
    assert line.system_kind == "paid" and line.order_event.kind == OrderEvent.Kind.PAID
    assert thread.last_message == line and thread.last_message_at == line.created_at
    parts = {p.user_id: p for p in Participant.objects.filter(conversation=thread)}
    assert {(p.user_id, p.partner_id) for p in parts.values()} == {(buyer.pk, gig.seller_id), (gig.seller_id, buyer.pk)}
    assert all(p.last_message_at == line.created_at and p.email_due_at is None for p in parts.values())


def test_a_checkout_and_a_payment_from_the_pages_cost_what_the_budget_says(
    client, gig, buyer, django_assert_max_num_queries
):
    gig.questions.all().delete()  # nothing to ask: the order starts at once, as in the benchmark
    top_up(buyer, 5000)
    client.force_login(buyer)
    with django_assert_max_num_queries(CHECKOUT_QUERIES + PAY_QUERIES):
        pay_url = _checkout(client, gig)["Location"]
        response = client.post(pay_url)
    order = Order.objects.get()
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    assert order.status == S.IN_PROGRESS and order.deadline_at == order.started_at + timedelta(days=3)


def test_placing_publishes_nothing_and_paying_publishes_one_notification(
    client, gig, buyer, django_capture_on_commit_callbacks
):
    top_up(buyer, 1000)
    client.force_login(buyer)
    with django_capture_on_commit_callbacks() as placed:
        _checkout(client, gig)
    placed_event = OrderEvent.objects.get(kind=OrderEvent.Kind.PLACED)
    # Nobody is told about an unpaid order: it is born notified, and the sweep skips it.
    assert placed == [] and placed_event.notified_at is not None
    order = Order.objects.get()
    with django_capture_on_commit_callbacks() as paid:
        client.post(reverse("orders:pay", args=[order.pk]))
    assert len(paid) == 1
    assert OrderEvent.objects.get(kind=OrderEvent.Kind.PAID).notified_at is None  # the task or the sweep sends it


def test_only_the_buyer_can_pay_and_a_paid_order_is_not_paid_twice(client, gig, buyer):
    order = flow.placed(gig, buyer)
    top_up(buyer, 5000)
    client.force_login(gig.seller)
    assert client.post(reverse("orders:pay", args=[order.pk])).status_code == 404
    assert client.post(reverse("orders:pay", args=[order.pk + 1000])).status_code == 404
    client.force_login(buyer)
    client.post(reverse("orders:pay", args=[order.pk]))
    again = client.post(reverse("orders:pay", args=[order.pk]))
    assert again["Location"] == reverse("orders:detail", args=[order.pk])
    assert Journal.objects.filter(kind=Journal.Kind.HOLD, order_id=order.pk).count() == 1
    assert wallet_balances(user=buyer).available == Money(4000, "RUB")


def test_a_milestone_paid_too_early_is_refused_on_the_page(client, buyer):
    seller = SellerFactory()
    first = services.order_place_custom(
        buyer=buyer, seller=seller, title="Site", description="A site", price=Money(60000, "RUB"), delivery_days=10,
        revisions=1, source="offer",
        milestones=[services.MilestoneData("Design", Money(30000, "RUB"), 5),
                    services.MilestoneData("Code", Money(30000, "RUB"), 5)],
    )  # fmt: skip
    second = Order.objects.get(parent=first)
    top_up(buyer, 60000)
    client.force_login(buyer)
    response = client.post(reverse("orders:pay", args=[second.pk]), follow=True)
    assert "is funded after milestone 1" in response.content.decode()
    assert Order.objects.get(pk=second.pk).status == S.PENDING_PAYMENT


def test_a_thread_opened_before_payment_gets_the_payment_line(client, gig, buyer):
    order = flow.placed(gig, buyer)
    question = messaging_services.message_send(sender=buyer, body="Can you start today?", order_id=order.pk)
    top_up(buyer, 1000)
    client.force_login(buyer)
    client.post(reverse("orders:pay", args=[order.pk]))
    thread = Conversation.objects.get(order=order)
    assert list(thread.messages.values_list("system_kind", flat=True)) == ["", "paid"]
    assert thread.messages.get(system_kind="paid").pk > question.pk
    thread.refresh_from_db()
    assert thread.last_message.system_kind == "paid"


def test_the_thread_line_is_written_once_even_if_the_listener_runs_again(gig, buyer):
    order = flow.paid(gig, buyer)
    event = order.events.get(kind=OrderEvent.Kind.PAID)
    assert messaging_services.order_thread_post_event(order=order, event=event) is None
    assert Message.objects.filter(order_event=event).count() == 1


def test_an_event_the_thread_ignores_costs_no_statement(gig, buyer, django_assert_num_queries):
    order = flow.placed(gig, buyer)
    event = order.events.get(kind=OrderEvent.Kind.PLACED)
    with django_assert_num_queries(0):
        order_event_dispatch(order=order, event=event)
