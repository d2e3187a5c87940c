"""The chaos tests' hands inside the site: a process with Django set up against the throwaway
servers, answering one JSON line per command on stdin (the test process itself runs on other
settings). It seeds data through the services and factories the other tests use, publishes
the beat's sweeps, and reads back what the invariants need.

    {"op": "delivered_orders", "kw": {"count": 40}}   ->   {"ok": {...}} | {"error": "traceback"}
"""

import json
import os
import sys
import traceback
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from moneyed import Money  # noqa: E402

from escrow.fees import fee_for  # noqa: E402
from escrow.models import Journal, Payment, SandboxCharge, WebhookEvent  # noqa: E402
from escrow.providers.sandbox import SIGNATURE_HEADER, event_body, sign  # noqa: E402
from escrow.selectors import escrow_balance, wallet_balances  # noqa: E402
from escrow.services import ledger_reconcile, payment_start, wallet_top_up  # noqa: E402
from marketplace.celery import app  # noqa: E402
from messaging.models import Participant  # noqa: E402
from orders.models import Order, OrderEvent  # noqa: E402
from tests.factories import PASSWORD, GigFactory, SellerFactory, UserFactory  # noqa: E402
from tests.orders import flow  # noqa: E402

S = Order.Status
K = Journal.Kind
OPS = {}


def op(function):
    OPS[function.__name__] = function
    return function


def _amount(money) -> str:
    return f"{money.amount:.2f}"  # an account never opened reads as Decimal(0)


def _user(user_id):
    from accounts.models import User

    return User.objects.get(pk=user_id)


@op
def ping():
    return "pong"


@op
def world(*, buyers: int = 3, funds: int = 0):
    """A seller with an active gig (1000 RUB, no questions) and `buyers` clients who can sign
    in (verified email), each with `funds` RUB in their wallet."""
    suffix = os.urandom(3).hex()
    seller = SellerFactory(username=f"seller{suffix}")
    gig = GigFactory(seller=seller, title=f"I will draw a flat logo {suffix}", with_image=True)
    people = []
    for number in range(buyers):
        buyer = UserFactory(username=f"buyer{suffix}{number}")
        if funds:
            wallet_top_up(user=buyer, amount=Money(funds, "RUB"), key=f"chaos:funds:{buyer.pk}")
        people.append({"id": buyer.pk, "username": buyer.username, "email": buyer.email})
    return {
        "seller": {"id": seller.pk, "username": seller.username, "email": seller.email},
        "gig": {"id": gig.pk, "slug": gig.slug, "title": gig.title, "path": f"/gig/{gig.pk}/{gig.slug}/"},
        "buyers": people,
        "password": PASSWORD,
    }


@op
def delivered_orders(*, count: int, gig_id: int | None = None):
    """`count` delivered orders of one seller, each from its own buyer, whose auto-complete time
    has passed (the three days moved back on the rows, not waited for). Returns their ids and
    what the seller's wallet must hold once all are completed."""
    gig = GigFactory() if gig_id is None else GigFactory._meta.model.objects.get(pk=gig_id)
    ids, payout = [], Decimal(0)
    with translation.override("en"):
        for _ in range(count):
            order = flow.delivered(gig, UserFactory())
            ids.append(order.pk)
            payout += (order.total - fee_for(order.total, order.fee_rate)).amount
    Order.objects.filter(pk__in=ids).update(auto_complete_at=timezone.now() - timedelta(minutes=1))
    seller = gig.seller
    return {
        "ids": ids,
        "seller_id": seller.pk,
        "seller_wallet_before": _amount(wallet_balances(user=seller).available),
        "payout": str(payout),
    }


