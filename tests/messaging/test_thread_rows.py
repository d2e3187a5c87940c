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


def test_a_threads_messages_come_as_the_orm_reads_them_with_their_offers_and_pages(
    buyer, seller, django_assert_num_queries
):
    from decimal import Decimal

    from messaging import offers
    from messaging.models import Message

    first = send(buyer, body="hello", recipient=seller)
    conversation = selectors.thread_get(user=buyer, conversation_id=first.conversation_id).conversation
    offer = offers.custom_offer_send(
        seller=seller, conversation_id=conversation.pk,
        data=offers.OfferData(title="Logo", description="A logo.", price=Decimal("4500"), delivery_days=5, revisions=2),
    )  # fmt: skip
    later = [send(buyer if n % 2 else seller, body=f"m{n}", recipient=seller if n % 2 else buyer) for n in range(5)]
    with django_assert_num_queries(1):  # the messages with their offers; senders came with the thread
        items, has_older = selectors.thread_messages(conversation=conversation, limit=3)
        assert [m.pk for m in items] == [m.pk for m in later[-3:]] and has_older
        assert all(not hasattr(m, "custom_offer") and m.conversation is conversation for m in items)
    older, more = selectors.thread_messages(conversation=conversation, limit=10, before_id=items[0].pk)
    assert [m.pk for m in older] == [first.pk, offer.message_id, later[0].pk, later[1].pk] and not more
    with_offer = next(m for m in older if m.pk == offer.message_id)
    assert with_offer.custom_offer == offer and with_offer.custom_offer.price == offer.price
    assert with_offer.custom_offer.message is with_offer
    after = selectors.thread_messages_after(conversation=conversation, after_id=offer.message_id, limit=2)
    assert [m.pk for m in after] == [later[0].pk, later[1].pk]
    expected = Message.objects.get(pk=first.pk)
    for field in Message._meta.concrete_fields:
        assert getattr(older[0], field.attname) == getattr(expected, field.attname), field.name
