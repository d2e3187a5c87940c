from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buyer_requests import services
from buyer_requests.models import BuyerRequest, Invitation, Offer, RequestAlert, RequestFile
from orders.models import Order
from tests.buyer_requests.conftest import active, offered, posted
from tests.buyer_requests.conftest import request_data as request_data_for
from tests.factories import CategoryFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db

S = BuyerRequest.Status


def login(client, user):
    client.force_login(user)
    return client


def form_data(cat, **overrides) -> dict:
    data = {
        "title": "A logo for a coffee shop",
        "description": "We open a small coffee shop and need a simple, warm logo for cups, the sign and social media.",
        "category": str(cat.pk),
        "budget_min": "3000",
        "budget_max": "7000",
        "desired_deadline": "",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def offer_form(**overrides) -> dict:
    data = {"message": "Hello! I will make three concepts and polish one.", "price": "5000", "delivery_days": "5",
            "revisions": "2", "gig": ""}  # fmt: skip
    data.update(overrides)
    return data


# --- posting a request ------------------------------------------------------------------------------------


def test_post_a_request_with_a_file(client, client_user, category):
    login(client, client_user)
    data = form_data(category)
    data["attachments"] = [SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief", content_type="application/pdf")]
    response = client.post(reverse("buyer_requests:create"), data)
    buyer_request = BuyerRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "buyer_requests:detail", args=[buyer_request.pk]
    )
    assert buyer_request.status == S.PENDING and buyer_request.client == client_user
    assert buyer_request.files.get().name == "brief.pdf"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"budget_min": "499", "budget_max": ""}, "budget_min", "minimum budget is 500"),
        ({"budget_min": "5000", "budget_max": "4000"}, "budget_max", "cannot be below"),
        ({"budget_min": "five thousand"}, "budget_min", "Enter a number"),
        ({"budget_max": "lots"}, "budget_max", "Enter a number"),
        ({"title": "x" * 500}, "title", "at most 100 characters"),
        ({"category": "999999"}, "category", "Select a valid choice"),
        ({"desired_deadline": "2001-01-01"}, "desired_deadline", "in the past"),
    ],
    ids=["below-500", "min-above-max", "text-budget", "text-budget-max", "long-title", "bad-category", "past-date"],
)
def test_request_form_errors_save_nothing(client, client_user, category, change, field, message):
    login(client, client_user)
    response = client.post(reverse("buyer_requests:create"), form_data(category, **change))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not BuyerRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("setup.exe", b"MZ...", "cannot be attached"), ("empty.txt", b"", "empty")],
    ids=["executable", "empty"],
)
def test_bad_attachment_is_a_form_error_and_saves_nothing(client, client_user, category, name, content, message):
    login(client, client_user)
    data = form_data(category)
    data["attachments"] = [SimpleUploadedFile(name, content)]
    response = client.post(reverse("buyer_requests:create"), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["attachments"])
    assert not BuyerRequest.objects.exists() and not RequestFile.objects.exists()


def test_too_large_attachment_is_refused(client, client_user, category, settings):
    settings.ORDER_FILE_MAX_BYTES = 10
    login(client, client_user)
    data = form_data(category)
    data["attachments"] = [SimpleUploadedFile("big.pdf", b"x" * 11)]
    response = client.post(reverse("buyer_requests:create"), data)
    assert "too large" in str(response.context["form"].errors["attachments"])
    assert not BuyerRequest.objects.exists()


