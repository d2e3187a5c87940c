"""The bell, the centre, opening an item, "mark all read" and the email settings: each for
its owner only."""

import pytest
from django.core import mail

from gigs import services as gig_services
from gigs.models import Gig
from notifications import services
from notifications.models import Notification, NotificationPreference
from tests.escrow.factories import StaffFactory
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow
from tests.orders.conftest import buyer, gig  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
N = Notification.Kind


def bell(page: str) -> str | None:
    marker = 'data-testid="notifications-count"><span aria-hidden="true">'
    return page.split(marker, 1)[1].split("<", 1)[0] if marker in page else None


def test_the_bell_counts_the_sellers_new_order_and_the_centre_leads_to_it(client, gig, buyer):  # noqa: F811
    order = flow.paid(gig, buyer)
    client.force_login(gig.seller)
    assert bell(client.get("/").content.decode()) == "1"
    page = client.get("/notifications/").content.decode()
    notification = Notification.objects.get(recipient=gig.seller)
    assert "notification-unread" in page and f'href="/notifications/{notification.pk}/"' in page
    assert f"заказывает «{order.gig_title}» (заказ №{order.pk})" in page  # Russian at /

    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert bell(client.get("/").content.decode()) is None
    assert "notification-unread" not in client.get("/notifications/").content.decode()
    english = client.get(f"/en/notifications/{notification.pk}/")
    assert english["Location"] == f"/en/orders/{order.pk}/"  # the link follows the reader's language


def test_bob_cannot_open_or_read_alices_notifications(client):
    alice, bob = UserFactory(), UserFactory()
    hers = services.notification_add(recipient=alice, kind=N.GIG_APPROVED, params={"title": "Alice's poem"})
    client.force_login(bob)
    assert client.get(f"/notifications/{hers.pk}/").status_code == 404
    assert "Alice&#x27;s poem" not in client.get("/notifications/").content.decode()
    assert client.post("/notifications/read/").status_code == 302
    hers.refresh_from_db()
    assert hers.read_at is None  # Bob's "mark all read" marked only his


def test_a_visitor_is_sent_to_log_in(client):
    notification = services.notification_add(recipient=UserFactory(), kind=N.GIG_APPROVED, params={"title": "x"})
    for url in ("/notifications/", f"/notifications/{notification.pk}/", "/settings/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/notifications/read/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_is_a_post(client):
    person = UserFactory()
    for title in ("one", "two"):
        services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": title})
    client.force_login(person)
    assert bell(client.get("/notifications/").content.decode()) == "2"
    assert client.get("/notifications/read/").status_code == 405
    response = client.post("/notifications/read/", follow=True)
    page = response.content.decode()
    assert "Все уведомления отмечены как прочитанные." in page
    assert bell(page) is None and "Отметить все как прочитанные" not in page
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()


def test_empty_state_and_pages_of_older_notifications(client, settings):
    settings.NOTIFICATIONS_PAGE_SIZE = 2
    person = UserFactory()
    client.force_login(person)
    assert "Пока ничего не произошло" in client.get("/notifications/").content.decode()
    made = [services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": f"gig-{i}"})
            for i in range(5)]  # fmt: skip
    first = client.get("/notifications/").content.decode()
    assert "gig-4" in first and "gig-3" in first and "gig-2" not in first
    assert first.index("gig-4") < first.index("gig-3")  # newest first
    assert f'href="?before={made[3].pk}"' in first
    second = client.get(f"/notifications/?before={made[3].pk}").content.decode()
    assert "gig-2" in second and "gig-1" in second and "gig-4" not in second
    last = client.get(f"/notifications/?before={made[1].pk}").content.decode()
    assert "gig-0" in last and 'href="?before=' not in last
    assert client.get("/notifications/?before=abc").status_code == 200  # bad input: the first page
    assert client.get("/notifications/?before=99999999999999999999999").status_code == 200


def test_a_99_plus_bell(client):
    person = UserFactory()
    Notification.objects.bulk_create(
        [Notification(recipient=person, kind=N.GIG_APPROVED, params={"title": "x"}) for _ in range(120)]
    )
    client.force_login(person)
    page = client.get("/").content.decode()
    assert bell(page) == "99+" and "(непрочитанных: 100)" in page


def test_the_header_counts_stay_one_query(client, gig, buyer, django_assert_num_queries):  # noqa: F811
    from messaging.selectors import header_counts

    flow.paid(gig, buyer)  # awaits the requirements: counted on the buyer's side
    with django_assert_num_queries(1):
        counts = header_counts(user=gig.seller)
    assert counts["notifications"] == 1 and counts["selling"] == 0
    with django_assert_num_queries(1):
        counts = header_counts(user=buyer)
    assert counts["notifications"] == 0 and counts["buying"] == 1


def test_email_settings_turn_one_kind_off(client, django_capture_on_commit_callbacks):
    seller = SellerFactory()
    client.force_login(seller)
    page = client.get("/settings/notifications/").content.decode()
    assert page.count('type="checkbox"') == len(services.EMAIL_KINDS)
    assert page.count(" checked") == len(services.EMAIL_KINDS)  # everything on by default
    assert "Услуги не прошли модерацию" in page
    wanted = [kind.value for kind in services.EMAIL_KINDS if kind != N.GIG_REJECTED]
    response = client.post("/settings/notifications/", {"email_on": wanted})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=seller).email_off == [N.GIG_REJECTED]
    page = client.get("/settings/notifications/").content.decode()
    assert page.count(" checked") == len(services.EMAIL_KINDS) - 1

    pending = GigFactory(seller=seller, status=Gig.Status.PENDING, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        gig_services.gig_reject(gig_id=pending.pk, actor=StaffFactory(), reason="Blurry")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=seller, kind=N.GIG_REJECTED).exists()


def test_email_settings_refuse_an_unknown_kind_and_keep_what_was_saved(client):
    person = UserFactory()
    services.notification_preference_set(user=person, email_off=[N.ORDER_NEW])
    client.force_login(person)
    response = client.post("/settings/notifications/", {"email_on": ["no_such_kind"]})
    assert response.status_code == 200  # the form again, with its error
    assert NotificationPreference.objects.get(user=person).email_off == [N.ORDER_NEW]


def test_each_persons_settings_are_their_own(client):
    alice, bob = UserFactory(), UserFactory()
    services.notification_preference_set(user=alice, email_off=[N.ORDER_NEW])
    client.force_login(bob)
    page = client.get("/settings/notifications/").content.decode()
    assert page.count(" checked") == len(services.EMAIL_KINDS)
    client.post("/settings/notifications/", {})  # every box unchecked: nothing is sent, and that is a choice
    assert NotificationPreference.objects.get(user=alice).email_off == [N.ORDER_NEW]
    assert len(NotificationPreference.objects.get(user=bob).email_off) == len(services.EMAIL_KINDS)
