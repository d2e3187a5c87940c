from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from buyer_requests import notifications, services
from buyer_requests.models import BuyerRequest, RequestAlertDigest, RequestEvent
from tests.buyer_requests.conftest import active, offered
from tests.factories import CategoryFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_new_offer_emails_the_client_in_their_language(
    client_user, category, freelancer, django_capture_on_commit_callbacks
):
    client_user.language = "ru"
    client_user.save()
    buyer_request = active(client_user, category)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offered(buyer_request, freelancer)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [client_user.email]
    assert buyer_request.title in email.subject
    # The Russian number format: the email was rendered in the client's language.
    assert "5\u00a0000\u00a0₽" in email.body
    assert f"/requests/{buyer_request.pk}/offers/" in email.body


def test_accept_emails_the_hired_freelancer_and_the_others(
    client_user, category, freelancer, other_freelancer, django_capture_on_commit_callbacks
):
    buyer_request = active(client_user, category)
    chosen, other = offered(buyer_request, freelancer), offered(buyer_request, other_freelancer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = services.offer_accept(offer_id=chosen.pk, client=client_user)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {freelancer.email, other_freelancer.email}
    assert "accepted" in by_recipient[freelancer.email].subject
    assert f"/orders/{order.pk}/" in by_recipient[freelancer.email].body
    assert "declined" in by_recipient[other_freelancer.email].subject
    assert "Another offer was chosen" in by_recipient[other_freelancer.email].body
    other.refresh_from_db()


def test_decline_emails_the_reason(client_user, category, freelancer, django_capture_on_commit_callbacks):
    buyer_request = active(client_user, category)
    offer = offered(buyer_request, freelancer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(offer_id=offer.pk, client=client_user, reason="We chose to wait a month.")
    assert [m.to for m in mail.outbox] == [[freelancer.email]]
    assert "We chose to wait a month." in mail.outbox[0].body


def test_invitation_emails_the_freelancer(client_user, category, freelancer, django_capture_on_commit_callbacks):
    buyer_request = active(client_user, category, visibility=BuyerRequest.Visibility.INVITED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(request_id=buyer_request.pk, client=client_user, freelancer=freelancer)
    assert [m.to for m in mail.outbox] == [[freelancer.email]]
    assert "invites you" in mail.outbox[0].subject
    assert f"/requests/{buyer_request.pk}/" in mail.outbox[0].body


def test_an_event_is_emailed_once_and_the_sweep_sends_what_the_task_missed(client_user, category, freelancer):
    buyer_request = active(client_user, category)
    # No on-commit callbacks run here: as if the broker had been down.
    offered(buyer_request, freelancer)
    mail.outbox.clear()
    event = RequestEvent.objects.get(kind=RequestEvent.Kind.OFFER_SENT)
    assert notifications.request_events_notify_due() == 0  # the task gets a minute first
    later = event.created_at + timedelta(minutes=2)
    assert notifications.request_events_notify_due(now=later) >= 1
    assert notifications.request_events_notify_due(now=later) == 0
    assert notifications.request_event_send(event_id=event.pk) is False
    assert sum(1 for m in mail.outbox if m.to == [client_user.email] and "New offer" in m.subject) == 1


# --- matching-request alerts, batched ------------------------------------------------------------------


@pytest.fixture
def watcher(category):
    person = SellerFactory(username="watcher")
    services.request_alerts_set(user=person, category_ids=[category.pk])
    return person


def _alerts_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_several_new_requests_in_an_hour_give_one_email(category, watcher):
    clients = [UserFactory() for _ in range(4)]
    start = datetime(2030, 6, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        RequestAlertDigest.objects.update(since=start - timedelta(minutes=1))
        for i, client in enumerate(clients[:3]):
            active(client, category, title=f"Fresh request number {i}")
        mail.outbox.clear()
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert notifications.request_alerts_send_due() == 1
        [email] = _alerts_to(watcher)
        assert "3 new requests" in email.subject
        assert all(f"Fresh request number {i}" in email.body for i in range(3))
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        active(clients[3], category, title="A late request in the same hour")
        assert notifications.request_alerts_send_due() == 0  # at most one email an hour
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert notifications.request_alerts_send_due() == 0
    with time_machine.travel(start + timedelta(minutes=61, seconds=1), tick=False):
        assert notifications.request_alerts_send_due() == 1
        assert notifications.request_alerts_send_due() == 0
    emails = _alerts_to(watcher)
    assert len(emails) == 2
    assert "A late request in the same hour" in emails[1].body
    assert "Fresh request number 0" not in emails[1].body


def test_alerts_skip_other_categories_invited_only_requests_and_ones_own(category, watcher):
    other_category = CategoryFactory()
    active(UserFactory(), other_category, title="Somewhere else entirely")
    active(UserFactory(), category, title="By invitation only here", visibility=BuyerRequest.Visibility.INVITED)
    active(watcher, category, title="The watcher's own request")
    mail.outbox.clear()
    assert notifications.request_alerts_send_due() == 0
    assert _alerts_to(watcher) == []


def test_alerts_are_for_sellers_and_can_be_turned_off(category, watcher):
    with pytest.raises(services.RequestError, match="Turn on selling"):
        services.request_alerts_set(user=UserFactory(), category_ids=[category.pk])
    services.request_alerts_set(user=watcher, category_ids=[])
    active(UserFactory(), category)
    mail.outbox.clear()
    assert notifications.request_alerts_send_due() == 0
    assert _alerts_to(watcher) == []
