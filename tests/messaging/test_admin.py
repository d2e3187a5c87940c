import pytest
from django.urls import reverse

from messaging.models import Conversation, Message
from tests.factories import UserFactory
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_conversations_and_messages_are_read_only(admin_client, buyer, seller):
    message = send(buyer, body="Hello", recipient=seller)
    conversation = message.conversation
    for model in ("conversation", "message", "flaggedmessage"):
        assert admin_client.get(reverse(f"admin:messaging_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:messaging_{model}_add")).status_code == 403
    change = admin_client.get(reverse("admin:messaging_message_change", args=[message.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    response = admin_client.post(reverse("admin:messaging_message_change", args=[message.pk]), {"body": "edited"})
    assert response.status_code == 403
    assert admin_client.post(reverse("admin:messaging_message_delete", args=[message.pk])).status_code == 403
    assert admin_client.post(reverse("admin:messaging_conversation_delete", args=[conversation.pk])).status_code == 403
    assert Message.objects.get(pk=message.pk).body == "Hello"


def test_flagged_messages_list_shows_the_original_text(admin_client, buyer, seller):
    send(buyer, body="Ordinary question about the logo", recipient=seller)
    send(buyer, body="write me at ivan@example.com", recipient=seller, confirm_contacts=True)
    html = admin_client.get(reverse("admin:messaging_flaggedmessage_changelist")).content.decode()
    assert "ivan@example.com" in html and "Ordinary question" not in html


def test_order_thread_admin_link_for_the_dispute_page(admin_client, buyer, gig):
    order = flow.disputed(gig, buyer)
    link = reverse("admin:messaging_conversation_for_order", args=[order.pk])
    send(buyer, body="The logo is wrong", order_id=order.pk)
    response = admin_client.get(link)
    conversation = Conversation.objects.get(order=order)
    assert response["Location"].endswith(f"?conversation__id__exact={conversation.pk}")
    html = admin_client.get(response["Location"]).content.decode()
    assert "The logo is wrong" in html and "dispute_opened" in html


def test_order_admin_link_without_a_thread(admin_client):
    link = reverse("admin:messaging_conversation_for_order", args=[999999])
    assert admin_client.get(link)["Location"] == reverse("admin:messaging_conversation_changelist")


def test_non_staff_cannot_open_the_admin(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("admin:messaging_message_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_following_the_order_thread_link_on_the_site_read_it(client, buyer, gig):
    order = flow.paid(gig, buyer)
    send(buyer, body="Question about the order", order_id=order.pk)
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("messaging:order_thread", args=[order.pk]))
    conversation = Conversation.objects.get(order=order)
    assert response["Location"] == reverse("messaging:detail", args=[conversation.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Question about the order" in html and "as staff" in html
