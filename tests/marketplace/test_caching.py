"""Cached HTML never holds anything of the visitor (README, "What is cached").

Every page a second person can open is rendered first for Alice, who has private data of
every kind (an invite-only request, unread messages, orders as a buyer and as a seller,
favourites, her own gig, her email), so that every cache on the way is filled by her; then
for Bob and for a visitor who is not signed in. Nothing of Alice's may reach their pages,
and every CSRF token on a page must be its own session's. The list of pages is checked
against the URL resolver, so a new view has to be put in it (or said why not)."""

import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.marketplace.conftest import SECRET_MESSAGE, SECRET_REQUEST

pytestmark = pytest.mark.django_db

# Every GET page someone other than its owner can open, with what its address needs.
PAGES = {
    "home": lambda w: {},
    "gigs:catalog": lambda w: {},
    "gigs:suggest": lambda w: {},
    "gigs:recent": lambda w: {},
    "gigs:section": lambda w: {"section_slug": w.gig.category.parent.slug},
    "gigs:category": lambda w: {"section_slug": w.gig.category.parent.slug, "category_slug": w.gig.category.slug},
    "gigs:detail": lambda w: {"gig_id": w.gig.pk, "slug": w.gig.slug},
    "gigs:detail_short": lambda w: {"gig_id": w.gig.pk},
    "reviews:gig": lambda w: {"gig_id": w.gig.pk},
    "reviews:profile": lambda w: {"username": w.sergey.username},
    "accounts:profile": lambda w: {"username": w.sergey.username},
    "buyer_requests:board": lambda w: {},
    "buyer_requests:detail": lambda w: {"pk": w.carol_request.pk},
    "orders:checkout": lambda w: {"gig_id": w.gig.pk},
    "messaging:start": lambda w: {"username": w.sergey.username},
    "legal:terms": lambda w: {},
    "legal:privacy": lambda w: {},
    "legal:consent": lambda w: {},
    "legal:terms_version": lambda w: {"version": 1},
    "legal:privacy_version": lambda w: {"version": 1},
    "legal:consent_version": lambda w: {"version": 1},
    # Each person's own pages: the same address, their own data.
    "accounts:settings": lambda w: {},
    "accounts:vacation": lambda w: {},
    "accounts:portfolio": lambda w: {},
    "accounts:portfolio_create": lambda w: {},
    "gigs:saved": lambda w: {},
    "gigs:dashboard": lambda w: {},
    "gigs:create": lambda w: {},
    "messaging:inbox": lambda w: {},
    "messaging:settings": lambda w: {},
    "messaging:unread_badge": lambda w: {},
    "buyer_requests:create": lambda w: {},
    "buyer_requests:mine": lambda w: {},
    "buyer_requests:my_offers": lambda w: {},
    "buyer_requests:alerts": lambda w: {},
    "orders:purchases": lambda w: {},
    "orders:sales": lambda w: {},
    "escrow:wallet": lambda w: {},
    "escrow:top_up": lambda w: {},
    "escrow:withdraw": lambda w: {},
    "escrow:card_refund": lambda w: {},
    "escrow:payout_methods": lambda w: {},
    "legal:accept": lambda w: {},
    "notifications:list": lambda w: {},
    "notifications:settings": lambda w: {},
    "account_login": lambda w: {},
    "account_signup": lambda w: {},
    "account_inactive": lambda w: {},
    "account_reauthenticate": lambda w: {},
    "account_email": lambda w: {},
    "account_email_verification_sent": lambda w: {},
    "account_change_password": lambda w: {},
    "account_set_password": lambda w: {},
    "account_reset_password": lambda w: {},
    "account_reset_password_done": lambda w: {},
    "account_reset_password_from_key_done": lambda w: {},
    "account_confirm_login_code": lambda w: {},
}
# Pages of Alice's own objects: Bob and a visitor must get nothing of them at all.
ALICES = {
    "orders:detail": lambda w: {"order_id": w.alice_order.pk},
    "orders:pay": lambda w: {"order_id": w.alice_order.pk},
    "messaging:order_thread": lambda w: {"order_id": w.alice_order.pk},
    "messaging:detail": lambda w: {"pk": w.alice_conversation.pk},
    "messaging:poll": lambda w: {"pk": w.alice_conversation.pk},
    "messaging:older": lambda w: {"pk": w.alice_conversation.pk},
    "messaging:message": lambda w: {"pk": w.alice_conversation.messages.latest("id").pk},
    "buyer_requests:detail": lambda w: {"pk": w.alice_request.pk},
    "buyer_requests:edit": lambda w: {"pk": w.alice_request.pk},
    "buyer_requests:compare": lambda w: {"pk": w.alice_request.pk},
    "gigs:edit": lambda w: {"gig_id": w.alice_gig.pk},
    "notifications:open": lambda w: {"pk": w.alice.notifications.latest("id").pk},
    "accounts:portfolio_edit": lambda w: {"item_id": w.alice_work.pk},
}
# Not pages another person could read, and why.
NOT_PAGES = {
    "healthz": "plain text, the same for everyone",
    "healthz_live": "plain text, the same for everyone",
    "healthz_ready": "JSON for load balancers, the same for everyone, never cached",
    "metrics": "Prometheus text for the scraper only (404 for everyone else)",
    "account_logout": "POST",
    "account_confirm_email": "needs the key from the email",
    "account_reset_password_from_key": "needs the key from the email",
    "accounts:selling": "POST",
    "accounts:portfolio_delete": "POST",
    "accounts:portfolio_move": "POST",
    "reviews:submit": "POST, a party of the order",
    "reviews:reply": "POST",
    "gigs:favorite": "POST",
    "gigs:action": "POST",
    "messaging:check": "POST",
    "messaging:attachment": "a file, parties only (tests/messaging)",
    "messaging:attachment_thumbnail": "a file, parties only (tests/messaging)",
    "messaging:offer_send": "POST",
    "messaging:offer_answer": "POST",
    "buyer_requests:close": "POST",
    "buyer_requests:renew": "POST",
    "buyer_requests:offer_send": "the request's offer form; freelancers (tests/buyer_requests)",
    "buyer_requests:file": "a file, the client and invited freelancers only (tests/buyer_requests)",
    "buyer_requests:offer_edit": "the offer's author only (tests/buyer_requests)",
    "buyer_requests:offer_withdraw": "POST",
    "buyer_requests:offer_accept": "POST",
    "buyer_requests:offer_decline": "POST",
    "buyer_requests:invite": "POST",
    "orders:file": "a file, parties only (tests/orders)",
    "orders:file_thumbnail": "a delivered image's preview, parties only (tests/orders)",
    "orders:action": "POST",
    "escrow:payout_method_remove": "POST",
    "escrow:sandbox_checkout": "the payer's own payment (tests/escrow)",
    "escrow:payment_return": "the payer's own payment (tests/escrow)",
    "escrow:webhook": "POST from the provider",
    "notifications:read_all": "POST",
}


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or (pattern.app_name or "").startswith("socialaccount"):
                continue
            inner = pattern.namespace if not namespace else f"{namespace}:{pattern.namespace}"
            yield from _names(pattern.url_patterns, inner if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if getattr(pattern.callback, "__module__", "").startswith("allauth.socialaccount"):
                continue  # social log-in: redirects to the provider, no page of ours
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_page_of_the_site_is_in_the_two_viewer_test():
    names = {name for name in _names(get_resolver().url_patterns) if not name.startswith(("socialaccount", "mfa"))}
    known = set(PAGES) | set(ALICES) | set(NOT_PAGES)
    assert names - known == set()
    assert known - names == set()


def _browser(person=None) -> Client:
    browser = Client()
    if person is not None:
        browser.force_login(person)
    return browser


# Pages that show something only for a query (a function of the world where it names its rows).
QUERIES = {"gigs:suggest": "?q=flat+lo", "gigs:recent": lambda w: f"?ids={w.gig.pk},{w.alice_gig.pk}"}


def _url(name, kwargs, language, world=None) -> str:
    query = QUERIES.get(name, "")
    with translation.override(language):
        return reverse(name, kwargs=kwargs) + (query(world) if callable(query) else query)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)) | set(
        re.findall(r'"X-CSRFToken": "([^"]+)"', page)
    )