@op
def orders(*, ids: list[int]):
    rows = Order.objects.filter(pk__in=ids)
    settles = dict(
        Journal.objects.filter(order_id__in=ids, kind=K.SETTLE)
        .values("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    autocompleted = dict(
        OrderEvent.objects.filter(order_id__in=ids, kind=OrderEvent.Kind.AUTO_COMPLETED)
        .values("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    return {
        "status": {str(pk): status for pk, status in rows.values_list("pk", "status")},
        "settle_journals": {str(pk): settles.get(pk, 0) for pk in ids},
        "auto_completed_events": {str(pk): autocompleted.get(pk, 0) for pk in ids},
        "escrow": {str(pk): _amount(escrow_balance(order_id=pk)) for pk in ids},
    }


@op
def wallet(*, user_id: int):
    return _amount(wallet_balances(user=_user(user_id)).available)


@op
def consistency():
    """Every order whole: its events, its journals and its escrow agree with its status (no
    order half-written), and the ledger's own reconciliation finds nothing (DESIGN.md's
    invariants 1-6). Returns the problems found, [] when there are none."""
    problems = []
    with transaction.atomic():
        for order in Order.objects.order_by("pk"):
            events = list(order.events.order_by("pk").values_list("kind", "to_status"))
            journals = dict(
                Journal.objects.filter(order_id=order.pk)
                .values("kind")
                .annotate(n=Count("id"))
                .values_list("kind", "n")
            )
            held = escrow_balance(order_id=order.pk).amount
            paid = order.paid_at is not None
            where = f"order #{order.pk} ({order.status})"
            if not events or events[0][0] != OrderEvent.Kind.PLACED:
                problems.append(f"{where}: no placement event first: {events[:1]}")
            elif events[-1][1] != order.status:
                problems.append(f"{where}: its last event says {events[-1][1]}")
            if journals.get(K.HOLD, 0) != (1 if paid else 0):
                problems.append(f"{where}: paid={paid} but {journals.get(K.HOLD, 0)} hold journal(s)")
            if paid != any(kind == OrderEvent.Kind.PAID for kind, _status in events):
                problems.append(f"{where}: paid={paid} disagrees with its events")
            settled = journals.get(K.SETTLE, 0) + journals.get(K.SPLIT, 0)
            if settled != (1 if order.status == S.COMPLETED else 0):
                problems.append(f"{where}: {settled} settle journal(s)")
            refunded = journals.get(K.REFUND, 0)
            if refunded != (1 if order.status == S.CANCELLED and paid else 0):
                problems.append(f"{where}: {refunded} refund journal(s)")
            expected = 0 if order.status in (S.COMPLETED, S.CANCELLED, S.PENDING_PAYMENT) else order.total.amount
            if held != expected:
                problems.append(f"{where}: escrow holds {held}, expected {expected}")
    report = ledger_reconcile(notify=False)
    problems += [f"ledger: {problem}" for problem in report.problems]
    return problems


@op
def order_count(*, buyer_id: int | None = None):
    orders = Order.objects.all() if buyer_id is None else Order.objects.filter(buyer_id=buyer_id)
    return dict(orders.values("status").annotate(n=Count("id")).values_list("status", "n"))


@op
def publish(*, task: str):
    """What beat does every minute: send the task by its name to the broker."""
    app.send_task(task)
    return task


@op
def time_passes(*, minutes: int):
    """The sweeps' grace periods pass: an order event's email is left to its own task for a
    minute, a message is emailed after MESSAGING_EMAIL_DELAY_SECONDS unread. Moved back on the
    rows rather than waited for, so the chaos run stays short."""
    delta = timedelta(minutes=minutes)
    events = OrderEvent.objects.filter(notified_at__isnull=True).update(created_at=F("created_at") - delta)
    participants = Participant.objects.filter(email_due_at__isnull=False).update(email_due_at=F("email_due_at") - delta)
    return {"events": events, "participants": participants}


@op
def waiting_emails():
    return {
        "order_events": OrderEvent.objects.filter(notified_at__isnull=True).count(),
        "message_batches": Participant.objects.filter(email_due_at__isnull=False).count(),
    }


@op
def webhook_for_new_payment(*, user_id: int, amount: int):
    """A payment the user started, and the webhook the provider will send for it: its raw body
    and signature, exactly as the sandbox builds them. Nothing is delivered here."""
    started = payment_start(user=_user(user_id), amount=Money(amount, "RUB"))
    charge = SandboxCharge.objects.get(payment=started.payment)
    # What the provider knows once the card went through; our rows learn it from the webhook.
    charge.status = SandboxCharge.Status.SUCCEEDED
    charge.event_id = f"evt_chaos_{os.urandom(6).hex()}"
    charge.card_last4 = "4242"
    charge.deliver_after = timezone.now()
    body = event_body(charge)
    return {
        "payment_id": str(started.payment.pk),
        "body": body.decode(),
        "headers": {SIGNATURE_HEADER: sign(body), "Content-Type": "application/json"},
    }


@op
def payment(*, payment_id: str):
    row = Payment.objects.select_related("user").get(pk=payment_id)
    return {
        "status": row.status,
        "wallet": _amount(wallet_balances(user=row.user).available),
        "top_ups": Journal.objects.filter(kind=K.TOP_UP, memo=f"payment {row.pk}").count(),
        "webhook_events": WebhookEvent.objects.filter(payment=row).count(),
    }


@op
def session_cached(*, session_key: str):
    """Whether Redis still holds this session (cached_db reads it there first)."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    return cache.get(KEY_PREFIX + session_key) is not None


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            connection.close()  # a connection from before a database restart is dead
            with translation.override("en"):
                answer = {"ok": OPS[request["op"]](**request.get("kw", {}))}
        except Exception:
            answer = {"error": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
