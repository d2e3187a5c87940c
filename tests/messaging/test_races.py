"""Two people (or two tabs) writing the first message at the same instant: PostgreSQL only."""

import pytest
from django.conf import settings

from messaging.models import Conversation, Message, Participant
from tests.concurrency.threads import run_at_once
from tests.factories import UserFactory
from tests.messaging.conftest import send

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if not settings.USING_POSTGRES:
        pytest.skip("needs PostgreSQL (real parallel transactions)")


def test_simultaneous_first_messages_share_one_conversation():
    a, b = UserFactory(), UserFactory()
    outcomes = run_at_once(8, lambda i: send(a if i % 2 else b, body=f"hi {i}", recipient=b if i % 2 else a).pk)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    conversation = Conversation.objects.get()
    assert Message.objects.filter(conversation=conversation).count() == 8
    assert Participant.objects.filter(conversation=conversation).count() == 2
    assert conversation.last_message_id == Message.objects.latest("id").pk


def test_simultaneous_sends_keep_ids_in_commit_order_for_read_marks():
    a, b = UserFactory(), UserFactory()
    first = send(a, body="start", recipient=b)
    outcomes = run_at_once(6, lambda i: send(a, body=f"m{i}", conversation_id=first.conversation_id).pk)
    assert all(o.ok for o in outcomes)
    # The conversation lock serialises sends: the last message committed has the largest id.
    conversation = Conversation.objects.get()
    assert conversation.last_message_id == max(o.value for o in outcomes)
    assert Participant.objects.get(user=a).last_read_id == conversation.last_message_id