def _secret(browser: Client) -> str | None:
    cookie = browser.cookies.get("csrftoken")
    return cookie.value if cookie else None


def _alice_private(world) -> list[str]:
    return [world.alice.email, SECRET_REQUEST, SECRET_MESSAGE]


def _alice_identity(world) -> list[str]:
    return [world.alice.display_name, world.alice.username]


def _get(browser, url):
    response = browser.get(url)
    return response, (response.content.decode() if response.status_code == 200 else "")


def _assert_own_tokens(page: str, browser: Client, other_secret: str | None):
    for token in _tokens(page):
        secret = _unmask_cipher_token(token)
        assert secret == _secret(browser), "a token that is not this session's"
        assert secret != other_secret


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_nothing_of_alice_reaches_bob_or_a_visitor(world, name, language):
    url = _url(name, PAGES[name](world), language, world)
    alice = _browser(world.alice)
    response, alice_page = _get(alice, url)
    alice_again = alice.get(url)  # her second view: served from whatever the first one cached
    assert alice_again.status_code == response.status_code
    alice_secret = _secret(alice)

    bob = _browser(world.bob)
    visitor = _browser()
    bob_response, bob_page = _get(bob, url)
    visitor_response, visitor_page = _get(visitor, url)
    assert bob_response.status_code < 500 and visitor_response.status_code < 500

    for page, browser in ((bob_page, bob), (visitor_page, visitor)):
        for marker in _alice_private(world):
            assert marker not in page
        for marker in _alice_identity(world):
            # Only what the page shows everyone (her gig's card in a listing) may name her.
            assert marker not in page or marker in visitor_page, marker
        assert "Need your attention" not in page and 'data-testid="unread-count"' not in page
        _assert_own_tokens(page, browser, alice_secret)
    _assert_own_tokens(alice_page, alice, _secret(bob))
    if name == "gigs:detail":
        assert "bi-heart-fill" in alice_page and "bi-heart-fill" not in bob_page
        assert "Bob needs a banner" in bob_page  # Bob's own invite box
    if visitor_response.status_code == 200 and "public" in visitor_response["Cache-Control"]:
        assert _tokens(visitor_page) == set()  # a page any cache may keep holds no token
        assert "Cookie" not in visitor_response.get("Vary", "")
    if bob_page:
        assert bob_response["Cache-Control"] == "private"


