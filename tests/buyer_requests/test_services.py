from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone
from moneyed import Money

from accounts.models import SellerLevel
from buyer_requests import selectors, services
from buyer_requests.models import BuyerRequest, Invitation, Offer, RequestEvent
from orders.models import Order
from tests.buyer_requests.conftest import active, offer_data, offered, posted, request_data
from tests.factories import CategoryFactory, GigFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db

S = BuyerRequest.Status


def rub(amount) -> Money:
    return Money(Decimal(str(amount)), "RUB")


# --- requests: validation, moderation, expiry, renewal ------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"budget_min": Decimal("499")}, "minimum budget is 500"),
        ({"budget_min": Decimal("5000"), "budget_max": Decimal("4000")}, "cannot be below"),
        ({"budget_min": Decimal("500"), "budget_max": Decimal("2000000")}, "maximum budget"),
        ({"title": "   "}, "title"),
        ({"visibility": "friends"}, "who can send offers"),
    ],
    ids=["below-minimum", "min-above-max", "above-maximum", "no-title", "bad-visibility"],
)
def test_request_create_refuses_bad_data_and_saves_nothing(client_user, category, overrides, message):
    with pytest.raises(services.RequestError, match=message):
        posted(client_user, category, **overrides)
    assert not BuyerRequest.objects.exists()


def test_request_create_refuses_a_section_as_category(client_user, category):
    with pytest.raises(services.RequestError, match="category"):
        posted(client_user, category, category_id=category.parent_id)


def test_a_fixed_budget_has_both_ends_equal(client_user, category):
    buyer_request = posted(client_user, category, budget_min=Decimal("1500"), budget_max=None)
    assert buyer_request.budget_min == buyer_request.budget_max == rub(1500)
    assert buyer_request.is_fixed_budget


def test_the_database_refuses_an_inverted_budget(client_user, category):
    buyer_request = posted(client_user, category)
    with pytest.raises(IntegrityError), transaction.atomic():
        BuyerRequest.objects.filter(pk=buyer_request.pk).update(budget_max=rub(100))


def test_moderation_approve_starts_the_expiry_timer(client_user, category):
    buyer_request = posted(client_user, category)
    assert buyer_request.status == S.PENDING and buyer_request.expires_at is None
    before = timezone.now()
    approved = services.request_approve(request_id=buyer_request.pk, actor=None)
    assert approved.status == S.ACTIVE
    assert approved.expires_at >= before + timedelta(days=30)
    assert approved.published_at is not None
    with pytest.raises(services.RequestError):
        services.request_approve(request_id=buyer_request.pk, actor=None)


def test_moderation_reject_needs_a_reason_and_the_client_fixes_and_resubmits(client_user, category):
    buyer_request = posted(client_user, category)
    with pytest.raises(services.RequestError, match="reason"):
        services.request_reject(request_id=buyer_request.pk, actor=None, reason="  ")
    rejected = services.request_reject(request_id=buyer_request.pk, actor=None, reason="Contacts in the text.")
    assert rejected.status == S.REJECTED and rejected.rejection_reason == "Contacts in the text."
    edited = services.request_update(
        request_id=buyer_request.pk, client=client_user, data=request_data(category, title="A clean logo request")
    )
    assert edited.status == S.PENDING and edited.rejection_reason == ""


def test_editing_an_active_request_sends_it_back_to_moderation(client_user, category):
    buyer_request = active(client_user, category)
    edited = services.request_update(
        request_id=buyer_request.pk, client=client_user, data=request_data(category, budget_max=Decimal("9000"))
    )
    assert edited.status == S.PENDING and edited.expires_at is None
    assert edited.budget_max == rub(9000)


def test_only_the_client_edits_or_closes(client_user, category, freelancer):
    buyer_request = active(client_user, category)
    with pytest.raises(services.RequestError, match="no such request"):
        services.request_update(request_id=buyer_request.pk, client=freelancer, data=request_data(category))
    with pytest.raises(services.RequestError, match="no such request"):
        services.request_close(request_id=buyer_request.pk, client=freelancer)


def test_expiry_sweep_expires_due_requests_only(client_user, category):
    due = active(client_user, category)
    fresh = active(client_user, category, title="Another request here")
    later = timezone.now() + timedelta(days=30, minutes=1)
    BuyerRequest.objects.filter(pk=fresh.pk).update(expires_at=later + timedelta(days=1))
    assert services.requests_expire_due(now=later) == 1
    assert services.requests_expire_due(now=later) == 0  # idempotent
    due.refresh_from_db()
    fresh.refresh_from_db()
    assert due.status == S.EXPIRED and due.expires_at is None and due.closed_at is not None
    assert fresh.status == S.ACTIVE


