import pytest
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.test import override_settings

from marketplace.uploads import UploadRejected
from messaging import selectors, services
from messaging.models import Attachment, Conversation, Message, Participant
from orders.models import Order, OrderEvent
from tests.factories import UserFactory
from tests.images import decompression_bomb_png, image_bytes, upload
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db


def test_first_message_creates_one_conversation_per_pair(buyer, seller):
    first = send(buyer, recipient=seller)
    second = send(seller, recipient=buyer)
    third = send(buyer, conversation_id=first.conversation_id)
    assert first.conversation_id == second.conversation_id == third.conversation_id
    conversation = Conversation.objects.get()
    assert conversation.user_low_id < conversation.user_high_id and conversation.order_id is None
    assert conversation.last_message_id == third.pk
    parts = {p.user_id: p for p in conversation.participants.all()}
    assert parts[buyer.pk].partner_id == seller.pk and parts[seller.pk].partner_id == buyer.pk


def test_the_database_refuses_a_second_direct_conversation_for_a_pair(buyer, seller):
    send(buyer, recipient=seller)
    low, high = selectors.pair(buyer.pk, seller.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(user_low_id=low, user_high_id=high)


def test_the_database_refuses_an_unordered_pair(buyer, seller):
    low, high = selectors.pair(buyer.pk, seller.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(user_low_id=high, user_high_id=low)


def test_cannot_write_to_yourself_or_into_someone_elses_conversation(buyer, seller, stranger):
    with pytest.raises(services.MessagingError, match="yourself"):
        send(buyer, recipient=buyer)
    message = send(buyer, recipient=seller)
    with pytest.raises(services.MessagingError, match="no such conversation"):
        send(stranger, conversation_id=message.conversation_id)
    assert Message.objects.count() == 1


def test_empty_message_is_refused(buyer, seller):
    with pytest.raises(services.MessagingError, match="Write a message"):
        send(buyer, body="   \n ", recipient=seller)


def test_text_is_kept_as_written_and_masked_copy_stored(buyer, seller):
    message = send(buyer, body="Call me: +7 916 123-45-67 <b>now</b>", recipient=seller, confirm_contacts=True)
    assert message.body == "Call me: +7 916 123-45-67 <b>now</b>"
    assert "916" not in message.body_masked and "<b>now</b>" in message.body_masked
    assert message.flags == ["phone"] and message.flagged


def test_contacts_need_confirmation_before_sending(buyer, seller):
    with pytest.raises(services.ContactsWarning) as warning:
        send(buyer, body="my telegram is @ivan_design", recipient=seller)
    assert warning.value.kinds == ["messenger"]
    assert not Message.objects.exists() and not Conversation.objects.exists()
    send(buyer, body="my telegram is @ivan_design", recipient=seller, confirm_contacts=True)
    assert Message.objects.get().flagged


def test_no_warning_and_no_flag_once_a_paid_order_exists(buyer, gig):
    flow.paid(gig, buyer)
    message = send(buyer, body="my telegram is @ivan_design", recipient=gig.seller)
    assert message.flags == ["messenger"] and not message.flagged


def test_rate_limit_per_user(buyer, seller, stranger, settings):
    settings.MESSAGING_RATE_LIMIT_COUNT = 3
    for n in range(3):
        send(buyer, body=f"message {n}", recipient=seller)
    with pytest.raises(services.RateLimited, match="too fast"):
        send(buyer, body="one more", recipient=seller)
    with pytest.raises(services.RateLimited):
        send(buyer, body="to someone else", recipient=stranger)
    send(seller, body="the other person is not limited", recipient=buyer)
    assert Message.objects.filter(sender=buyer).count() == 3
    cache.clear()  # a new window
    send(buyer, body="later", recipient=seller)


def test_image_attachment_is_reencoded_with_a_thumbnail(buyer, seller):
    photo = upload(image_bytes("PNG", size=(3000, 1000)), name="mockup.png")
    message = send(buyer, body="", files=[photo], recipient=seller)
    attachment = message.attachments.get()
    assert attachment.is_image and attachment.name == "mockup.jpg"
    assert attachment.file.name.startswith("private/messages/")
    assert attachment.thumbnail.name.startswith("private/messages/thumbs/")
    from PIL import Image

    with attachment.file.open("rb") as f:
        assert Image.open(f).size == (2000, 667)
    with attachment.thumbnail.open("rb") as f:
        assert max(Image.open(f).size) == 320


def test_other_files_are_kept_for_download(buyer, seller):
    brief = upload(b"%PDF-1.4 brief", name="brief.pdf", content_type="application/pdf")
    message = send(buyer, body="The brief", files=[brief], recipient=seller)
    attachment = message.attachments.get()
    assert not attachment.is_image and not attachment.thumbnail and attachment.size == len(b"%PDF-1.4 brief")
    with attachment.file.open("rb") as f:
        assert f.read() == b"%PDF-1.4 brief"


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: upload(b"MZ" + b"\0" * 100, name="setup.exe", content_type="application/x-msdownload"), "programs"),
        (lambda: upload(decompression_bomb_png(), name="bomb.png"), "too many pixels|megapixels"),
        (
            lambda: upload(b"<script>alert(1)</script>", name="photo.jpg", content_type="image/jpeg"),
            "not a valid image",
        ),
        (lambda: upload(b"x" * 2048, name="big.zip", content_type="application/zip"), "too large"),
    ],
    ids=["executable", "decompression-bomb", "fake-image", "too-large"],
)
def test_bad_attachment_refuses_the_whole_message(buyer, seller, settings, make, error):
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 1024
    good = upload(b"fine", name="notes.txt", content_type="text/plain")
    with pytest.raises(UploadRejected, match=error):
        send(buyer, body="Here are the files", files=[good, make()], recipient=seller)
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_at_most_ten_files(buyer, seller):
    files = [upload(b"x", name=f"f{n}.txt", content_type="text/plain") for n in range(11)]
    with pytest.raises(UploadRejected, match="At most 10"):
        send(buyer, files=files, recipient=seller)


