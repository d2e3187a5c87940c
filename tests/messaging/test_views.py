import re

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from messaging import display, services
from messaging.models import Conversation, Message, MessagingPreference
from tests.factories import UserFactory
from tests.images import decompression_bomb_png, image_bytes, upload
from tests.messaging.conftest import send
from tests.orders import flow

pytestmark = pytest.mark.django_db

PHONE = "+7 916 123-45-67"


def page(response) -> str:
    return response.content.decode()


# --- access --------------------------------------------------------------------------------------


def _urls(conversation, message, attachment):
    return [
        reverse("messaging:detail", args=[conversation.pk]),
        reverse("messaging:poll", args=[conversation.pk]) + "?after=0",
        reverse("messaging:older", args=[conversation.pk]) + "?before=999999",
        reverse("messaging:message", args=[message.pk]),
        reverse("messaging:attachment", args=[attachment.pk]),
        reverse("messaging:attachment_thumbnail", args=[attachment.pk]),
    ]


@pytest.fixture
def with_image(conversation, buyer):
    message = send(buyer, body="A sketch", files=[upload(image_bytes("PNG"), "sketch.png")],
                   conversation_id=conversation.pk)  # fmt: skip
    return message, message.attachments.get()


def test_the_two_people_can_open_everything(client, conversation, buyer, seller, with_image):
    message, attachment = with_image
    for person in (buyer, seller):
        client.force_login(person)
        for url in _urls(conversation, message, attachment):
            response = client.get(url, HTTP_HX_REQUEST="true")
            assert response.status_code in (200, 204, 302), url


def test_another_user_gets_404_on_conversation_message_and_attachment(client, conversation, stranger, with_image):
    message, attachment = with_image
    client.force_login(stranger)
    for url in _urls(conversation, message, attachment):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404, url
    response = client.post(reverse("messaging:detail", args=[conversation.pk]), {"body": "let me in"})
    assert response.status_code == 404
    assert not Message.objects.filter(sender=stranger).exists()


def test_logged_out_user_is_sent_to_log_in(client, conversation, with_image, buyer):
    message, attachment = with_image
    urls = [
        *_urls(conversation, message, attachment),
        reverse("messaging:inbox"),
        reverse("messaging:settings"),
        reverse("messaging:unread_badge"),
        reverse("messaging:start", args=[buyer.username]),
    ]
    login = reverse("account_login")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url