@pytest.mark.parametrize("name", sorted(ALICES))
def test_alices_own_pages_show_nothing_to_anyone_else(world, name):
    url = _url(name, ALICES[name](world), "ru", world)
    alice = _browser(world.alice)
    assert alice.get(url, HTTP_HX_REQUEST="true").status_code in (200, 302)  # hers (some lead to her thread)
    for browser in (_browser(world.bob), _browser()):
        response = browser.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code in (286, 302, 403, 404)  # 286: htmx's "stop polling"
        page = response.content.decode()
        for marker in _alice_private(world) + _alice_identity(world):
            assert marker not in page


VISITOR_PAGES = ["home", "gigs:catalog", "gigs:suggest", "gigs:recent", "gigs:section", "gigs:category",
                 "gigs:detail", "reviews:gig", "reviews:profile", "accounts:profile", "legal:terms", "legal:privacy",
                 "legal:consent", "legal:terms_version"]  # fmt: skip


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_a_visitors_browsing_pages_are_public_and_the_same_for_every_visitor(world, name):
    url = _url(name, PAGES[name](world), "ru", world)
    first, second = _browser().get(url), _browser().get(url)
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public") and "Cookie" not in first.get("Vary", "")
    assert first.content == second.content
    assert not first.cookies  # no CSRF cookie, no session, no language cookie


# --- what a request puts on a page is escaped where it lands -----------------------------------

