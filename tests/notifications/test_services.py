"""Each notification is made by the real service that causes it, in its transaction."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from buyer_requests import services as request_services
from escrow.services import withdrawal_mark_paid, withdrawal_reject, withdrawal_request
from gigs import services as gig_services
from gigs.models import Gig
from notifications import emails, services
from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.texts import notification_path, notification_text
from orders import services as order_services
from orders.models import Dispute, Order
from reviews import services as review_services
from reviews.services import ReviewData
from tests.buyer_requests.conftest import active, offer_data
from tests.escrow.factories import StaffFactory, card_method, rub, seller_with_money
from tests.factories import CategoryFactory, GigFactory, SellerFactory, UserFactory
from tests.orders import flow
from tests.orders.conftest import buyer, gig  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
N = Notification.Kind


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def text_of(notification, language="en") -> str:
    with translation.override(language):
        return notification_text(notification)


def path_of(notification, language="ru") -> str:
    with translation.override(language):
        return notification_path(notification)


def test_an_order_tells_each_side_what_the_other_did(gig, buyer):  # noqa: F811
    seller = gig.seller
    order = flow.paid(gig, buyer)
    assert kinds(seller) == [N.ORDER_NEW] and kinds(buyer) == []  # placing alone told nobody
    answers = [order_services.AnswerData(question_id=q["id"], answer="Acme" if q["kind"] == "text" else "")
               for q in order.questions]  # fmt: skip
    order_services.order_submit_requirements(order_id=order.pk, buyer=buyer, answers=answers)
    order_services.order_deliver(order_id=order.pk, seller=seller, message="Here", files=[])
    order_services.order_request_revision(order_id=order.pk, buyer=buyer, reason="Bigger letters, please")
    order_services.order_deliver(order_id=order.pk, seller=seller, message="Again", files=[])
    order_services.order_accept(order_id=order.pk, buyer=buyer)
    assert kinds(seller) == [N.ORDER_NEW, N.ORDER_REQUIREMENTS, N.ORDER_REVISION, N.ORDER_COMPLETED]
    assert kinds(buyer) == [N.ORDER_DELIVERED, N.ORDER_DELIVERED]  # not "you accepted"
    new = Notification.objects.filter(recipient=seller, kind=N.ORDER_NEW).get()
    assert new.actor == buyer
    assert text_of(new) == f"{buyer.display_name} ordered “{order.gig_title}” (order #{order.pk})"
    assert path_of(new) == f"/orders/{order.pk}/"
    assert path_of(new, "en") == f"/en/orders/{order.pk}/"  # the reader's language, at read time


def test_auto_completion_and_a_dispute_decision_tell_both_sides(gig, buyer):  # noqa: F811
    order = flow.delivered(gig, buyer)
    order_services.order_auto_complete(order_id=order.pk, now=timezone.now() + timedelta(days=30))
    assert N.ORDER_COMPLETED in kinds(buyer) and N.ORDER_COMPLETED in kinds(gig.seller)

    disputed = flow.disputed(gig, buyer)
    assert Notification.objects.filter(recipient=gig.seller, kind=N.DISPUTE_OPENED, params__order=disputed.pk).exists()
    assert not Notification.objects.filter(recipient=buyer, kind=N.DISPUTE_OPENED).exists()  # the buyer opened it
    order_services.dispute_resolve(
        order_id=disputed.pk, actor=StaffFactory(), outcome=Dispute.Outcome.REFUND, decision="The brief was not met."
    )
    for person in (buyer, gig.seller):
        decided = Notification.objects.filter(recipient=person, kind=N.DISPUTE_RESOLVED, params__order=disputed.pk)
        assert decided.exists()


def test_cancellations_reach_the_other_side_and_an_unpaid_order_only_its_buyer(gig, buyer):  # noqa: F811
    order = flow.paid(gig, buyer)
    order_services.order_cancel(order_id=order.pk, actor=buyer)
    cancelled = Notification.objects.get(recipient=gig.seller, kind=N.ORDER_CANCELLATION)
    assert text_of(cancelled) == f"Order #{order.pk} “{order.gig_title}” was cancelled"

    unpaid = flow.placed(gig, buyer)
    order_services.order_expire(order_id=unpaid.pk, now=timezone.now() + timedelta(days=3))
    assert Order.objects.get(pk=unpaid.pk).status == Order.Status.CANCELLED
    expired = Notification.objects.get(kind=N.ORDER_CANCELLATION, params__order=unpaid.pk)
    assert expired.recipient == buyer  # the seller never saw this order
    assert "the time to pay ran out" in text_of(expired)


def test_a_review_is_announced_without_its_content_until_both_are_in(gig, buyer):  # noqa: F811
    order = flow.completed(gig, buyer)
    seller = order.seller
    secret = "Great work, the zebra colours are perfect."
    review_services.review_submit(
        order_id=order.pk, author=buyer,
        data=ReviewData(rating=5, text=secret, communication=5, quality=5, on_time=5),
    )  # fmt: skip
    left = Notification.objects.get(recipient=seller, kind=N.REVIEW_LEFT)
    assert "leave your review to see theirs" in text_of(left)
    assert "zebra" not in text_of(left) and "zebra" not in str(left.params)
    assert not Notification.objects.filter(kind=N.REVIEW_PUBLISHED).exists()

    review_services.review_submit(order_id=order.pk, author=seller, data=ReviewData(rating=4, text="Clear brief."))
    published = {n.recipient_id: n for n in Notification.objects.filter(kind=N.REVIEW_PUBLISHED)}
    assert set(published) == {buyer.pk, seller.pk}
    assert text_of(published[seller.pk]).startswith(f"The review from {buyer.display_name} on order #{order.pk}")
    assert not Notification.objects.filter(recipient=buyer, kind=N.REVIEW_LEFT).exists()  # shown at once


def test_requests_offers_and_invitations(db):
    client, freelancer = UserFactory(), SellerFactory()
    buyer_request = active(client, CategoryFactory())
    assert kinds(client) == [N.REQUEST_STATUS]
    request_services.invitation_create(request_id=buyer_request.pk, client=client, freelancer=freelancer)
    invitation = Notification.objects.get(recipient=freelancer, kind=N.INVITATION)
    assert text_of(invitation) == f"{client.display_name} invites you to send an offer: “{buyer_request.title}”"
    offer = request_services.offer_send(request_id=buyer_request.pk, freelancer=freelancer, data=offer_data())
    received = Notification.objects.get(recipient=client, kind=N.OFFER_RECEIVED)
    assert path_of(received) == f"/requests/{buyer_request.pk}/offers/"
    order = request_services.offer_accept(offer_id=offer.pk, client=client)
    answered = Notification.objects.get(recipient=freelancer, kind=N.OFFER_ANSWERED)
    assert text_of(answered) == f"Your offer on “{buyer_request.title}” was accepted"
    assert path_of(answered) == f"/orders/{order.pk}/"


def test_gig_approved_and_rejected_are_emailed_with_the_reason(django_capture_on_commit_callbacks):
    seller = SellerFactory(language="ru")
    staff = StaffFactory()
    approved = GigFactory(seller=seller, status=Gig.Status.PENDING, published_at=None, title="Нарисую логотип")
    rejected = GigFactory(seller=seller, status=Gig.Status.PENDING, published_at=None, title="Напишу стих")
    with django_capture_on_commit_callbacks(execute=True):
        gig_services.gig_approve(gig_id=approved.pk, actor=staff)
        gig_services.gig_reject(gig_id=rejected.pk, actor=staff, reason="На картинках телефон")
    assert kinds(seller) == [N.GIG_APPROVED, N.GIG_REJECTED]
    assert [m.subject for m in mail.outbox] == [
        "Ваша услуга «Нарисую логотип» одобрена и опубликована",
        "Ваша услуга «Напишу стих» не прошла модерацию",
    ]
    assert all(m.to == [seller.email] for m in mail.outbox)
    assert "Причина: На картинках телефон" in mail.outbox[1].body
    assert f"/gig/{approved.pk}/{approved.slug}/" in mail.outbox[0].body  # Russian: no language prefix
    assert f"/my/gigs/{rejected.pk}/edit/" in mail.outbox[1].body
    assert not Notification.objects.filter(email_pending=True).exists()


def test_a_withdrawal_paid_or_rejected_is_emailed(django_capture_on_commit_callbacks):
    freelancer = seller_with_money(9000, language="en")
    method = card_method(freelancer)
    staff = StaffFactory()
    first = withdrawal_request(user=freelancer, amount=rub(3000), payout_method=method)
    second = withdrawal_request(user=freelancer, amount=rub(1500), payout_method=method)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_mark_paid(withdrawal_id=first.pk, actor=staff)
        withdrawal_reject(withdrawal_id=second.pk, actor=staff, reason="The card is blocked")
    paid, rejected = mail.outbox
    assert paid.subject == f"Your withdrawal of 3,000\u00a0₽ to {method.masked} is sent"
    assert rejected.subject == "Your withdrawal of 1,500\u00a0₽ was rejected: the money is back in your wallet"
    assert "Reason: The card is blocked" in rejected.body
    assert "/en/wallet/" in paid.body
    assert kinds(freelancer) == [N.WITHDRAWAL_PAID, N.WITHDRAWAL_REJECTED]


def test_an_email_turned_off_is_not_sent_and_the_notification_stays(django_capture_on_commit_callbacks):
    seller = SellerFactory()
    services.notification_preference_set(user=seller, email_off=[N.GIG_REJECTED, N.ORDER_NEW])
    pending = GigFactory(seller=seller, status=Gig.Status.PENDING, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        gig_services.gig_reject(gig_id=pending.pk, actor=StaffFactory(), reason="Blurry images")
    assert mail.outbox == []
    assert Notification.objects.get(recipient=seller).email_pending is False

    # The orders' own emails ask the same preference: no "new order" email, the rest still come.
    active_gig = GigFactory(seller=seller)
    client = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = flow.delivered(active_gig, client)
    assert [m.to for m in mail.outbox] == [[client.email]]  # the delivery, to the buyer
    assert Notification.objects.filter(recipient=seller, kind=N.ORDER_NEW, params__order=order.pk).exists()


def test_a_request_email_turned_off(django_capture_on_commit_callbacks):
    client, freelancer = UserFactory(), SellerFactory()
    buyer_request = active(client, CategoryFactory())
    services.notification_preference_set(user=client, email_off=[N.OFFER_RECEIVED])
    with django_capture_on_commit_callbacks(execute=True):
        request_services.offer_send(request_id=buyer_request.pk, freelancer=freelancer, data=offer_data())
    assert [m for m in mail.outbox if m.to == [client.email]] == []
    assert Notification.objects.filter(recipient=client, kind=N.OFFER_RECEIVED).exists()


def test_the_email_goes_once_and_the_sweep_sends_what_the_broker_lost():
    seller = SellerFactory()
    pending = GigFactory(seller=seller, status=Gig.Status.PENDING, published_at=None)
    gig_services.gig_approve(gig_id=pending.pk, actor=StaffFactory())  # on-commit never ran: the broker "lost" it
    notification = Notification.objects.get(recipient=seller)
    assert notification.email_pending is True and mail.outbox == []
    assert emails.notifications_email_due() == 0  # the task gets a minute first
    assert emails.notifications_email_due(now=timezone.now() + timedelta(minutes=2)) == 1
    assert emails.notification_email_send(notification_id=notification.pk) is False  # run twice: one email
    assert len(mail.outbox) == 1


def test_texts_in_both_languages_and_a_row_that_does_not_fit_its_text():
    person = UserFactory()
    approved = services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": "Logo"})
    assert text_of(approved, "ru") == "Ваша услуга «Logo» одобрена и опубликована"
    assert text_of(approved, "en") == "Your gig “Logo” is approved and published"
    amount = {"amount": "12500.50", "currency": "RUB", "destination": "•• 42"}
    paid = services.notification_add(recipient=person, kind=N.WITHDRAWAL_PAID, params=amount)
    assert text_of(paid, "ru") == "Вывод 12\u00a0500,50\u00a0₽ на •• 42 отправлен"
    broken = services.notification_add(recipient=person, kind=N.ORDER_CANCELLATION, params={"event": "unknown"})
    assert text_of(broken, "en") == "Cancellations" and text_of(broken, "ru") == "Отмены"
    gone = services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={}, url_name="gigs:no_such_page")
    assert path_of(gone) == "/notifications/"
    odd = services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": timezone.now().date()})
    assert isinstance(odd.params["title"], str)  # stored as text, the caller's transaction unharmed


def test_unread_count_and_mark_all_read_are_per_person():
    alice, bob = UserFactory(), UserFactory()
    for _ in range(3):
        services.notification_add(recipient=alice, kind=N.GIG_APPROVED, params={"title": "x"})
    services.notification_add(recipient=bob, kind=N.GIG_APPROVED, params={"title": "y"})
    assert (unread_count(user=alice), unread_count(user=bob)) == (3, 1)
    assert services.notifications_mark_all_read(user=alice) == 3
    assert (unread_count(user=alice), unread_count(user=bob)) == (0, 1)


def test_read_notifications_older_than_a_year_are_deleted(settings):
    person = UserFactory()
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old_read = services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": "a"})
        old_unread = services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": "b"})
        services.notification_mark_read(notification=old_read)
    recent = services.notification_add(recipient=person, kind=N.GIG_APPROVED, params={"title": "c"})
    services.notification_mark_read(notification=recent)
    assert services.notifications_delete_old() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent.pk}