def test_gig_quote_only_for_a_gig_of_one_of_the_two(buyer, gig, stranger):
    other_gig = type(gig).objects.create(
        seller=UserFactory(is_seller=True, seller_since=gig.published_at), category=gig.category, title="x",
        slug="x", description="y", status="active",
    )  # fmt: skip
    quoted = send(buyer, recipient=gig.seller, gig_id=gig.pk)
    assert quoted.gig == gig
    assert send(buyer, recipient=gig.seller, gig_id=other_gig.pk).gig is None


def test_read_marks_and_unread_counts(buyer, seller, stranger):
    first = send(buyer, body="one", recipient=seller)
    send(buyer, body="two", recipient=seller)
    send(stranger, body="three", recipient=seller)
    assert selectors.unread_total(user=seller) == 3
    assert selectors.unread_total(user=buyer) == 0  # one's own messages are read
    services.conversation_mark_read(conversation_id=first.conversation_id, user=seller, up_to_id=first.pk)
    assert selectors.unread_total(user=seller) == 2
    last = Message.objects.filter(conversation=first.conversation).latest("id")
    services.conversation_mark_read(conversation_id=first.conversation_id, user=seller, up_to_id=last.pk)
    # The mark never goes back.
    assert not services.conversation_mark_read(conversation_id=first.conversation_id, user=seller, up_to_id=first.pk)
    assert selectors.unread_total(user=seller) == 1
    rows = {row.partner_id: row.unread for row in selectors.inbox(user=seller)}
    assert rows == {buyer.pk: 0, stranger.pk: 1}


def test_each_side_knows_the_latest_message_the_other_sent(buyer, seller, gig):
    def incoming(user) -> int:
        return Participant.objects.get(user=user, conversation=first.conversation).last_incoming_id

    first = send(buyer, body="one", recipient=seller)
    assert (incoming(seller), incoming(buyer)) == (first.pk, 0)  # one's own message is not incoming
    reply = send(seller, body="two", recipient=buyer)
    again = send(buyer, body="three", recipient=seller)
    assert (incoming(seller), incoming(buyer)) == (again.pk, reply.pk)
    # A system line (an order event) is nobody's: the order's thread starts with none incoming.
    order = flow.completed(gig, buyer)
    for event in order.events.all():
        services.order_thread_post_event(order=order, event=event)
    assert set(Participant.objects.filter(conversation__order=order).values_list("last_incoming_id", flat=True)) == {0}


def test_the_migration_finds_the_latest_incoming_message_of_conversations_already_there(buyer, seller, stranger):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    send(buyer, body="one", recipient=seller)
    latest = send(buyer, body="two", recipient=seller)
    reply = send(seller, body="three", recipient=buyer)
    send(stranger, body="four", recipient=seller)
    expected = dict(Participant.objects.values_list("pk", "last_incoming_id"))
    assert expected[Participant.objects.get(user=seller, partner=buyer).pk] == latest.pk
    assert expected[Participant.objects.get(user=buyer).pk] == reply.pk
    Participant.objects.update(last_incoming_id=0)
    migration = importlib.import_module("messaging.migrations.0003_participant_last_incoming")
    migration.backfill(apps, SimpleNamespace(connection=connection))  # it needs the connection alone
    assert dict(Participant.objects.values_list("pk", "last_incoming_id")) == expected


