"""Drive an order to a given state through the services, as the parties would."""

from orders import services
from orders.models import Order
from tests.orders.conftest import top_up


def placed(gig, buyer, tier=1, extras=(), quantity=1) -> Order:
    return services.order_place(buyer=buyer, gig_id=gig.pk, package_tier=tier, extra_ids=list(extras),
                                quantity=quantity)  # fmt: skip


def paid(gig, buyer, **kwargs) -> Order:
    order = placed(gig, buyer, **kwargs)
    top_up(buyer, order.total.amount, key=f"flow:{order.pk}")
    return services.order_pay(order_id=order.pk, buyer=buyer)


def in_progress(gig, buyer, **kwargs) -> Order:
    order = paid(gig, buyer, **kwargs)
    if order.status == Order.Status.AWAITING_REQUIREMENTS:
        answers = [services.AnswerData(question_id=q["id"], answer="Acme" if q["kind"] == "text" else "")
                   for q in order.questions]  # fmt: skip
        order = services.order_submit_requirements(order_id=order.pk, buyer=buyer, answers=answers)
    return order


def delivered(gig, buyer, **kwargs) -> Order:
    order = in_progress(gig, buyer, **kwargs)
    return services.order_deliver(order_id=order.pk, seller=order.seller, message="Here it is", files=[])


def completed(gig, buyer, **kwargs) -> Order:
    order = delivered(gig, buyer, **kwargs)
    return services.order_accept(order_id=order.pk, buyer=buyer)


def disputed(gig, buyer, **kwargs) -> Order:
    order = delivered(gig, buyer, **kwargs)
    return services.dispute_open(order_id=order.pk, actor=buyer, reason="The logo is not what we agreed on at all.")


def cancelled(gig, buyer, **kwargs) -> Order:
    order = paid(gig, buyer, **kwargs)
    return services.order_cancel(order_id=order.pk, actor=buyer)


STATES = {
    "pending_payment": placed,
    "awaiting_requirements": paid,
    "in_progress": in_progress,
    "delivered": delivered,
    "completed": completed,
    "disputed": disputed,
    "cancelled": cancelled,
}