def test_logged_out_contact_check_is_refused(client, seller):
    response = client.post(reverse("messaging:check"), {"body": "пиши в телегу", "to": seller.username})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    htmx = client.post(reverse("messaging:check"), {"body": "x", "to": seller.username}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 286


def test_a_logged_out_poll_stops_polling_instead_of_swapping_the_login_page(client, conversation):
    response = client.get(reverse("messaging:poll", args=[conversation.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and response.content == b""


def test_staff_read_any_conversation_with_the_original_text_but_cannot_write(client, buyer, seller):
    send(buyer, body=f"call me {PHONE}", recipient=seller, confirm_contacts=True)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    conversation = Conversation.objects.get()
    response = client.get(reverse("messaging:detail", args=[conversation.pk]))
    assert PHONE in page(response) and 'id="composer"' not in page(response)
    assert client.post(reverse("messaging:detail", args=[conversation.pk]), {"body": "x"}).status_code == 404


def test_private_files_are_not_under_the_public_media_url(client, with_image):
    _message, attachment = with_image
    assert attachment.file.name.startswith("private/")
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_attachment_download_headers(client, buyer, seller):
    message = send(buyer, body="", files=[upload(b"<html><script>x</script>", "page.html", "text/html")],
                   recipient=seller)  # fmt: skip
    client.force_login(seller)
    response = client.get(reverse("messaging:attachment", args=[message.attachments.get().pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"<html><script>x</script>"


# --- rendering -------------------------------------------------------------------------------------


def test_html_and_script_render_as_text_and_the_page_has_a_csp(client, buyer, seller):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    message = send(buyer, body=payload, recipient=seller)
    client.force_login(seller)
    response = client.get(reverse("messaging:detail", args=[message.conversation_id]))
    html = page(response)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_links_are_clickable_and_marked_external(client, buyer, seller):
    body = 'See https://example.com/a?b=1&c=2 (and www.behance.net/ivan). Or https://x.example/"onmouseover="alert(1)'
    send(buyer, body=body, recipient=seller)
    client.force_login(seller)
    html = page(client.get(reverse("messaging:detail", args=[Conversation.objects.get().pk])))
    link = re.search(r'<a href="https://example.com/a\?b=1&amp;c=2"[^>]*>', html)
    assert link and 'rel="nofollow noopener ugc"' in link.group() and 'target="_blank"' in link.group()
    assert '<a href="https://www.behance.net/ivan"' in html  # the ")." after it stays text
    assert "(external link)" in html
    # A quote ends the link; the rest is text, not an attribute.
    assert '<a href="https://x.example/"' in html and "&quot;onmouseover=&quot;alert(1)" in html


# --- off-platform protection ------------------------------------------------------------------------


def test_sender_is_warned_before_sending_and_can_send_anyway(client, buyer, seller):
    client.force_login(buyer)
    url = reverse("messaging:start", args=[seller.username])
    text = f"My phone is {PHONE}, call me"
    response = client.post(url, {"body": text})
    assert response.status_code == 200
    html = page(response)
    assert 'data-testid="contacts-warning"' in html and "a phone number" in html
    assert text in html  # the text is kept for editing
    assert not Message.objects.exists()
    response = client.post(url, {"body": text, "confirm": "1"})
    assert response.status_code == 302
    assert Message.objects.get().body == text


def test_recipient_sees_the_mask_until_a_paid_order_exists(client, buyer, gig):
    seller = gig.seller
    client.force_login(buyer)
    client.post(reverse("messaging:start", args=[seller.username]), {"body": f"Call {PHONE}", "confirm": "1"})
    conversation = Conversation.objects.get()
    url = reverse("messaging:detail", args=[conversation.pk])

    html = page(client.get(url))  # the sender sees what they wrote, and a notice
    assert PHONE in html and "hidden from the recipient" in html

    client.force_login(seller)
    html = page(client.get(url))
    assert PHONE not in html and "916" not in html and "masked-contact" in html
    inbox = page(client.get(reverse("messaging:inbox")))
    assert "916" not in inbox and "•••" in inbox

    flow.paid(gig, buyer)  # the mask lifts, for the old message too
    html = page(client.get(url))
    assert PHONE in html and "masked-contact" not in html
    assert PHONE in page(client.get(reverse("messaging:inbox")))


def test_live_contact_check(client, buyer, gig):
    client.force_login(buyer)
    url = reverse("messaging:check")
    response = client.post(url, {"body": "пиши в телегу", "to": gig.seller.username}, HTTP_HX_REQUEST="true")
    assert "a messenger contact" in page(response) and 'name="confirm"' in page(response)
    assert page(client.post(url, {"body": "Hello there", "to": gig.seller.username})).strip() == ""
    flow.paid(gig, buyer)
    assert page(client.post(url, {"body": "пиши в телегу", "to": gig.seller.username})).strip() == ""


# --- sending and attachments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: upload(b"MZ" + b"\0" * 100, "setup.exe", "application/x-msdownload"), "programs and scripts"),
        (lambda: upload(b"x" * 4096, "huge.zip", "application/zip"), "is too large"),
        (lambda: upload(decompression_bomb_png(), "bomb.png"), "megapixels"),
    ],
    ids=["executable", "too-large", "decompression-bomb"],
)
def test_bad_attachment_is_refused_and_the_text_is_kept(client, conversation, buyer, settings, make, error):
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 2048
    client.force_login(buyer)
    before = Message.objects.count()
    response = client.post(
        reverse("messaging:detail", args=[conversation.pk]),
        {"body": "Here is my carefully written brief", "files": [make()]},
    )
    assert response.status_code == 400
    html = page(response)
    assert error in html and "Here is my carefully written brief" in html and "is-invalid" in html
    assert Message.objects.count() == before


def test_send_with_image_and_see_the_thumbnail(client, conversation, seller):
    client.force_login(seller)
    response = client.post(
        reverse("messaging:detail", args=[conversation.pk]),
        {"body": "The first draft", "files": [upload(image_bytes("JPEG"), "draft.jpg", "image/jpeg")]},
    )
    message = Message.objects.latest("id")
    assert response["Location"] == reverse("messaging:detail", args=[conversation.pk]) + f"#m{message.pk}"
    attachment = message.attachments.get()
    html = page(client.get(response["Location"]))
    assert reverse("messaging:attachment_thumbnail", args=[attachment.pk]) in html
    image = client.get(reverse("messaging:attachment", args=[attachment.pk]))
    assert image["Content-Type"] == "image/jpeg" and image["X-Content-Type-Options"] == "nosniff"


def test_rate_limit_shows_a_clear_error_and_keeps_the_text(client, conversation, buyer, settings):
    settings.MESSAGING_RATE_LIMIT_COUNT = 3  # the buyer already wrote once in this minute
    client.force_login(buyer)
    url = reverse("messaging:detail", args=[conversation.pk])
    assert client.post(url, {"body": "one"}).status_code == 302
    assert client.post(url, {"body": "two"}).status_code == 302
    response = client.post(url, {"body": "three, typed with care"})
    assert response.status_code == 429
    assert "too fast" in page(response) and "three, typed with care" in page(response)


def test_contact_seller_from_a_gig_quotes_the_gig(client, buyer, gig):
    client.force_login(buyer)
    start = reverse("messaging:start", args=[gig.seller.username])
    html = page(client.get(f"{start}?gig={gig.pk}"))
    assert gig.title in html and f'value="{gig.pk}"' in html
    client.post(start, {"body": "Is the flat style possible?", "gig": gig.pk})
    message = Message.objects.get()
    assert message.gig == gig
    # Once the conversation exists, the same link opens it, still quoting the gig.
    response = client.get(f"{start}?gig={gig.pk}")
    assert response["Location"] == reverse("messaging:detail", args=[message.conversation_id]) + f"?gig={gig.pk}"
    html = page(client.get(response["Location"]))
    assert "Is the flat style possible?" in html and "About the service" in html


def test_start_with_yourself_or_an_unknown_user(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("messaging:start", args=[buyer.username]))["Location"] == reverse("messaging:inbox")
    assert client.get(reverse("messaging:start", args=["nobody-here"])).status_code == 404


# --- order threads --------------------------------------------------------------------------------------


def test_order_thread_shows_events_in_each_readers_language(client, buyer, gig, monkeypatch):
    seller = gig.seller
    seller.language = "ru"
    seller.save()
    order = flow.delivered(gig, buyer)
    for event in order.events.all():
        services.order_thread_post_event(order=order, event=event)
    # Tag every system line with the language it was rendered in: the line stores only the
    # event, so its text must come out in each reader's own language.
    monkeypatch.setattr(display, "_", lambda text: f"[{translation.get_language()}] {text}")
    client.force_login(buyer)
    response = client.get(reverse("messaging:order_thread", args=[order.pk]))
    thread_url = response["Location"]
    assert thread_url == reverse("messaging:detail", args=[Conversation.objects.get(order=order).pk])
    html = page(client.get(thread_url))
    assert "[en] The seller delivered the work" in html and "[en] The order is paid" in html
    client.force_login(seller)
    html = page(client.get(thread_url.removeprefix("/en")))  # the seller reads the Russian site
    assert "[ru] The seller delivered the work" in html and "[en]" not in html


def test_order_thread_first_message_and_access(client, buyer, gig, stranger):
    order = flow.paid(gig, buyer)
    url = reverse("messaging:order_thread", args=[order.pk])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "hi"}).status_code == 404
    client.force_login(gig.seller)
    response = client.post(url, {"body": "Send me the brand book, please"})
    conversation = Conversation.objects.get(order=order)
    assert response.status_code == 302
    assert conversation.messages.filter(sender=gig.seller).get().body == "Send me the brand book, please"
    assert conversation.messages.filter(system_kind="paid").exists()  # the order's events are in the thread
    assert client.get(url)["Location"] == reverse("messaging:detail", args=[conversation.pk])


def test_order_page_panel_lists_messages_and_posts_back(client, buyer, gig, rf):
    order = flow.paid(gig, buyer)
    send(buyer, body="Logo for Acme, please", order_id=order.pk)
    request = RequestFactory().get(reverse("orders:detail", args=[order.pk]))
    request.user = gig.seller
    html = Template("{% load messaging %}{% order_thread_panel order %}").render(
        RequestContext(request, {"order": order})
    )
    assert "Logo for Acme, please" in html and "The order is paid" in html
    assert reverse("messaging:order_thread", args=[order.pk]) in html
    assert 'badge rounded-pill text-bg-danger">1<' in html
    client.force_login(gig.seller)
    back = reverse("orders:detail", args=[order.pk]) + "#order-thread"
    response = client.post(reverse("messaging:order_thread", args=[order.pk]), {"body": "On it", "next": back})
    assert response["Location"] == back
    evil = client.post(
        reverse("messaging:order_thread", args=[order.pk]), {"body": "Again", "next": "https://evil.example/"}
    )
    assert evil["Location"].startswith(reverse("messaging:detail", args=[Conversation.objects.get(order=order).pk]))


# --- live updates and pages ---------------------------------------------------------------------------------


def test_poll_brings_new_messages_marks_them_read_and_updates_ticks(client, conversation, buyer, seller):
    last = conversation.messages.latest("id")
    poll = reverse("messaging:poll", args=[conversation.pk])
    client.force_login(buyer)
    assert client.get(f"{poll}?after={last.pk}&seen={last.pk}", HTTP_HX_REQUEST="true").status_code == 204

    mine = send(buyer, body="Do you have a deadline?", conversation_id=conversation.pk)
    theirs = send(seller, body="Friday works", conversation_id=conversation.pk)
    response = client.get(f"{poll}?after={mine.pk}&seen={last.pk}", HTTP_HX_REQUEST="true")
    html = page(response)
    assert response.status_code == 200 and "Friday works" in html and "Do you have a deadline?" not in html
    assert f"after={theirs.pk}" in html  # the next poll asks for what comes after
    assert conversation.participants.get(user=buyer).last_read_id == theirs.pk

    # The seller's tab learns that the buyer read their message: its tick turns into "read".
    client.force_login(seller)
    html = page(client.get(f"{poll}?after={theirs.pk}&seen=0", HTTP_HX_REQUEST="true"))
    assert f'id="tick-{theirs.pk}" class="message-tick" data-hx-swap-oob="true"' in html and "check2-all" in html


def test_long_thread_shows_the_newest_page_and_loads_older(client, buyer, seller, settings):
    settings.MESSAGING_RATE_LIMIT_COUNT = 1000
    settings.MESSAGING_THREAD_PAGE_SIZE = 10
    first = send(buyer, body="message 0", recipient=seller)
    for n in range(1, 25):
        send(buyer, body=f"message {n}", conversation_id=first.conversation_id)
    client.force_login(seller)
    html = page(client.get(reverse("messaging:detail", args=[first.conversation_id])))
    assert "message 24" in html and "message 15" in html and "message 14<" not in html
    assert "Load older messages" in html
    oldest_shown = Message.objects.get(body="message 15").pk
    older = page(client.get(reverse("messaging:older", args=[first.conversation_id]) + f"?before={oldest_shown}",
                            HTTP_HX_REQUEST="true"))  # fmt: skip
    assert "message 14" in older and "message 5" in older and "message 4<" not in older
    assert "Load older messages" in older
    without_js = client.get(reverse("messaging:older", args=[first.conversation_id]) + f"?before={oldest_shown}")
    assert "message 14" in page(client.get(without_js["Location"]))


def test_message_permalink_opens_its_page(client, buyer, seller, settings):
    settings.MESSAGING_THREAD_PAGE_SIZE = 3
    first = send(buyer, body="the very first", recipient=seller)
    for n in range(5):
        send(buyer, body=f"later {n}", conversation_id=first.conversation_id)
    client.force_login(seller)
    response = client.get(reverse("messaging:message", args=[first.pk]))
    assert response["Location"].endswith(f"?before={first.pk + 1}#m{first.pk}")
    assert "the very first" in page(client.get(response["Location"]))


def test_inbox_lists_conversations_with_unread_counts_and_search(client, buyer, seller, stranger):
    send(buyer, body="Logo question", recipient=seller)
    send(buyer, body="Another logo question", recipient=seller)
    send(stranger, body="Banner for a bakery", recipient=seller, confirm_contacts=True)
    send(stranger, body="write me: mallory@example.com", recipient=seller, confirm_contacts=True)
    client.force_login(seller)
    html = page(client.get(reverse("messaging:inbox")))
    assert html.count('data-testid="inbox-row"') == 2
    assert re.search(r'title="Unread">2<', html)
    assert html.index("mallory") < html.index("ivan")  # newest first
    assert page(client.get(reverse("messaging:inbox"), {"q": "bakery"})).count('data-testid="inbox-row"') == 1
    assert page(client.get(reverse("messaging:inbox"), {"q": "ivan"})).count('data-testid="inbox-row"') == 1
    # Hidden contacts cannot be found by the person they are hidden from.
    assert "Nothing found" in page(client.get(reverse("messaging:inbox"), {"q": "mallory@example"}))


def test_inbox_empty_state(client, buyer):
    client.force_login(buyer)
    assert "No messages yet" in page(client.get(reverse("messaging:inbox")))


def test_unread_badge_and_header_link(client, conversation, buyer, seller):
    send(seller, body="ping", conversation_id=conversation.pk)
    client.force_login(buyer)
    badge = page(client.get(reverse("messaging:unread_badge"), HTTP_HX_REQUEST="true"))
    assert 'data-testid="unread-count">2<' in badge and 'data-hx-trigger="every 20s"' in badge
    request = RequestFactory().get("/")
    request.user = buyer
    html = Template('{% include "messaging/_header_link.html" %}').render(RequestContext(request, {"user": buyer}))
    assert reverse("messaging:inbox") in html and ">2<" in html
    client.get(reverse("messaging:detail", args=[conversation.pk]))  # reading clears it
    assert "unread-count" not in page(client.get(reverse("messaging:unread_badge")))


def test_settings_page_turns_emails_off(client, buyer):
    client.force_login(buyer)
    assert "Email me about new messages" in page(client.get(reverse("messaging:settings")))
    response = client.post(reverse("messaging:settings"), {})
    assert response.status_code == 302
    assert MessagingPreference.objects.get(user=buyer).email_notifications is False
    client.post(reverse("messaging:settings"), {"email_notifications": "on"})
    assert MessagingPreference.objects.get(user=buyer).email_notifications is True


# --- bounded queries ---------------------------------------------------------------------------------------


def _conversations_for(person, count):
    for n in range(count):
        other = UserFactory()
        message = send(other, body=f"hello {n} from {other.username}", recipient=person)
        send(person, body=f"reply {n}", conversation_id=message.conversation_id)


def test_inbox_query_count_is_bounded(client, seller, django_assert_max_num_queries, settings):
    settings.MESSAGING_RATE_LIMIT_COUNT = 1000
    client.force_login(seller)
    _conversations_for(seller, 3)
    client.get(reverse("messaging:inbox"))  # warm the shared cache (the header's category menu)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("messaging:inbox"))
    _conversations_for(seller, 25)
    with django_assert_max_num_queries(10) as large:
        assert page(client.get(reverse("messaging:inbox"))).count('data-testid="inbox-row"') == 20
    assert len(large.captured_queries) == len(small.captured_queries)


def test_thread_query_count_is_bounded(client, buyer, gig, django_assert_max_num_queries, settings):
    """A page of 5 messages and a full page of 30 cost the same queries: on the first view
    (the read mark moves, the new fragments are rendered with their attachments) and again
    once everything is cached (neither happens)."""
    settings.MESSAGING_RATE_LIMIT_COUNT = 1000
    order = flow.paid(gig, buyer)
    services.order_thread_post_event(order=order, event=order.events.get(kind="paid"))
    conversation = Conversation.objects.get(order=order)

    def add(n):
        for i in range(n):
            files = [upload(b"data", f"f{i}.txt", "text/plain")] if i % 3 == 0 else []
            send(buyer if i % 2 else gig.seller, body=f"text {i}", files=files, conversation_id=conversation.pk,
                 gig_id=gig.pk if i % 5 == 0 else None)  # fmt: skip

    def writes(context):
        statements = [q["sql"].lstrip() for q in context.captured_queries]
        return [sql for sql in statements if not sql.upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))]

    client.force_login(buyer)
    url = reverse("messaging:detail", args=[conversation.pk])
    client.get(reverse("messaging:inbox"))  # warm the shared cache (the header's category menu)
    add(5)
    with django_assert_max_num_queries(10) as small_first:
        client.get(url)
    with django_assert_max_num_queries(8) as small_again:
        client.get(url)
    add(35)
    with django_assert_max_num_queries(10) as large_first:
        assert page(client.get(url)).count('class="message message-') == 30
    with django_assert_max_num_queries(8) as large_again:
        client.get(url)
    assert len(large_first.captured_queries) == len(small_first.captured_queries)
    assert len(large_again.captured_queries) == len(small_again.captured_queries) < len(small_first.captured_queries)
    # Thirty unread messages are marked read with one UPDATE; a page read already writes nothing.
    assert len(writes(large_first)) == 1 and writes(large_first)[0].startswith('UPDATE "messaging_participant"')
    assert writes(large_again) == []
    # The live parts share the cached fragments: a poll bringing fifty messages, older pages.
    for live, most in (
        (reverse("messaging:poll", args=[conversation.pk]) + "?after=0&seen=0", 7),
        (reverse("messaging:older", args=[conversation.pk]) + f"?before={conversation.messages.latest('id').pk}", 5),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(live, HTTP_HX_REQUEST="true").status_code == 200
