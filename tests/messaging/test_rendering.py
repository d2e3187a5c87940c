"""Each message's HTML is rendered once and cached; what varies by reader or changes later
must still show: the side, masking, the language, names, the quoted gig, offers, the read tick."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from djmoney.money import Money

from messaging import display, offers, rendering, services
from messaging.models import Conversation
from tests.factories import UserFactory
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db

MESSAGE_TEMPLATE = "messaging/_message.html"
PHONE = "+7 916 123-45-67"


def view(client, conversation_id, **kwargs):
    response = client.get(reverse("messaging:detail", args=[conversation_id]), **kwargs)
    assert response.status_code == 200
    return response


def renders(response) -> int:
    """How many message fragments this response rendered (the cached ones are not)."""
    return sum(1 for t in response.templates if t.name == MESSAGE_TEMPLATE)


def article(html: str, message_id: int) -> str:
    match = re.search(rf'<(article|div) class="message[^"]*" id="m{message_id}">.*?</\1>', html, re.S)
    assert match, message_id
    return match.group()


def author(html: str) -> str:
    return re.search(r'class="message-meta[^>]*>\s*([^\s<]+)', html).group(1)


def test_a_second_view_renders_no_message_again(client, conversation, buyer):
    client.force_login(buyer)
    assert renders(view(client, conversation.pk)) == 2
    again = view(client, conversation.pk)
    assert renders(again) == 0
    assert "Hello! Can you draw a logo?" in again.content.decode() and "Yes, of course." in again.content.decode()
    # A new message is the only one rendered.
    send(buyer, body="And a favicon?", conversation_id=conversation.pk)
    assert renders(view(client, conversation.pk)) == 1


def test_the_two_sides_get_their_own_fragment(client, conversation, buyer, seller):
    first = conversation.messages.earliest("id")  # the buyer's
    client.force_login(buyer)
    mine = article(view(client, conversation.pk).content.decode(), first.pk)
    client.force_login(seller)
    response = view(client, conversation.pk)
    theirs = article(response.content.decode(), first.pk)
    assert renders(response) == 2  # the buyer's cached fragments are not the seller's
    assert "message-mine" in mine and "tick-" in mine and "You" in mine
    assert "message-theirs" in theirs and "tick-" not in theirs and "ivan" in theirs


def test_the_read_tick_is_part_of_the_fragment_and_turns_once(client, conversation, buyer, seller):
    mine = send(buyer, body="Is Friday fine?", conversation_id=conversation.pk)
    client.force_login(buyer)
    assert "bi-check2-all" not in article(view(client, conversation.pk).content.decode(), mine.pk)
    client.force_login(seller)
    view(client, conversation.pk)  # the seller reads it
    client.force_login(buyer)
    response = view(client, conversation.pk)
    assert renders(response) == 1  # read: its other fragment, rendered once
    assert f'<span id="tick-{mine.pk}" class="message-tick"><i class="bi bi-check2-all' in article(
        response.content.decode(), mine.pk
    )
    assert renders(view(client, conversation.pk)) == 0


def test_staff_read_the_original_after_the_recipient_saw_the_mask(client, buyer, seller):
    message = send(buyer, body=f"Call me: {PHONE}", recipient=seller, confirm_contacts=True)
    client.force_login(seller)
    assert PHONE not in view(client, message.conversation_id).content.decode()
    client.force_login(UserFactory(is_staff=True))
    html = article(view(client, message.conversation_id).content.decode(), message.pk)
    assert PHONE in html and "Contacts found" in html and "tick-" not in html


def test_staff_see_the_contacts_found_even_where_the_recipient_saw_no_mask(client, buyer, gig):
    flow.paid(gig, buyer)  # contacts are open between the two, but still listed for staff
    message = send(buyer, body=f"Call me: {PHONE}", recipient=gig.seller)
    client.force_login(gig.seller)
    assert "Contacts found" not in article(view(client, message.conversation_id).content.decode(), message.pk)
    client.force_login(UserFactory(is_staff=True))
    assert "Contacts found" in article(view(client, message.conversation_id).content.decode(), message.pk)


def test_the_senders_notice_goes_once_an_order_is_paid(client, buyer, gig):
    message = send(buyer, body=f"Call me: {PHONE}", recipient=gig.seller, confirm_contacts=True)
    client.force_login(buyer)
    assert "hidden from the recipient" in article(view(client, message.conversation_id).content.decode(), message.pk)
    flow.paid(gig, buyer)
    assert "hidden from the recipient" not in article(
        view(client, message.conversation_id).content.decode(), message.pk
    )


def test_a_system_line_names_the_person_by_their_new_name(client, buyer, gig):
    order = flow.disputed(gig, buyer)
    services.order_thread_post_event(order=order, event=order.events.get(kind="dispute_opened"))
    line = Conversation.objects.get(order=order).messages.get(system_kind="dispute_opened")
    client.force_login(gig.seller)
    assert "ivan opened a dispute" in article(view(client, line.conversation_id).content.decode(), line.pk)
    buyer.profile.display_name = "Ivan Petrov"
    buyer.profile.save()
    assert "Ivan Petrov opened a dispute" in article(view(client, line.conversation_id).content.decode(), line.pk)


def test_a_new_name_shows_in_old_messages(client, conversation, buyer, seller):
    answer = conversation.messages.latest("id")  # the seller's
    client.force_login(buyer)
    view(client, conversation.pk)
    seller.profile.display_name = "Anna Design Studio"
    seller.profile.save()
    assert "Anna Design Studio" in article(view(client, conversation.pk).content.decode(), answer.pk)


def test_the_quoted_gig_shows_its_new_title_and_price(client, buyer, gig):
    message = send(buyer, body="About this one", recipient=gig.seller, gig_id=gig.pk)
    client.force_login(buyer)
    assert "I will draw a flat logo" in article(view(client, message.conversation_id).content.decode(), message.pk)
    gig.title = "I will draw a mascot"
    gig.price_from = Money(Decimal("2500"), "RUB")
    gig.save()
    html = article(view(client, message.conversation_id).content.decode(), message.pk)
    assert "I will draw a mascot" in html and "2,500" in html


def test_a_reader_who_switches_language_reads_system_lines_in_the_new_one(client, buyer, gig, monkeypatch):
    order = flow.paid(gig, buyer)
    services.order_thread_post_event(order=order, event=order.events.get(kind="paid"))
    conversation = Conversation.objects.get(order=order)
    monkeypatch.setattr(display, "_", lambda text: f"[{translation.get_language()}] {text}")
    client.force_login(buyer)
    assert "[en] The order is paid" in view(client, conversation.pk).content.decode()
    mine = send(buyer, body="Thank you", conversation_id=conversation.pk)
    assert author(article(view(client, conversation.pk).content.decode(), mine.pk)) == "You"
    with translation.override("ru"):
        html = view(client, conversation.pk).content.decode()  # the same thread at its Russian address
    assert "[ru] The order is paid" in html and "[en]" not in html
    assert author(article(html, mine.pk)) == "Вы"


def test_an_answered_offer_shows_its_new_status(client, conversation, buyer, seller):
    data = offers.OfferData("Banner", "One banner", Decimal("900"), 2, 1)
    offer = offers.custom_offer_send(seller=seller, conversation_id=conversation.pk, data=data)
    client.force_login(buyer)
    html = article(view(client, conversation.pk).content.decode(), offer.message_id)
    accept = reverse("messaging:offer_answer", args=[offer.pk, "accept"])
    # The buttons are forms, each with this reader's own CSRF token.
    form = re.search(rf'<form method="post" action="{accept}">.*?</form>', html, re.S).group()
    assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', form)
    offers.custom_offer_decline(offer_id=offer.pk, buyer=buyer)
    html = article(view(client, conversation.pk).content.decode(), offer.message_id)
    assert accept not in html and "Declined" in html
    client.force_login(seller)
    assert "Declined" in article(view(client, conversation.pk).content.decode(), offer.message_id)


def test_poll_and_older_pages_share_the_cached_fragments(client, buyer, seller, settings):
    settings.MESSAGING_RATE_LIMIT_COUNT = 1000
    settings.MESSAGING_THREAD_PAGE_SIZE = 5
    sent = [send(buyer, body="message 0", recipient=seller)]
    sent += [send(buyer, body=f"message {n}", conversation_id=sent[0].conversation_id) for n in range(1, 10)]
    conversation_id = sent[0].conversation_id
    client.force_login(seller)
    older = reverse("messaging:older", args=[conversation_id]) + f"?before={sent[5].pk}"
    assert renders(client.get(older, HTTP_HX_REQUEST="true")) == 5
    response = client.get(older, HTTP_HX_REQUEST="true")
    assert renders(response) == 0 and "message 4" in response.content.decode()
    view(client, conversation_id)  # the newest five, cached
    poll = reverse("messaging:poll", args=[conversation_id]) + f"?after={sent[7].pk}&seen=0"
    response = client.get(poll, HTTP_HX_REQUEST="true")
    assert renders(response) == 0 and "message 9" in response.content.decode()


def test_a_cache_outage_costs_time_not_the_page(client, conversation, buyer, monkeypatch):
    class Down:
        def get_many(self, keys):
            raise ConnectionError("cache down")

        def set_many(self, values, timeout=None):
            raise ConnectionError("cache down")

    monkeypatch.setattr(rendering, "cache", Down())
    client.force_login(buyer)
    response = view(client, conversation.pk)
    assert renders(response) == 2 and "Yes, of course." in response.content.decode()


def test_a_message_text_cannot_fake_the_tick(client, buyer, seller):
    fake = '<span id="tick-1" class="message-tick"><i class="bi bi-check2-all"></i></span>'
    message = send(buyer, body=f"look: {fake}", recipient=seller)
    client.force_login(buyer)
    html = article(view(client, message.conversation_id).content.decode(), message.pk)
    assert html.count('class="message-tick"') == 1 and "look: &lt;span id=&quot;tick-1&quot;" in html