def test_expired_request_leaves_the_board_before_the_sweep_runs(client_user, category, freelancer):
    buyer_request = active(client_user, category)
    later = timezone.now() + timedelta(days=31)
    assert list(selectors.board(user=freelancer, query=selectors.BoardQuery(), now=later)) == []
    with time_machine.travel(later, tick=False), pytest.raises(services.RequestError, match="not taking offers"):
        offered(buyer_request, freelancer)


def test_renew_after_expiry_reactivates_for_another_period(client_user, category):
    buyer_request = active(client_user, category)
    later = timezone.now() + timedelta(days=31)
    services.requests_expire_due(now=later)
    with time_machine.travel(later, tick=False):
        renewed = services.request_renew(request_id=buyer_request.pk, client=client_user)
        assert renewed.status == S.ACTIVE
        assert renewed.expires_at == timezone.now() + timedelta(days=30)


def test_renew_after_an_edit_goes_through_moderation(client_user, category):
    buyer_request = active(client_user, category)
    services.request_close(request_id=buyer_request.pk, client=client_user)
    services.request_update(
        request_id=buyer_request.pk, client=client_user, data=request_data(category, title="A changed title here")
    )
    buyer_request.refresh_from_db()
    assert buyer_request.status == S.CLOSED  # an edit of a closed request waits for the renewal
    renewed = services.request_renew(request_id=buyer_request.pk, client=client_user)
    assert renewed.status == S.PENDING and renewed.expires_at is None


def test_a_request_closed_while_on_moderation_is_moderated_when_renewed(client_user, category):
    buyer_request = posted(client_user, category)
    services.request_close(request_id=buyer_request.pk, client=client_user)
    renewed = services.request_renew(request_id=buyer_request.pk, client=client_user)
    assert renewed.status == S.PENDING


def test_renew_refuses_active_and_hired_requests(client_user, category, freelancer):
    buyer_request = active(client_user, category)
    with pytest.raises(services.RequestError, match="closed or expired"):
        services.request_renew(request_id=buyer_request.pk, client=client_user)
    offer = offered(buyer_request, freelancer)
    services.offer_accept(offer_id=offer.pk, client=client_user)
    with pytest.raises(services.RequestError, match="hired"):
        services.request_renew(request_id=buyer_request.pk, client=client_user)


# --- invitations and who may offer --------------------------------------------------------------------


def test_invited_only_request_takes_offers_from_invited_freelancers(
    client_user, category, freelancer, other_freelancer
):
    buyer_request = active(client_user, category, visibility=BuyerRequest.Visibility.INVITED)
    with pytest.raises(services.RequestError, match="invited freelancers only"):
        offered(buyer_request, freelancer)
    services.invitation_create(request_id=buyer_request.pk, client=client_user, freelancer=freelancer)
    assert offered(buyer_request, freelancer).status == Offer.Status.SENT
    with pytest.raises(services.RequestError, match="invited freelancers only"):
        offered(buyer_request, other_freelancer)


def test_invitation_rules(client_user, category, freelancer):
    buyer_request = active(client_user, category)
    services.invitation_create(request_id=buyer_request.pk, client=client_user, freelancer=freelancer)
    with pytest.raises(services.RequestError, match="already invited"):
        services.invitation_create(request_id=buyer_request.pk, client=client_user, freelancer=freelancer)
    with pytest.raises(services.RequestError, match="selling"):
        services.invitation_create(request_id=buyer_request.pk, client=client_user, freelancer=UserFactory())
    with pytest.raises(services.RequestError, match="no such request"):
        services.invitation_create(request_id=buyer_request.pk, client=freelancer, freelancer=SellerFactory())
    pending = posted(client_user, category)
    with pytest.raises(services.RequestError, match="active request only"):
        services.invitation_create(request_id=pending.pk, client=client_user, freelancer=freelancer)
    assert Invitation.objects.count() == 1


def test_client_cannot_offer_on_own_request_and_buyers_cannot_offer(client_user, category):
    seller_client = SellerFactory()
    own = active(seller_client, category)
    with pytest.raises(services.RequestError, match="your own request"):
        offered(own, seller_client)
    buyer_request = active(client_user, category)
    with pytest.raises(services.RequestError, match="Turn on selling"):
        offered(buyer_request, UserFactory())