def test_unread_counting_stops_where_the_badge_stops_counting(buyer, seller, stranger, monkeypatch):
    from django.template.loader import render_to_string

    for body in ("one", "two", "three"):
        send(buyer, body=body, recipient=seller)
    send(stranger, body="four", recipient=seller)
    send(stranger, body="five", recipient=seller)
    assert selectors.unread_total(user=seller) == 5
    monkeypatch.setattr(selectors, "UNREAD_COUNTED_UP_TO", 4)
    assert selectors.unread_total(user=seller) == 4  # over both threads, stopping at the cap
    monkeypatch.setattr(selectors, "UNREAD_COUNTED_UP_TO", 2)
    assert selectors.unread_total(user=seller) == 2  # within the first thread it reads
    badge = render_to_string("messaging/_unread_badge.html", {"messaging_unread": 100})
    assert ">99+<" in badge


def test_order_events_become_system_lines_in_the_order_thread(buyer, gig):
    order = flow.completed(gig, buyer)
    for event in order.events.all():
        services.order_thread_post_event(order=order, event=event)
    thread = Conversation.objects.get(order=order)
    kinds = list(thread.messages.values_list("system_kind", flat=True))
    # "placed" is not shown: an unpaid order concerns nobody else yet.
    assert kinds == ["paid", "delivered", "accepted"]
    assert all(m.sender_id is None and m.body == "" for m in thread.messages.all())
    # System lines are not "unread" messages and set no email timer.
    assert selectors.unread_total(user=buyer) == 0 and selectors.unread_total(user=gig.seller) == 0
    assert not Participant.objects.filter(email_due_at__isnull=False).exists()


def test_order_events_become_one_system_line_each(buyer, gig):
    order = flow.paid(gig, buyer)  # orders dispatches the event to the thread by itself
    event = order.events.get(kind=OrderEvent.Kind.PAID)
    assert Message.objects.filter(order_event=event, system_kind="paid").count() == 1
    assert services.order_thread_post_event(order=order, event=event) is None  # a repeat adds nothing
    assert Message.objects.filter(order_event=event).count() == 1


def test_order_thread_is_separate_from_the_direct_conversation(buyer, gig):
    direct = send(buyer, recipient=gig.seller)
    order = flow.paid(gig, buyer)
    in_thread = send(buyer, order_id=order.pk)
    assert in_thread.conversation_id != direct.conversation_id
    assert Conversation.objects.get(order=order).messages.count() == 2


def test_a_failing_thread_post_never_breaks_the_order_transaction(buyer, gig, monkeypatch):
    order = flow.placed(gig, buyer)
    event = OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.PAID)

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Message.objects, "create", broken)
    with transaction.atomic():
        assert services.order_thread_post_event(order=order, event=event) is None
        # The outer transaction is still usable: the order's own writes go on.
        Order.objects.filter(pk=order.pk).update(cancel_reason="still fine")
    assert Order.objects.get(pk=order.pk).cancel_reason == "still fine"
    assert not Message.objects.exists()


def test_not_a_party_cannot_write_into_an_order_thread(buyer, gig, stranger):
    order = flow.paid(gig, buyer)
    with pytest.raises(services.MessagingError, match="no such order"):
        send(stranger, order_id=order.pk)


@override_settings(MESSAGING_MAX_LENGTH=10)
def test_too_long_message(buyer, seller):
    with pytest.raises(services.MessagingError, match="too long"):
        send(buyer, body="x" * 11, recipient=seller)


def test_the_headers_counters_come_in_one_query_and_agree_with_each_counter(django_assert_num_queries, seller, buyer):
    from notifications.selectors import unread_count
    from orders.selectors import orders_header_counts
    from tests.factories import GigFactory
    from tests.orders import flow

    flow.delivered(GigFactory(seller=seller), buyer)
    send(seller, body="Here is the file", recipient=buyer)
    for person in (buyer, seller):
        with django_assert_num_queries(1):
            counts = selectors.header_counts(user=person)
        assert counts == {
            **orders_header_counts(user=person),
            "unread": selectors.unread_total(user=person),
            "notifications": unread_count(user=person),
        }
    assert selectors.header_counts(user=buyer)["buying"] == 1 and selectors.header_counts(user=buyer)["unread"] >= 1
