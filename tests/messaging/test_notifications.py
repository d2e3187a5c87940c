from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from messaging import services, tasks
from messaging.models import Message, Participant
from tests.factories import UserFactory
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db


def sweep():
    return tasks.message_emails_sweep.delay().get()


@pytest.fixture
def start():
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def test_five_messages_in_a_minute_give_one_email(start, buyer, seller):
    first = send(buyer, body="Message 1", recipient=seller)
    for n in range(2, 6):
        start.shift(timedelta(seconds=12))
        send(buyer, body=f"Message {n}", conversation_id=first.conversation_id)
    assert sweep() == 0 and mail.outbox == []  # a reader online gets no email: it waits a little
    start.shift(timedelta(minutes=3))
    assert sweep() == 1
    assert sweep() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [seller.email]
    assert "ivan" in email.subject
    assert all(f"Message {n}" in email.body for n in range(1, 6))
    assert f"/messages/{first.conversation_id}/" in email.body and email.body.count("http://") >= 2


def test_at_most_one_email_per_conversation_in_ten_minutes(start, buyer, seller):
    first = send(buyer, body="Good morning", recipient=seller)
    start.shift(timedelta(minutes=3))
    assert sweep() == 1
    start.shift(timedelta(minutes=1))
    send(buyer, body="Are you there?", conversation_id=first.conversation_id)
    start.shift(timedelta(minutes=8))
    assert sweep() == 0  # 9 minutes after the last email
    start.shift(timedelta(minutes=1, seconds=1))
    assert sweep() == 1
    assert len(mail.outbox) == 2
    assert "Are you there?" in mail.outbox[1].body and "Good morning" not in mail.outbox[1].body


def test_each_conversation_is_batched_on_its_own(start, seller):
    for name in ("one", "two"):
        send(UserFactory(username=name), body=f"from {name}", recipient=seller)
    start.shift(timedelta(minutes=3))
    assert sweep() == 2 and len(mail.outbox) == 2


def test_read_messages_are_not_emailed(start, buyer, seller):
    message = send(buyer, body="Quick question", recipient=seller)
    services.conversation_mark_read(conversation_id=message.conversation_id, user=seller, up_to_id=message.pk)
    start.shift(timedelta(minutes=3))
    assert sweep() == 0 and mail.outbox == []
    assert Participant.objects.get(user=seller).email_due_at is None


def test_emails_can_be_turned_off(start, buyer, seller):
    services.messaging_preference_set(user=seller, email_notifications=False)
    send(buyer, body="Hello", recipient=seller)
    start.shift(timedelta(minutes=3))
    assert sweep() == 0 and mail.outbox == []


def test_email_is_in_the_recipients_language_and_masks_contacts(start, buyer, seller):
    seller.language = "ru"
    seller.save()
    send(buyer, body="Call me at +7 916 123-45-67", recipient=seller, confirm_contacts=True)
    start.shift(timedelta(minutes=3))
    sweep()
    email = mail.outbox[0]
    assert "916" not in email.body and "•••" in email.body
    # Rendered under the recipient's language: the date reads in Russian, not English.
    sent = timezone.localtime(Message.objects.get().created_at)
    with translation.override("ru"):
        russian = date_format(sent, "j E")
    with translation.override("en"):
        english = date_format(sent, "j E")
    assert russian != english and russian in email.body and english not in email.body


def test_order_thread_email_names_the_order_and_shows_contacts_after_payment(start, buyer, gig):
    order = flow.paid(gig, buyer)
    send(buyer, body="My phone: +7 916 123-45-67", order_id=order.pk)
    start.shift(timedelta(minutes=3))
    sweep()
    email = mail.outbox[-1]
    assert f"#{order.pk}" in email.subject and "+7 916 123-45-67" in email.body


def test_a_failed_send_is_retried_by_the_next_sweep(start, buyer, seller, monkeypatch):
    send(buyer, body="Hello", recipient=seller)
    start.shift(timedelta(minutes=3))

    def down(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(services, "send_mail", down)
    with pytest.raises(ConnectionError):
        services.message_emails_send_due()
    assert Participant.objects.get(user=seller).email_due_at is not None
    monkeypatch.undo()
    assert sweep() == 1
