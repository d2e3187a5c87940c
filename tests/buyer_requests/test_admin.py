import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buyer_requests import services
from buyer_requests.models import BuyerRequest
from tests.buyer_requests.conftest import posted, request_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = BuyerRequest.Status
CHANGELIST = "admin:buyer_requests_buyerrequest_changelist"


@pytest.fixture
def moderator(db):
    person = UserFactory(is_staff=True)
    person.user_permissions.add(
        Permission.objects.get(codename="moderate_buyerrequest"),
        Permission.objects.get(codename="view_buyerrequest"),
        Permission.objects.get(codename="change_buyerrequest"),
    )
    return person


@pytest.fixture
def pending_requests(client_user, category):
    return [posted(client_user, category, title=f"Request on moderation {i}") for i in range(2)]


def test_moderator_approves_requests_in_bulk(client, moderator, pending_requests):
    client.force_login(moderator)
    response = client.post(
        reverse(CHANGELIST), {"action": "approve_selected", ACTION_CHECKBOX_NAME: [r.pk for r in pending_requests]}
    )
    assert response.status_code == 302
    for buyer_request in pending_requests:
        buyer_request.refresh_from_db()
        assert buyer_request.status == S.ACTIVE and buyer_request.expires_at is not None


def test_moderator_rejects_with_a_reason_on_an_intermediate_page(client, moderator, pending_requests):
    client.force_login(moderator)
    first = pending_requests[0]
    url = reverse(CHANGELIST)
    page = client.post(url, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [first.pk]})
    assert page.status_code == 200 and "These requests will be rejected" in page.content.decode()
    empty = client.post(url, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [first.pk], "apply": "1",
                              "reason": ""})  # fmt: skip
    assert empty.status_code == 200
    first.refresh_from_db()
    assert first.status == S.PENDING
    done = client.post(url, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [first.pk], "apply": "1",
                             "reason": "Contacts in the description."})  # fmt: skip
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == S.REJECTED and first.rejection_reason == "Contacts in the description."


def test_staff_without_the_permission_cannot_moderate(client, pending_requests):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_buyerrequest"))
    client.force_login(viewer)
    assert "approve_selected" not in client.get(reverse(CHANGELIST)).content.decode()
    client.post(reverse(CHANGELIST), {"action": "approve_selected", ACTION_CHECKBOX_NAME: [pending_requests[0].pk]})
    pending_requests[0].refresh_from_db()
    assert pending_requests[0].status == S.PENDING


def test_request_page_in_admin_links_files_through_the_checked_view(client, moderator, client_user, category):
    buyer_request = services.request_create(
        client=client_user, data=request_data(category), files=[SimpleUploadedFile("brief.txt", b"brief")]
    )
    client.force_login(moderator)
    page = client.get(reverse("admin:buyer_requests_buyerrequest_change", args=[buyer_request.pk])).content.decode()
    item = buyer_request.files.get()
    assert reverse("buyer_requests:file", args=[buyer_request.pk, item.pk]) in page
    assert client.get(reverse("buyer_requests:file", args=[buyer_request.pk, item.pk])).status_code == 200


def test_non_staff_cannot_open_the_admin(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse(CHANGELIST)).status_code == 302