HOSTILE = [
    "chromeSLOTunread4c9", "chromeSTANDINcsrf3a7", "resultsSTANDINcsrf7b3", "writeSTANDINcsrf8d3",
    '"><script>alert(1)</script>', "{{ 7|add:1 }}", "{% csrf_token %}", "</textarea><b>x</b>",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("signed_in", [False, True])
def test_search_words_and_addresses_render_escaped_in_place(world, value, signed_in):
    browser = _browser(world.alice if signed_in else None)
    for path in ("/", "/catalog/", f"/gig/{world.gig.pk}/{world.gig.slug}/", "/requests/", "/messages/"):
        response = browser.get(path, {"q": value, "ref": value})
        if response.status_code != 200:
            continue
        page = response.content.decode()
        assert "<script>alert(1)" not in page and "<b>x</b>" not in page
        assert 'data-testid="unread-count"' not in page.split('id="header-q"', 1)[1].split(">", 1)[0]
        value_attr = re.search(r'id="header-q"[^>]*value="([^"]*)"', page, re.S).group(1)
        from django.utils.html import escape

        assert value_attr == escape(value)
        if value == "{% csrf_token %}":
            assert "{% csrf_token %}" in page  # left as text, never run


def test_seller_text_is_shown_as_written_whoever_reads_it(world):
    text = " ".join([*HOSTILE, "__page-cache-csrf-token__"])
    world.gig.description = f"Portfolio notes: {text} and more text to make it long enough to be a description."
    world.gig.save()
    url = f"/gig/{world.gig.pk}/{world.gig.slug}/"
    pages = [_browser(person).get(url).content.decode() for person in (None, world.alice, None, world.bob)]
    for page in pages:
        description = page.split('class="gig-description"', 1)[1].split("</div>", 1)[0]
        for word in ("chromeSLOTunread4c9", "chromeSTANDINcsrf3a7", "page-cache-csrf-token", "{% csrf_token %}"):
            assert word in description  # never replaced by anything
        assert "<script>" not in description
    assert pages[0] == pages[2]


# --- forgetting reaches every process --------------------------------------------------------


class _Process:
    """One web process: its own "local" cache, the shared one in common."""

    def __init__(self, name):
        self.local = LocMemCache(f"test-process-{name}", {})

    def __enter__(self):
        self._saved = caches["local"]
        caches["local"] = self.local
        return self

    def __exit__(self, *exc):
        caches["local"] = self._saved


def test_a_category_rename_in_one_process_is_seen_by_the_next_request_to_another(world):
    one, two = _Process("one"), _Process("two")
    category = world.gig.category
    with two:
        assert category.name_ru in _browser().get("/catalog/").content.decode()  # cached in two
    with one:
        _browser().get("/catalog/")
        category.name_ru = "Переименованная категория"
        category.save()
    with two:
        page = _browser().get("/catalog/").content.decode()
    assert "Переименованная категория" in page


def test_starting_to_sell_in_one_process_shows_in_the_header_of_another(world):
    one, two = _Process("one"), _Process("two")
    carol = _browser(world.carol)
    with two:
        assert "/orders/sales/" not in carol.get("/").content.decode()
    with one:
        assert carol.post("/settings/selling/", {"action": "on"}).status_code == 302
    with two:
        assert "/orders/sales/" in carol.get("/").content.decode()


def test_a_sellers_new_name_reaches_the_gig_page_in_another_process(world):
    one, two = _Process("one"), _Process("two")
    url = f"/gig/{world.gig.pk}/{world.gig.slug}/"
    with two:
        _browser().get(url)
    with one:
        profile = world.sergey.profile
        profile.display_name = "Sergey the Designer"
        profile.save()
    with two:
        assert "Sergey the Designer" in _browser().get(url).content.decode()


def test_the_two_people_of_a_conversation_share_no_fragment_of_the_others(world):
    """The thread's messages are cached per message and side: what only the sender sees (their
    contacts unmasked, the notice that they are hidden, the read tick) never reaches the
    other person's page, nor do their tokens. (Bob and Sergey have no paid order: contacts
    are masked for the recipient.)"""
    from messaging.services import message_send

    message = message_send(sender=world.bob, recipient=world.sergey, body="Call me at +7 916 123-45-67 tonight",
                           confirm_contacts=True)  # fmt: skip
    url = f"/messages/{message.conversation_id}/"
    bob, sergey = _browser(world.bob), _browser(world.sergey)
    for _ in range(2):  # the second time from the cached fragments
        bob_page = bob.get(url).content.decode()
        sergey_page = sergey.get(url).content.decode()
        assert "123-45-67" in bob_page and "123-45-67" not in sergey_page
        assert "bi-eye-slash" in bob_page and "bi-eye-slash" not in sergey_page  # "hidden from the recipient"
        assert f'id="tick-{message.pk}"' in bob_page and f'id="tick-{message.pk}"' not in sergey_page
        _assert_own_tokens(sergey_page, sergey, _secret(bob))
        _assert_own_tokens(bob_page, bob, _secret(sergey))


def test_a_category_rename_reaches_the_side_panel_of_another_process(world):
    one, two = _Process("one"), _Process("two")
    section = world.gig.category.parent
    with two:
        assert section.name_ru in _browser().get("/catalog/").content.decode()
    with one:
        section.name_ru = "Раздел с новым именем"
        section.save()
    with two:
        panel = _browser().get("/catalog/").content.decode().split('class="catalog-filters"', 1)[1]
    assert "Раздел с новым именем" in panel.split("</aside>", 1)[0]