def test_anonymous_cannot_post_or_see_the_board(client):
    for name in ("buyer_requests:create", "buyer_requests:board", "buyer_requests:mine", "buyer_requests:alerts"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_edit_allowed_for_the_client_and_404_for_others(client, client_user, category, freelancer):
    buyer_request = active(client_user, category)
    url = reverse("buyer_requests:edit", args=[buyer_request.pk])
    assert login(client, freelancer).get(url).status_code == 404
    assert client.post(url, form_data(category, title="Somebody else's title")).status_code == 404
    login(client, client_user)
    page = client.get(url)
    assert page.status_code == 200 and "A logo for a coffee shop" in page.content.decode()
    response = client.post(url, form_data(category, title="A logo for a tea shop instead"))
    assert response.status_code == 302
    buyer_request.refresh_from_db()
    assert buyer_request.title == "A logo for a tea shop instead" and buyer_request.status == S.PENDING


def test_edit_removes_and_adds_files(client, client_user, category):
    buyer_request = posted(client_user, category)
    item = RequestFile.objects.create(request=buyer_request, name="old.txt", size=3, file="private/requests/x.txt")
    login(client, client_user)
    data = form_data(category, delete_files=[str(item.pk)])
    data["attachments"] = [SimpleUploadedFile("new.txt", b"new")]
    assert client.post(reverse("buyer_requests:edit", args=[buyer_request.pk]), data).status_code == 302
    assert list(buyer_request.files.values_list("name", flat=True)) == ["new.txt"]


def test_close_and_renew_allowed_for_the_client_and_404_for_others(client, client_user, category, freelancer):
    buyer_request = active(client_user, category)
    close_url = reverse("buyer_requests:close", args=[buyer_request.pk])
    renew_url = reverse("buyer_requests:renew", args=[buyer_request.pk])
    assert login(client, freelancer).post(close_url).status_code == 404
    login(client, client_user)
    assert client.post(close_url).status_code == 302
    buyer_request.refresh_from_db()
    assert buyer_request.status == S.CLOSED
    assert login(client, freelancer).post(renew_url).status_code == 404
    assert login(client, client_user).post(renew_url).status_code == 302
    buyer_request.refresh_from_db()
    assert buyer_request.status == S.ACTIVE


def test_my_requests_lists_only_mine(client, client_user, category):
    mine = active(client_user, category)
    theirs = active(UserFactory(), category, title="Somebody else's request")
    page = login(client, client_user).get(reverse("buyer_requests:mine")).content.decode()
    assert mine.title in page and theirs.title not in page


# --- the board and the request page ----------------------------------------------------------------------


def test_board_shows_requests_counts_and_the_quota(client, client_user, category, freelancer, other_freelancer):
    buyer_request = active(client_user, category)
    offered(buyer_request, other_freelancer)
    hidden = active(client_user, category, title="Invited people only here", visibility="invited")
    response = login(client, freelancer).get(reverse("buyer_requests:board"))
    page = response.content.decode()
    assert response.status_code == 200
    assert buyer_request.title in page and hidden.title not in page
    assert "1 offer" in page
    assert "5 of 5 offers left today" in page


def test_board_htmx_returns_the_results_only(client, client_user, category, freelancer):
    active(client_user, category, title="A logo for a bakery")
    active(client_user, category, title="A website for a dentist")
    login(client, freelancer)
    response = client.get(
        reverse("buyer_requests:board"), {"q": "bakery"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board-results"
    )
    page = response.content.decode()
    assert "<html" not in page and "A logo for a bakery" in page and "dentist" not in page


def test_board_ignores_bad_filter_values(client, client_user, category, freelancer):
    active(client_user, category)
    response = login(client, freelancer).get(
        reverse("buyer_requests:board"), {"budget_min": "abc", "category": "x", "sort": "evil", "page": "zz"}
    )
    assert response.status_code == 200 and "A logo for a coffee shop" in response.content.decode()


def test_board_queries_are_bounded(client, freelancer, django_assert_max_num_queries):
    login(client, freelancer)
    client.get(reverse("buyer_requests:board"))  # warm the site-wide caches (menus)
    counts = []
    for n in (1, 25):
        for i in range(n):
            buyer_request = active(UserFactory(), CategoryFactory(), title=f"Request number {n}-{i} on the board")
            offered(buyer_request, SellerFactory())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("buyer_requests:board"))
        assert response.status_code == 200 and f"Request number {n}-{n - 1} on the board" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts  # the same queries for 1 request or a full page
    with django_assert_max_num_queries(20):
        client.get(reverse("buyer_requests:board"))


def test_request_page_allowed_for_freelancers_and_404_for_hidden_ones(client, client_user, category, freelancer):
    public = active(client_user, category)
    pending = posted(client_user, category, title="Still on moderation")
    login(client, freelancer)
    page = client.get(reverse("buyer_requests:detail", args=[public.pk]))
    assert page.status_code == 200 and "Send an offer" in page.content.decode()
    assert client.get(reverse("buyer_requests:detail", args=[pending.pk])).status_code == 404


def test_send_an_offer_through_the_page(client, live_request, freelancer):
    login(client, freelancer)
    response = client.post(reverse("buyer_requests:offer_send", args=[live_request.pk]), offer_form())
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.freelancer == freelancer and offer.price.amount == Decimal("5000")
    page = client.get(reverse("buyer_requests:detail", args=[live_request.pk])).content.decode()
    assert "Your offer" in page and "Withdraw" in page


def test_offer_form_errors_and_quota_refusal_are_shown(client, client_user, category, freelancer, settings):
    settings.REQUESTS_OFFER_QUOTAS = {"new": 1}
    first, second = active(client_user, category), active(client_user, category, title="Second request here")
    login(client, freelancer)
    bad = client.post(reverse("buyer_requests:offer_send", args=[first.pk]), offer_form(price="100"))
    assert bad.status_code == 200 and "price is from 500" in bad.content.decode()
    client.post(reverse("buyer_requests:offer_send", args=[first.pk]), offer_form())
    refused = client.post(reverse("buyer_requests:offer_send", args=[second.pk]), offer_form())
    assert "all 1 offers for today" in refused.content.decode()
    assert Offer.objects.count() == 1


def test_offer_to_an_invited_only_request_is_404_for_the_uninvited(client, client_user, category, freelancer):
    buyer_request = active(client_user, category, visibility="invited")
    login(client, freelancer)
    assert client.post(reverse("buyer_requests:offer_send", args=[buyer_request.pk]), offer_form()).status_code == 404
    assert not Offer.objects.exists()


# --- privacy of offers ------------------------------------------------------------------------------------


def test_only_the_client_sees_offer_details_another_freelancer_only_the_count(
    client, live_request, client_user, freelancer, other_freelancer
):
    offered(live_request, freelancer, message="My secret plan: three concepts for 5000.", price=Decimal("5123"))
    detail = reverse("buyer_requests:detail", args=[live_request.pk])
    compare = reverse("buyer_requests:compare", args=[live_request.pk])

    other_page = login(client, other_freelancer).get(detail).content.decode()
    assert "My secret plan" not in other_page and "5,123" not in other_page
    assert 'data-testid="offers-count">1<' in other_page
    assert client.get(compare).status_code == 404

    own_page = login(client, freelancer).get(detail).content.decode()
    assert "My secret plan" in own_page
    assert client.get(compare).status_code == 404  # even the offer's author sees only their own

    client_page = login(client, client_user).get(compare)
    assert client_page.status_code == 200 and "My secret plan" in client_page.content.decode()
    assert "5,123" in client_page.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [("offer_edit", "get"), ("offer_edit", "post"), ("offer_withdraw", "post"), ("offer_accept", "post"),
     ("offer_decline", "post")],
)  # fmt: skip
def test_every_offer_url_is_404_for_strangers(client, live_request, freelancer, name, method):
    offer = offered(live_request, freelancer)
    stranger = SellerFactory()
    response = getattr(login(client, stranger), method)(reverse(f"buyer_requests:{name}", args=[offer.pk]))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT and not Order.objects.exists()


