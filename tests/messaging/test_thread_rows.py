"""marketplace.rows: instances from a hand-written join, as the ORM would give them."""

import pytest
from django.db import connection

from accounts.models import Profile, User
from marketplace.rows import Columns, split
from messaging import selectors
from orders.models import Order
from tests.factories import UserFactory
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db


def test_rows_become_the_instances_the_orm_reads_with_their_converted_values(gig, buyer):
    order = flow.completed(gig, buyer)
    parts = (Columns(Order, "o"), Columns(User, "u"), Columns(Profile, "pr"))
    sql = (
        f"SELECT {', '.join(part.sql for part in parts)} FROM orders_order o"  # noqa: S608 - our own columns
        " JOIN accounts_user u ON u.id = o.buyer_id LEFT JOIN accounts_profile pr ON pr.user_id = u.id"
        " WHERE o.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [order.pk])
        found_order, found_user, found_profile = split(cursor.fetchone(), *parts)
    expected = Order.objects.get(pk=order.pk)
    for field in Order._meta.concrete_fields:  # money, dates, JSON: each as the ORM converts it
        assert getattr(found_order, field.attname) == getattr(expected, field.attname), field.name
    assert found_order.total == expected.total and found_order.total.currency == expected.total.currency
    assert found_user == buyer and found_user.username == buyer.username
    assert found_profile.pk == buyer.pk and found_profile.display_name == buyer.profile.display_name
    assert not found_order._state.adding and found_order._state.db == "default"  # saved rows, as read


def test_the_empty_side_of_an_outer_join_is_none(db):
    parts = (Columns(User, "u"), Columns(Order, "o"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {parts[0].sql}, {parts[1].sql} FROM accounts_user u"  # noqa: S608 - our own columns
            " LEFT JOIN orders_order o ON o.buyer_id = u.id WHERE u.id = %s",
            [UserFactory().pk],
        )
        person, order = split(cursor.fetchone(), *parts)
    assert person is not None and order is None


def test_a_thread_comes_with_its_people_profiles_and_order_in_one_query(gig, buyer, django_assert_num_queries):
    order = flow.completed(gig, buyer)
    message = send(buyer, body="hello", order_id=order.pk)
    with django_assert_num_queries(1):  # a paid order's thread: no check of other orders
        thread = selectors.thread_get(user=buyer, conversation_id=message.conversation_id)
        assert thread.conversation.order == order and thread.conversation.order.paid_at is not None
        assert thread.unlocked and not thread.read_only
        other = thread.other_user
        assert other == gig.seller and other.display_name == gig.seller.display_name
        assert thread.me.user is buyer or thread.me.user == buyer
        assert thread.me.conversation is thread.partner.conversation is thread.conversation
        assert thread.partner.user.profile.user is thread.partner.user