def test_only_active_requests_take_offers(client_user, category, freelancer):
    pending = posted(client_user, category)
    with pytest.raises(services.RequestError, match="not taking offers"):
        offered(pending, freelancer)
    closed = active(client_user, category)
    services.request_close(request_id=closed.pk, client=client_user)
    with pytest.raises(services.RequestError, match="not taking offers"):
        offered(closed, freelancer)


def test_one_offer_per_freelancer_per_request(live_request, freelancer):
    offered(live_request, freelancer)
    with pytest.raises(services.RequestError, match="already answered"):
        offered(live_request, freelancer, price=Decimal("4000"))
    assert Offer.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            request=live_request, freelancer=freelancer, message="x" * 30, price=rub(900), delivery_days=1, revisions=0
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"price": Decimal("499")}, "price is from 500"),
        ({"delivery_days": 0}, "1 to 90 days"),
        ({"revisions": 21}, "up to 20 revisions"),
        ({"message": "Hi"}, "at least 20 characters"),
    ],
)
def test_offer_terms_are_checked(live_request, freelancer, overrides, message):
    with pytest.raises(services.RequestError, match=message):
        offered(live_request, freelancer, **overrides)
    assert not Offer.objects.exists()


def test_offer_gig_must_be_the_freelancers_own_active_gig(live_request, freelancer):
    others = GigFactory()
    with pytest.raises(services.RequestError, match="your active gigs"):
        offered(live_request, freelancer, gig_id=others.pk)
    mine = GigFactory(seller=freelancer)
    assert offered(live_request, freelancer, gig_id=mine.pk).gig == mine


def test_offer_edit_and_withdraw_until_the_client_answers(live_request, freelancer, other_freelancer, client_user):
    offer = offered(live_request, freelancer)
    edited = services.offer_edit(offer_id=offer.pk, freelancer=freelancer, data=offer_data(price=Decimal("4200")))
    assert edited.price == rub(4200)
    with pytest.raises(services.RequestError, match="no such offer"):
        services.offer_edit(offer_id=offer.pk, freelancer=other_freelancer, data=offer_data())
    services.offer_decline(offer_id=offer.pk, client=client_user)
    with pytest.raises(services.RequestError, match="can no longer be changed"):
        services.offer_edit(offer_id=offer.pk, freelancer=freelancer, data=offer_data())
    with pytest.raises(services.RequestError, match="can no longer be withdrawn"):
        services.offer_withdraw(offer_id=offer.pk, freelancer=freelancer)

    second = offered(live_request, other_freelancer)
    withdrawn = services.offer_withdraw(offer_id=second.pk, freelancer=other_freelancer)
    assert withdrawn.status == Offer.Status.WITHDRAWN
    with pytest.raises(services.RequestError, match="already answered"):
        offered(live_request, other_freelancer)  # withdrawing is final


# --- quota ---------------------------------------------------------------------------------------------


def _requests(client, category, n):
    return [active(client, category, title=f"Request number {i} for the quota") for i in range(n)]


def test_the_n_plus_first_offer_of_the_day_is_refused(client_user, category, freelancer, settings):
    settings.REQUESTS_OFFER_QUOTAS = {"new": 3}
    requests = _requests(client_user, category, 4)
    for buyer_request in requests[:3]:
        offered(buyer_request, freelancer)
    assert selectors.offer_quota(freelancer=freelancer).left == 0
    with pytest.raises(services.OfferQuotaExceeded, match="all 3 offers for today"):
        offered(requests[3], freelancer)
    assert Offer.objects.filter(freelancer=freelancer).count() == 3


def test_quota_follows_the_seller_level(client_user, category, freelancer):
    assert selectors.offer_quota(freelancer=freelancer).limit == 5
    freelancer.profile.seller_level = SellerLevel.ADVANCED
    freelancer.profile.save()
    assert selectors.offer_quota(freelancer=freelancer).limit == 10
    freelancer.profile.seller_level = SellerLevel.PROFESSIONAL
    freelancer.profile.save()
    assert selectors.offer_quota(freelancer=freelancer).limit == 20


def test_withdrawn_offers_still_count_and_the_quota_resets_at_local_midnight(client_user, category, settings):
    settings.REQUESTS_OFFER_QUOTAS = {"new": 2}
    freelancer = SellerFactory()
    requests = _requests(client_user, category, 3)
    # 23:30 in Moscow (UTC+3) is 20:30 UTC; 00:10 the next Moscow day is 21:10 UTC.
    with time_machine.travel(datetime(2030, 3, 1, 20, 30, tzinfo=UTC), tick=False):
        BuyerRequest.objects.update(expires_at=timezone.now() + timedelta(days=30))
        first = offered(requests[0], freelancer)
        services.offer_withdraw(offer_id=first.pk, freelancer=freelancer)
        offered(requests[1], freelancer)
        with pytest.raises(services.OfferQuotaExceeded):
            offered(requests[2], freelancer)
    with time_machine.travel(datetime(2030, 3, 1, 21, 10, tzinfo=UTC), tick=False):
        assert selectors.offer_quota(freelancer=freelancer).left == 2
        offered(requests[2], freelancer)