@pytest.mark.parametrize("name", ["offer_accept", "offer_decline"])
def test_the_freelancer_cannot_answer_their_own_offer(client, live_request, freelancer, name):
    offer = offered(live_request, freelancer)
    assert login(client, freelancer).post(reverse(f"buyer_requests:{name}", args=[offer.pk])).status_code == 404


@pytest.mark.parametrize("name", ["offer_edit", "offer_withdraw"])
def test_the_client_cannot_edit_or_withdraw_an_offer(client, live_request, client_user, freelancer, name):
    offer = offered(live_request, freelancer)
    assert login(client, client_user).post(reverse(f"buyer_requests:{name}", args=[offer.pk])).status_code == 404


def test_offer_edit_and_withdraw_pages(client, live_request, freelancer):
    offer = offered(live_request, freelancer)
    login(client, freelancer)
    url = reverse("buyer_requests:offer_edit", args=[offer.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, offer_form(price="4500")).status_code == 302
    offer.refresh_from_db()
    assert offer.price.amount == Decimal("4500")
    assert client.post(reverse("buyer_requests:offer_withdraw", args=[offer.pk])).status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN


# --- choosing ------------------------------------------------------------------------------------------------


def test_comparison_page_marks_offers_opened_and_stays_bounded(
    client, client_user, category, django_assert_max_num_queries
):
    login(client, client_user)
    client.get(reverse("buyer_requests:mine"))  # warm the site-wide caches (menus)
    counts = []
    for n in (1, 15):
        buyer_request = active(client_user, category, title=f"A request with {n} offers")
        for _i in range(n):
            offered(buyer_request, SellerFactory())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("buyer_requests:compare", args=[buyer_request.pk]))
        assert response.status_code == 200
        assert response.content.decode().count("Accept for") == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts  # the same queries for 1 offer or 15
    with django_assert_max_num_queries(20):
        client.get(reverse("buyer_requests:compare", args=[buyer_request.pk]))
    assert not Offer.objects.filter(opened_at__isnull=True).exists()


