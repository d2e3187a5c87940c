"""Every read of orders that a page needs, with the access checks."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from gigs.models import Gig

from .models import Dispute, Order, OrderFile
from .pricing import orderable_gig
from .services import buyer_cancel_kind

S = Order.Status

TABS = {
    "active": (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS),
    "delivered": (S.DELIVERED,),
    "completed": (S.COMPLETED,),
    "cancelled": (S.CANCELLED,),
    "disputed": (S.DISPUTED,),
    "unpaid": (S.PENDING_PAYMENT,),
}


def checkout_gig_get(*, gig_id: int, with_extras: bool = True) -> Gig:
    """The gig being ordered, read once per checkout request (the form and `order_place`
    use this copy); a gig that is not active is a 404."""
    gig = orderable_gig(gig_id=gig_id, with_extras=with_extras)
    if gig is None:
        raise Http404
    return gig


def order_get_for_party(*, user: User, order_id: int) -> Order:
    """The order if `user` is its buyer or seller; anyone else gets a 404."""
    if not user.is_authenticated:
        raise Http404
    order = (
        Order.objects.select_related("buyer__profile", "seller__profile", "gig", "cancel_requested_by")
        .filter(Q(buyer=user) | Q(seller=user), pk=order_id)
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_file_get_for_party(*, user: User, order_id: int, file_id: int) -> OrderFile:
    order = order_get_for_party(user=user, order_id=order_id)
    item = OrderFile.objects.filter(order=order, pk=file_id).first()
    if item is None:
        raise Http404
    return item


def orders_list(*, user: User, side: str, tab: str) -> QuerySet:
    statuses = TABS.get(tab, TABS["active"])
    mine = Order.objects.filter(buyer=user) if side == "buyer" else Order.objects.filter(seller=user)
    return (
        mine.filter(status__in=statuses)
        .select_related("buyer__profile", "seller__profile", "gig")
        .order_by("deadline_at" if tab == "active" else "-updated_at", "-id")
    )


def orders_tab_counts(*, user: User, side: str) -> dict[str, int]:
    mine = Order.objects.filter(buyer=user) if side == "buyer" else Order.objects.filter(seller=user)
    by_status = dict(mine.values_list("status").annotate(n=Count("id")))
    return {tab: sum(by_status.get(s, 0) for s in statuses) for tab, statuses in TABS.items()}


def orders_header_counts(*, user: User) -> dict[str, int]:
    """Orders that need the user now: as buyer (delivered to check, requirements to send)
    and as seller (work in progress). One plain query: it runs on every signed-in page, and
    the ORM spent 2-3 ms of Python building the same conditional aggregate."""
    sql, params = orders_header_counts_sql(user=user)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        buying, selling = cursor.fetchone()
    return {"buying": int(buying or 0), "selling": int(selling or 0)}


def orders_header_counts_sql(*, user: User) -> tuple[str, list]:
    """The statement behind `orders_header_counts` (two columns: buying, selling), for a
    caller that asks it together with other counters in one round trip."""
    return _HEADER_COUNTS_SQL, [user.pk, *_BUYING, user.pk, *_SELLING, user.pk, user.pk, *_ACTIVE]


_BUYING = (S.AWAITING_REQUIREMENTS, S.DELIVERED)
_SELLING = (S.IN_PROGRESS, S.DISPUTED)
_ACTIVE = tuple(Order.ACTIVE_STATUSES)
_HEADER_COUNTS_SQL = """
    SELECT SUM(CASE WHEN buyer_id = %s AND status IN (%s, %s) THEN 1 ELSE 0 END) AS buying,
           SUM(CASE WHEN seller_id = %s AND status IN (%s, %s) THEN 1 ELSE 0 END) AS selling
    FROM orders_order
    WHERE (buyer_id = %s OR seller_id = %s) AND status IN (%s, %s, %s, %s)
"""


def deadline_soon(order: Order) -> bool:
    return bool(
        order.status == S.IN_PROGRESS and order.deadline_at and order.deadline_at - timezone.now() < timedelta(days=1)
    )


def order_actions(*, order: Order, user: User) -> set[str]:
    """What this user can do with this order now: the buttons on the order page."""
    role = order.party_role(user)
    actions: set[str] = set()
    status = order.status
    pending_request = order.cancel_requested_by_id is not None
    if role == "buyer":
        if status == S.PENDING_PAYMENT:
            actions |= {"pay", "cancel"}
        if status == S.AWAITING_REQUIREMENTS:
            actions.add("requirements")
        if status == S.DELIVERED:
            actions.add("accept")
            if order.revisions_left:
                actions.add("revision")
        if buyer_cancel_kind(order) and status != S.PENDING_PAYMENT:
            actions.add("cancel")
    if role == "seller":
        if status == S.IN_PROGRESS:
            actions.add("deliver")
        if status in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS):
            actions.add("cancel")
    if role and status in (S.AWAITING_REQUIREMENTS, S.IN_PROGRESS, S.DELIVERED):
        actions.add("dispute")
        if not pending_request:
            actions.add("cancel_request")
        elif order.cancel_requested_by_id == user.pk:
            actions.add("cancel_withdraw")
        else:
            actions.add("cancel_respond")
    return actions


def seller_clean_for_auto_payout(*, user_id: int) -> bool:
    """Whether a seller's small withdrawals may go out without a staff approval
    (ESCROW_SELLER_CLEAN): at least PAYOUT_AUTO_MIN_ORDERS orders completed as the seller,
    no dispute open on their orders, and none lost (refunded or split) in the last
    PAYOUT_AUTO_CLEAN_DAYS days."""
    since = timezone.now() - timedelta(days=settings.PAYOUT_AUTO_CLEAN_DAYS)
    as_seller = Order.objects.filter(seller_id=user_id)
    if as_seller.filter(status=Order.Status.COMPLETED).count() < settings.PAYOUT_AUTO_MIN_ORDERS:
        return False
    disputes = Dispute.objects.filter(order__seller_id=user_id)
    if disputes.filter(outcome="").exists():
        return False
    return not disputes.filter(
        outcome__in=[Dispute.Outcome.REFUND, Dispute.Outcome.SPLIT], resolved_at__gte=since
    ).exists()