def test_unopened_offers_give_their_quota_back_after_seven_days(client_user, category, settings):
    settings.REQUESTS_OFFER_QUOTAS = {"new": 2}
    freelancer = SellerFactory()
    start = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        old = _requests(client_user, category, 2)
        unopened, opened = (offered(r, freelancer) for r in old)
        services.offers_mark_opened(request_id=old[1].pk, client=client_user)
    later = start + timedelta(days=7, minutes=5)
    with time_machine.travel(later, tick=False):
        fresh = _requests(client_user, category, 4)
        assert services.offers_return_quota_due(now=start + timedelta(days=6)) == 0  # too early
        assert services.offers_return_quota_due() == 1
        assert services.offers_return_quota_due() == 0  # idempotent
        unopened.refresh_from_db()
        opened.refresh_from_db()
        assert unopened.quota_returned_at is not None and opened.quota_returned_at is None
        # Today's two, plus the one returned today.
        assert selectors.offer_quota(freelancer=freelancer).limit == 3
        for buyer_request in fresh[:3]:
            offered(buyer_request, freelancer)
        with pytest.raises(services.OfferQuotaExceeded):
            offered(fresh[3], freelancer)


# --- choosing: accept, decline, privacy of the reads ---------------------------------------------------


def test_accept_creates_an_order_on_the_offer_terms_and_closes_the_request(
    client_user, category, freelancer, other_freelancer
):
    buyer_request = active(client_user, category)
    gig = GigFactory(seller=freelancer)
    chosen = offered(buyer_request, freelancer, price=Decimal("5500"), delivery_days=4, revisions=3, gig_id=gig.pk)
    other = offered(buyer_request, other_freelancer)

    order = services.offer_accept(offer_id=chosen.pk, client=client_user)

    assert order.status == Order.Status.PENDING_PAYMENT
    assert (order.buyer, order.seller, order.gig) == (client_user, freelancer, gig)
    assert order.total == rub(5500) and order.delivery_days == 4 and order.revisions_included == 3
    assert order.gig_title == buyer_request.title and order.package_description == chosen.message
    chosen.refresh_from_db()
    other.refresh_from_db()
    buyer_request.refresh_from_db()
    assert chosen.status == Offer.Status.ACCEPTED and chosen.order == order
    assert other.status == Offer.Status.DECLINED and other.decline_kind == Offer.DeclineKind.OTHER_CHOSEN
    assert buyer_request.status == S.CLOSED and buyer_request.is_hired
    with pytest.raises(services.RequestError, match="already hired"):
        services.offer_accept(offer_id=other.pk, client=client_user)
    assert Order.objects.count() == 1


def test_accept_and_decline_belong_to_the_client(live_request, freelancer, other_freelancer):
    offer = offered(live_request, freelancer)
    with pytest.raises(services.RequestError, match="no such offer"):
        services.offer_accept(offer_id=offer.pk, client=other_freelancer)
    with pytest.raises(services.RequestError, match="no such offer"):
        services.offer_decline(offer_id=offer.pk, client=freelancer)
    assert not Order.objects.exists()


def test_a_withdrawn_offer_cannot_be_accepted(live_request, freelancer, client_user):
    offer = offered(live_request, freelancer)
    services.offer_withdraw(offer_id=offer.pk, freelancer=freelancer)
    with pytest.raises(services.RequestError):
        services.offer_accept(offer_id=offer.pk, client=client_user)


def test_accepting_on_a_closed_request_asks_to_renew(live_request, freelancer, client_user):
    offer = offered(live_request, freelancer)
    services.request_close(request_id=live_request.pk, client=client_user)
    with pytest.raises(services.RequestError, match="Renew it"):
        services.offer_accept(offer_id=offer.pk, client=client_user)
    services.request_renew(request_id=live_request.pk, client=client_user)
    assert services.offer_accept(offer_id=offer.pk, client=client_user).pk