def test_accept_redirects_to_payment(client, live_request, client_user, freelancer):
    offer = offered(live_request, freelancer)
    response = login(client, client_user).post(reverse("buyer_requests:offer_accept", args=[offer.pk]))
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("orders:pay", args=[order.pk])
    pay = client.get(response["Location"])
    assert pay.status_code == 200 and "5,000" in pay.content.decode()


def test_decline_with_a_reason_through_the_page(client, live_request, client_user, freelancer):
    offer = offered(live_request, freelancer)
    login(client, client_user)
    response = client.post(reverse("buyer_requests:offer_decline", args=[offer.pk]), {"reason": "Too late for us."})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED and offer.decline_reason == "Too late for us."


# --- files --------------------------------------------------------------------------------------------------


def test_files_for_the_client_invited_offered_and_staff_only(client, client_user, category, freelancer):
    data = services.RequestData(
        title="A logo with a brief file", description="See the attached brief for all the details we have.",
        category_id=category.pk, budget_min=Decimal("3000"),
    )  # fmt: skip
    buyer_request = services.request_create(
        client=client_user, data=data, files=[SimpleUploadedFile("brief.txt", b"the brief")]
    )
    services.request_approve(request_id=buyer_request.pk, actor=None)
    item = buyer_request.files.get()
    url = reverse("buyer_requests:file", args=[buyer_request.pk, item.pk])

    assert login(client, freelancer).get(url).status_code == 404  # sees the request, not yet the files
    offered(buyer_request, freelancer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"the brief"
    assert "attachment" in response["Content-Disposition"]

    invited = SellerFactory()
    assert login(client, invited).get(url).status_code == 404
    services.invitation_create(request_id=buyer_request.pk, client=client_user, freelancer=invited)
    assert client.get(url).status_code == 200
    assert login(client, client_user).get(url).status_code == 200
    assert login(client, UserFactory(is_staff=True)).get(url).status_code == 200
    assert login(client, UserFactory()).get(url).status_code == 404


# --- invitations -------------------------------------------------------------------------------------------


def test_invite_from_a_profile(client, live_request, client_user, freelancer):
    login(client, client_user)
    profile_url = reverse("accounts:profile", args=[freelancer.username])
    response = client.post(
        reverse("buyer_requests:invite", args=[freelancer.username]),
        {"buyer_request": live_request.pk, "next": profile_url},
    )
    assert response.status_code == 302 and response["Location"] == profile_url
    assert Invitation.objects.filter(request=live_request, freelancer=freelancer).exists()


def test_invite_is_404_without_an_active_request_and_ignores_outside_next(client, client_user, category, freelancer):
    login(client, client_user)
    url = reverse("buyer_requests:invite", args=[freelancer.username])
    assert client.post(url, {"buyer_request": "1"}).status_code == 404
    buyer_request = active(client_user, category)
    response = client.post(url, {"buyer_request": buyer_request.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:profile", args=[freelancer.username])
    assert client.get(url).status_code == 405


def test_invite_cannot_target_another_clients_request(client, live_request, freelancer):
    someone = UserFactory()
    active(someone, live_request.category, title="Someone's own request")
    login(client, someone)
    client.post(reverse("buyer_requests:invite", args=[freelancer.username]), {"buyer_request": live_request.pk})
    assert not Invitation.objects.exists()


def _render_invite(viewer, person) -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template('{% include "buyer_requests/_invite_button.html" with person=person %}')
    return template.render(Context({"request": request, "person": person, "user": viewer})).strip()


def test_invite_button_renders_only_for_a_client_with_active_requests(client_user, category, freelancer):
    assert _render_invite(client_user, freelancer) == ""
    buyer_request = active(client_user, category)
    html = _render_invite(client_user, freelancer)
    assert "Invite to a request" in html and buyer_request.title in html
    assert _render_invite(client_user, client_user) == ""  # not to oneself
    assert _render_invite(client_user, UserFactory()) == ""  # not a freelancer
    assert _render_invite(freelancer, freelancer) == ""


# --- my offers and alerts ----------------------------------------------------------------------------------


def test_my_offers_lists_only_mine(client, live_request, freelancer, other_freelancer):
    offered(live_request, freelancer, price=Decimal("5555"))
    offered(live_request, other_freelancer, price=Decimal("7777"))
    page = login(client, freelancer).get(reverse("buyer_requests:my_offers")).content.decode()
    assert "5,555" in page and "7,777" not in page
    assert "4 of 5 offers left today" in page


def test_alerts_page_saves_categories_and_refuses_non_sellers(client, category, freelancer):
    login(client, freelancer)
    assert client.get(reverse("buyer_requests:alerts")).status_code == 200
    assert client.post(reverse("buyer_requests:alerts"), {"categories": [category.pk]}).status_code == 302
    assert list(RequestAlert.objects.values_list("category_id", flat=True)) == [category.pk]
    buyer = login(client, UserFactory())
    response = buyer.post(reverse("buyer_requests:alerts"), {"categories": [category.pk]})
    assert response.status_code == 200 and "Turn on selling" in response.content.decode()
    assert RequestAlert.objects.count() == 1


def test_the_clients_request_page_shows_what_can_be_done_now(client, client_user, category):
    buyer_request = posted(client_user, category)
    login(client, client_user)
    url = reverse("buyer_requests:detail", args=[buyer_request.pk])
    page = client.get(url).content.decode()
    assert "on moderation" in page and "Close the request" in page and "Send an offer" not in page
    services.request_reject(request_id=buyer_request.pk, actor=None, reason="Please remove the phone number.")
    assert "Please remove the phone number." in client.get(url).content.decode()
    services.request_update(request_id=buyer_request.pk, client=client_user, data=request_data_for(category))
    services.request_approve(request_id=buyer_request.pk, actor=None)
    services.request_close(request_id=buyer_request.pk, client=client_user)
    page = client.get(url).content.decode()
    assert "Renew" in page and "Close the request" not in page


def test_an_offer_to_a_request_closed_meanwhile_shows_why(client, client_user, live_request, freelancer):
    login(client, freelancer)
    services.request_close(request_id=live_request.pk, client=client_user)
    # The freelancer cannot open it any more: the page is gone for them.
    response = client.post(reverse("buyer_requests:offer_send", args=[live_request.pk]), offer_form())
    assert response.status_code == 404 and not Offer.objects.exists()