def test_decline_with_reason(live_request, freelancer, client_user):
    offer = offered(live_request, freelancer)
    declined = services.offer_decline(offer_id=offer.pk, client=client_user, reason="Too expensive for us.")
    assert declined.status == Offer.Status.DECLINED and declined.decline_reason == "Too expensive for us."
    assert declined.opened_at is not None
    with pytest.raises(services.RequestError, match="already answered"):
        services.offer_decline(offer_id=offer.pk, client=client_user)


def test_database_allows_one_accepted_offer_per_request(live_request, freelancer, other_freelancer):
    first, second = offered(live_request, freelancer), offered(live_request, other_freelancer)
    Offer.objects.filter(pk=first.pk).update(status=Offer.Status.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=second.pk).update(status=Offer.Status.ACCEPTED)


def test_request_visibility_rules(client_user, category, freelancer, other_freelancer):
    public = active(client_user, category)
    invited_only = active(client_user, category, visibility=BuyerRequest.Visibility.INVITED)
    pending = posted(client_user, category)
    staff = UserFactory(is_staff=True)
    assert selectors.request_get_for_viewer(user=freelancer, request_id=public.pk) == public
    for hidden in (invited_only, pending):
        with pytest.raises(selectors.Http404):
            selectors.request_get_for_viewer(user=freelancer, request_id=hidden.pk)
        assert selectors.request_get_for_viewer(user=client_user, request_id=hidden.pk) == hidden
        assert selectors.request_get_for_viewer(user=staff, request_id=hidden.pk) == hidden
    services.invitation_create(request_id=invited_only.pk, client=client_user, freelancer=freelancer)
    assert selectors.request_get_for_viewer(user=freelancer, request_id=invited_only.pk) == invited_only
    # A freelancer who sent an offer keeps seeing the request after it closed.
    offered(public, other_freelancer)
    services.request_close(request_id=public.pk, client=client_user)
    assert selectors.request_get_for_viewer(user=other_freelancer, request_id=public.pk) == public
    with pytest.raises(selectors.Http404):
        selectors.request_get_for_viewer(user=freelancer, request_id=public.pk)


def test_every_change_writes_an_event(live_request, freelancer, client_user):
    offer = offered(live_request, freelancer)
    services.offer_accept(offer_id=offer.pk, client=client_user)
    kinds = list(RequestEvent.objects.filter(request=live_request).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "approved", "offer_sent", "offer_accepted"]


def test_board_filters_and_search(client_user, category, freelancer):
    other_category = CategoryFactory(parent=category.parent)
    logo = active(client_user, category, title="A logo for a bakery", budget_min=Decimal("1000"), budget_max=None)
    site = active(
        client_user, other_category, title="A website for a dentist", budget_min=Decimal("20000"),
        budget_max=Decimal("40000"),
    )  # fmt: skip

    def found(**kwargs):
        return [r.pk for r in selectors.board(user=freelancer, query=selectors.BoardQuery(**kwargs))]

    assert found() == [site.pk, logo.pk]  # newest first
    assert found(category=category) == [logo.pk]
    assert found(category=category.parent) == [site.pk, logo.pk]
    assert found(budget_min=Decimal("25000")) == [site.pk]  # ranges overlap
    assert found(budget_max=Decimal("5000")) == [logo.pk]
    assert found(q="bakery") == [logo.pk]
    assert found(q="dentist website") == [site.pk]
    assert found(sort="budget_desc") == [site.pk, logo.pk]
    # The client's own requests are not on their board.
    assert [r.pk for r in selectors.board(user=client_user, query=selectors.BoardQuery())] == []


def test_board_counts_offers_and_marks_mine(live_request, freelancer, other_freelancer):
    offered(live_request, other_freelancer)
    third = SellerFactory()
    withdrawn = offered(live_request, third)
    services.offer_withdraw(offer_id=withdrawn.pk, freelancer=third)
    row = selectors.board(user=freelancer, query=selectors.BoardQuery()).get()
    assert row.offers_count == 1 and not row.already_offered
    offered(live_request, freelancer)
    row = selectors.board(user=freelancer, query=selectors.BoardQuery()).get()
    assert row.offers_count == 2 and row.already_offered


@pytest.mark.postgres
def test_board_search_stems_russian_and_forgives_typos(client_user, category, freelancer):
    logo = active(client_user, category, title="Нужны логотипы для пекарни")

    def found(q):
        return [r.pk for r in selectors.board(user=freelancer, query=selectors.BoardQuery(q=q))]

    assert found("логотип") == [logo.pk]  # the Russian stemmer
    assert found("пекарня") == [logo.pk]
    assert found("логатипы") == [logo.pk]  # a typo: the trigram fallback
    assert found("сайт") == []
