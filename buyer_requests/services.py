"""Every write of buyer requests, invitations, offers and request alerts.

Each service is one transaction. Lock order everywhere: the request row first, then its
offers (by id), then the freelancer's profile row. Accepting an offer and sending one
both lock the request, so a request never gets an offer after it was hired, and two
accepts of one request (the same offer twice, or two offers) run one after the other:
the second finds the request closed. Timers are columns swept by beat:
`requests_expire_due` (the request's `expires_at`) and `offers_return_quota_due`
(unopened offers give their quota back); they lock with SKIP LOCKED.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from accounts.models import Profile, User
from gigs.models import Category, Gig
from marketplace.errors import DomainError
from marketplace.jobs import enqueue_on_commit
from marketplace.uploads import check_uploads, clean_filename
from orders.models import Order
from orders.services import milestones_from_json, milestones_validate, order_place_custom

from . import conf, selectors
from .models import (
    BuyerRequest,
    Invitation,
    Offer,
    RequestAlert,
    RequestAlertDigest,
    RequestEvent,
    RequestFile,
)
from .notifications import request_event_record

S = BuyerRequest.Status
OfferStatus = Offer.Status
K = RequestEvent.Kind

# The one transition table of a request.
ALLOWED: dict[str, set[str]] = {
    S.PENDING: {S.ACTIVE, S.REJECTED, S.CLOSED},
    S.ACTIVE: {S.PENDING, S.REJECTED, S.CLOSED, S.EXPIRED},
    S.REJECTED: {S.PENDING},
    S.CLOSED: {S.ACTIVE, S.PENDING},
    S.EXPIRED: {S.ACTIVE, S.PENDING},
}


class RequestError(DomainError):
    pass


class OfferQuotaExceeded(RequestError):
    pass


@dataclass
class RequestData:
    title: str
    description: str
    category_id: int
    budget_min: Decimal
    budget_max: Decimal | None = None  # None: a fixed budget of budget_min
    desired_deadline: date | None = None
    visibility: str = BuyerRequest.Visibility.PUBLIC


@dataclass
class OfferData:
    message: str
    price: Decimal
    delivery_days: int
    revisions: int
    gig_id: int | None = None
    milestones: list[dict] = field(default_factory=list)  # [{"title", "amount", "days"}]


# --- helpers ----------------------------------------------------------------------------------------


def _lock_request(request_id: int | None) -> BuyerRequest | None:
    # Lock first: accepting, declining, sending and editing offers all serialise on the request.
    if request_id is None:
        return None
    return (
        BuyerRequest.objects.select_for_update(of=("self",), no_key=True)
        .defer("search_vector")
        .filter(pk=request_id)
        .first()
    )


def _lock_own_request(request_id: int, client: User) -> BuyerRequest:
    found = _lock_request(request_id)
    if found is None or found.client_id != client.pk:
        raise RequestError(_("There is no such request."))
    return found


def _lock_freelancer(user_id: int) -> Profile:
    # Two offers sent at once at the quota's edge: the second waits here, then counts the first.
    profile = Profile.objects.select_for_update(no_key=True).filter(pk=user_id).first()
    if profile is None:
        Profile.objects.get_or_create(user_id=user_id)
        profile = Profile.objects.select_for_update(no_key=True).get(pk=user_id)
    return profile


def _event(
    buyer_request: BuyerRequest,
    *,
    kind: str,
    actor: User | None,
    recipient: User | None = None,
    offer: Offer | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=buyer_request, offer=offer, actor=actor, recipient=recipient, kind=kind,
        from_status=from_status, to_status=to_status or buyer_request.status, note=note,
    )  # fmt: skip
    if recipient is not None:
        from .tasks import request_event_notify

        request_event_record(event)  # the recipient's notification centre
        enqueue_on_commit(request_event_notify, event.pk)
    return event


def _transition(
    buyer_request: BuyerRequest,
    *,
    to: str,
    actor: User | None,
    kind: str,
    recipient: User | None = None,
    offer: Offer | None = None,
    note: str = "",
    fields: tuple = (),
) -> BuyerRequest:
    if to not in ALLOWED[buyer_request.status]:
        raise RequestError(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(buyer_request.status).label, "to": S(to).label}
        )
    before = buyer_request.status
    buyer_request.status = to
    now = timezone.now()
    changed = ["status", "updated_at", *fields]
    if to == S.ACTIVE:
        # The expiry timer starts (again) when the request goes live.
        buyer_request.expires_at = now + timedelta(days=conf.expiry_days())
        buyer_request.published_at = now
        buyer_request.edited_since_review = False
        changed += ["expires_at", "published_at", "edited_since_review"]
    else:
        buyer_request.expires_at = None
        changed.append("expires_at")
    if to == S.PENDING:
        buyer_request.submitted_at = now
        buyer_request.edited_since_review = False
        changed += ["submitted_at", "edited_since_review"]
    if to in (S.CLOSED, S.EXPIRED):
        buyer_request.closed_at = now
        changed.append("closed_at")
    if to != S.REJECTED and buyer_request.rejection_reason:
        buyer_request.rejection_reason = ""
        changed.append("rejection_reason")
    buyer_request.save(update_fields=list(dict.fromkeys(changed)))
    _event(
        buyer_request, kind=kind, actor=actor, recipient=recipient, offer=offer, from_status=before, to_status=to,
        note=note,
    )  # fmt: skip
    if to == S.ACTIVE:
        _alerts_schedule(buyer_request, now=now)
    return buyer_request


def _check_request_data(data: RequestData) -> tuple[Money, Money]:
    if not data.title.strip():
        raise RequestError(_("Give the request a title."))
    if not data.description.strip():
        raise RequestError(_("Describe the job."))
    if not Category.objects.filter(pk=data.category_id, parent__isnull=False).exists():
        raise RequestError(_("Choose a category."))
    if data.visibility not in BuyerRequest.Visibility.values:
        raise RequestError(_("Choose who can send offers."))
    low = data.budget_min
    high = data.budget_max if data.budget_max is not None else data.budget_min
    if low is None or low < conf.min_budget():
        raise RequestError(
            _("The minimum budget is %(min)s %(cur)s.") % {"min": conf.min_budget(), "cur": conf.currency()}
        )
    if high < low:
        raise RequestError(_("The upper end of the budget cannot be below the lower end."))
    if high > conf.max_budget():
        raise RequestError(_("The maximum budget is %(max)s.") % {"max": conf.max_budget()})
    if data.desired_deadline is not None and data.desired_deadline < timezone.localdate():
        raise RequestError(_("The desired deadline is in the past."))
    return Money(low, conf.currency()), Money(high, conf.currency())


def _check_files(files: list[UploadedFile], *, existing: int = 0) -> None:
    check_uploads(files, max_bytes=conf.file_max_bytes(), max_files=max(conf.max_files() - existing, 0))


def _store_files(buyer_request: BuyerRequest, files: list[UploadedFile]) -> None:
    for upload in files:
        item = RequestFile(request=buyer_request, name=clean_filename(upload.name or ""), size=upload.size)
        item.file.save(item.name, upload, save=False)
        item.save()


def _delete_files(items: list[RequestFile]) -> None:
    names = [item.file.name for item in items if item.file]
    storage = RequestFile._meta.get_field("file").storage
    RequestFile.objects.filter(pk__in=[item.pk for item in items]).delete()
    # The files go only once the rows are surely gone.
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- requests -----------------------------------------------------------------------------------


@transaction.atomic
def request_create(*, client: User, data: RequestData, files: list[UploadedFile] | None = None) -> BuyerRequest:
    """Post a request: it goes to moderation first."""
    files = list(files or [])
    low, high = _check_request_data(data)
    _check_files(files)
    buyer_request = BuyerRequest.objects.create(
        client=client,
        category_id=data.category_id,
        title=data.title.strip(),
        description=data.description.strip(),
        budget_min=low,
        budget_max=high,
        desired_deadline=data.desired_deadline,
        visibility=data.visibility,
        status=S.PENDING,
        submitted_at=timezone.now(),
    )
    _store_files(buyer_request, files)
    _event(buyer_request, kind=K.SUBMITTED, actor=client, to_status=S.PENDING)
    return buyer_request


@transaction.atomic
def request_update(
    *,
    request_id: int,
    client: User,
    data: RequestData,
    files: list[UploadedFile] | None = None,
    delete_file_ids: list[int] | None = None,
) -> BuyerRequest:
    """Edit a request. An active or rejected request goes (back) to moderation; a closed or
    expired one stays as it is, and renewing it later sends it to moderation."""
    files = list(files or [])
    buyer_request = _lock_own_request(request_id, client)
    if buyer_request.is_hired:
        raise RequestError(_("You have hired a freelancer for this request; post a new request instead."))
    low, high = _check_request_data(data)
    removed = list(buyer_request.files.filter(pk__in=delete_file_ids or []))
    _check_files(files, existing=buyer_request.files.count() - len(removed))
    buyer_request.title = data.title.strip()
    buyer_request.description = data.description.strip()
    buyer_request.category_id = data.category_id
    buyer_request.budget_min, buyer_request.budget_max = low, high
    buyer_request.desired_deadline = data.desired_deadline
    buyer_request.visibility = data.visibility
    fields = ["title", "description", "category", "budget_min", "budget_max", "budget_min_currency",
              "budget_max_currency", "desired_deadline", "visibility"]  # fmt: skip
    if buyer_request.status in (S.CLOSED, S.EXPIRED):
        buyer_request.edited_since_review = True
        fields.append("edited_since_review")
    if buyer_request.status in (S.ACTIVE, S.REJECTED):
        _transition(buyer_request, to=S.PENDING, actor=client, kind=K.EDITED, fields=tuple(fields))
    else:
        buyer_request.save(update_fields=[*fields, "updated_at"])
        _event(buyer_request, kind=K.EDITED, actor=client, from_status=buyer_request.status)
    _delete_files(removed)
    _store_files(buyer_request, files)
    return buyer_request


@transaction.atomic
def request_approve(*, request_id: int, actor: User | None) -> BuyerRequest:
    buyer_request = _lock_request(request_id)
    if buyer_request is None:
        raise RequestError(_("There is no such request."))
    if buyer_request.status != S.PENDING:
        raise RequestError(_("Only a request on moderation can be approved."))
    return _transition(
        buyer_request, to=S.ACTIVE, actor=actor, kind=K.APPROVED, recipient=buyer_request.client, note="approved"
    )


@transaction.atomic
def request_reject(*, request_id: int, actor: User | None, reason: str) -> BuyerRequest:
    reason = reason.strip()
    if not reason:
        raise RequestError(_("Write the reason for the rejection: the client will see it."))
    buyer_request = _lock_request(request_id)
    if buyer_request is None:
        raise RequestError(_("There is no such request."))
    buyer_request.rejection_reason = reason
    return _transition(
        buyer_request, to=S.REJECTED, actor=actor, kind=K.REJECTED, recipient=buyer_request.client, note=reason,
        fields=("rejection_reason",),
    )  # fmt: skip


@transaction.atomic
def request_close(*, request_id: int, client: User) -> BuyerRequest:
    """The client stops taking offers. Open offers stay as they are: renewing reopens them."""
    buyer_request = _lock_own_request(request_id, client)
    if buyer_request.status not in (S.PENDING, S.ACTIVE):
        raise RequestError(_("Only an active request or one on moderation can be closed."))
    fields: tuple = ()
    if buyer_request.status == S.PENDING:
        # Never approved as it is now: renewing it must not skip moderation.
        buyer_request.edited_since_review = True
        fields = ("edited_since_review",)
    return _transition(buyer_request, to=S.CLOSED, actor=client, kind=K.CLOSED, fields=fields)


@transaction.atomic
def request_renew(*, request_id: int, client: User) -> BuyerRequest:
    """A closed or expired request goes live again for another expiry period; if it was
    edited since moderation, it goes to moderation first."""
    buyer_request = _lock_own_request(request_id, client)
    if buyer_request.is_hired:
        raise RequestError(_("You have hired a freelancer for this request; post a new request instead."))
    if buyer_request.status not in (S.CLOSED, S.EXPIRED):
        raise RequestError(_("Only a closed or expired request can be renewed."))
    to = S.PENDING if buyer_request.edited_since_review else S.ACTIVE
    return _transition(buyer_request, to=to, actor=client, kind=K.RENEWED)


def request_expire(*, request_id: int, now=None) -> BuyerRequest | None:
    """Expire one due request; None when it is not due or someone else holds it (the next sweep retries)."""
    now = now or timezone.now()
    with transaction.atomic():
        buyer_request = (
            BuyerRequest.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .defer("search_vector")
            .filter(pk=request_id, status=S.ACTIVE, expires_at__lte=now)
            .select_related("client")
            .first()
        )
        if buyer_request is None:
            return None
        return _transition(buyer_request, to=S.EXPIRED, actor=None, kind=K.EXPIRED, recipient=buyer_request.client)


def requests_expire_due(*, now=None, limit: int = 500) -> int:
    now = now or timezone.now()
    ids = list(
        BuyerRequest.objects.filter(status=S.ACTIVE, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if request_expire(request_id=pk, now=now) is not None)


# --- invitations ---------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, request_id: int, client: User, freelancer: User) -> Invitation:
    buyer_request = _lock_own_request(request_id, client)
    if buyer_request.status != S.ACTIVE:
        raise RequestError(_("You can invite freelancers to an active request only."))
    if freelancer.pk == client.pk or not freelancer.is_seller or not freelancer.is_active:
        raise RequestError(_("You can invite only a freelancer who is selling now."))
    if Offer.objects.filter(request=buyer_request, freelancer=freelancer).exists():
        raise RequestError(_("%(name)s has already sent an offer to this request.") % {"name": freelancer.display_name})
    invitation, created = Invitation.objects.get_or_create(request=buyer_request, freelancer=freelancer)
    if not created:
        raise RequestError(_("You have already invited %(name)s to this request.") % {"name": freelancer.display_name})
    _event(buyer_request, kind=K.INVITED, actor=client, recipient=freelancer, note=freelancer.username)
    return invitation


# --- offers ------------------------------------------------------------------------------------------


def _check_offer_data(data: OfferData, freelancer: User) -> Money:
    if len(data.message.strip()) < 20:
        raise RequestError(_("Write the client a few sentences (at least 20 characters) about how you will do it."))
    if data.price is None or not conf.offer_min_price() <= data.price <= conf.offer_max_price():
        raise RequestError(
            _("The price is from %(min)s to %(max)s %(cur)s.")
            % {"min": conf.offer_min_price(), "max": conf.offer_max_price(), "cur": conf.currency()}
        )
    if not 1 <= int(data.delivery_days) <= 90 or not 0 <= int(data.revisions) <= 20:
        raise RequestError(_("Delivery takes from 1 to 90 days, with up to 20 revisions."))
    if (
        data.gig_id is not None
        and not Gig.objects.filter(pk=data.gig_id, seller=freelancer, status=Gig.Status.ACTIVE).exists()
    ):
        raise RequestError(_("Choose one of your active gigs, or none."))
    price = Money(data.price, conf.currency())
    if data.milestones:
        milestones_validate(price=price, milestones=milestones_from_json(data.milestones, conf.currency()))
    return price


def _check_can_offer(buyer_request: BuyerRequest, freelancer: User, *, now) -> None:
    if buyer_request.client_id == freelancer.pk:
        raise RequestError(_("You cannot send an offer to your own request."))
    if not freelancer.is_seller:
        raise RequestError(_("Turn on selling in your settings to send offers."))
    if buyer_request.status != S.ACTIVE or buyer_request.expires_at is None or buyer_request.expires_at <= now:
        raise RequestError(_("This request is not taking offers."))
    if (
        buyer_request.visibility == BuyerRequest.Visibility.INVITED
        and not Invitation.objects.filter(request=buyer_request, freelancer=freelancer).exists()
    ):
        raise RequestError(_("This request takes offers from invited freelancers only."))


@transaction.atomic
def offer_send(*, request_id: int, freelancer: User, data: OfferData) -> Offer:
    """Send an offer. Costs one of today's free offers (see `selectors.offer_quota`)."""
    now = timezone.now()
    buyer_request = _lock_request(request_id)
    if buyer_request is None:
        raise RequestError(_("There is no such request."))
    _check_can_offer(buyer_request, freelancer, now=now)
    price = _check_offer_data(data, freelancer)
    if Offer.objects.filter(request=buyer_request, freelancer=freelancer).exists():
        raise RequestError(_("You have already answered this request: you can edit your offer while it is open."))
    profile = _lock_freelancer(freelancer.pk)
    quota = selectors.offer_quota(freelancer=freelancer, level=profile.seller_level, now=now)
    if quota.left <= 0:
        raise OfferQuotaExceeded(
            _("You have used all %(n)s offers for today. New ones are available tomorrow.") % {"n": quota.limit}
        )
    offer = Offer.objects.create(
        request=buyer_request,
        freelancer=freelancer,
        message=data.message.strip(),
        price=price,
        delivery_days=int(data.delivery_days),
        revisions=int(data.revisions),
        gig_id=data.gig_id,
        milestones=data.milestones,
    )
    _event(buyer_request, kind=K.OFFER_SENT, actor=freelancer, recipient=buyer_request.client, offer=offer)
    return offer


def _lock_offer_with_request(offer_id: int) -> tuple[BuyerRequest | None, Offer | None]:
    """The offer's request first, then the offer: the one lock order of this app."""
    request_id = Offer.objects.filter(pk=offer_id).values_list("request_id", flat=True).first()
    buyer_request = _lock_request(request_id)
    if buyer_request is None:
        return None, None
    return buyer_request, Offer.objects.select_for_update(no_key=True).filter(pk=offer_id).first()


@transaction.atomic
def offer_edit(*, offer_id: int, freelancer: User, data: OfferData) -> Offer:
    buyer_request, offer = _lock_offer_with_request(offer_id)
    if offer is None or offer.freelancer_id != freelancer.pk:
        raise RequestError(_("There is no such offer."))
    if offer.status != OfferStatus.SENT:
        raise RequestError(_("The client has answered this offer: it can no longer be changed."))
    if buyer_request.status != S.ACTIVE:
        raise RequestError(_("This request is not taking offers."))
    offer.price = _check_offer_data(data, freelancer)
    offer.message = data.message.strip()
    offer.delivery_days = int(data.delivery_days)
    offer.revisions = int(data.revisions)
    offer.gig_id = data.gig_id
    offer.milestones = data.milestones
    offer.save(
        update_fields=["price", "price_currency", "message", "delivery_days", "revisions", "gig", "milestones",
                       "updated_at"]
    )  # fmt: skip
    _event(buyer_request, kind=K.OFFER_EDITED, actor=freelancer, offer=offer)
    return offer


@transaction.atomic
def offer_withdraw(*, offer_id: int, freelancer: User) -> Offer:
    """Take an open offer back. It is final: one offer per freelancer and request."""
    buyer_request, offer = _lock_offer_with_request(offer_id)
    if offer is None or offer.freelancer_id != freelancer.pk:
        raise RequestError(_("There is no such offer."))
    if offer.status != OfferStatus.SENT:
        raise RequestError(_("The client has answered this offer: it can no longer be withdrawn."))
    offer.status = OfferStatus.WITHDRAWN
    offer.save(update_fields=["status", "updated_at"])
    _event(buyer_request, kind=K.OFFER_WITHDRAWN, actor=freelancer, offer=offer)
    return offer


@transaction.atomic
def offers_mark_opened(*, request_id: int, client: User, now=None) -> int:
    """The client opened the comparison page: every offer on it counts as opened (its quota
    is no longer returned). Under the request lock, so it never interleaves with an accept."""
    _lock_own_request(request_id, client)
    return (
        Offer.objects.filter(request_id=request_id, opened_at__isnull=True)
        .exclude(status=OfferStatus.WITHDRAWN)
        .update(opened_at=now or timezone.now())
    )


@transaction.atomic
def offer_decline(*, offer_id: int, client: User, reason: str = "") -> Offer:
    buyer_request, offer = _lock_offer_with_request(offer_id)
    if offer is None or buyer_request.client_id != client.pk or offer.status == OfferStatus.WITHDRAWN:
        raise RequestError(_("There is no such offer."))
    if offer.status != OfferStatus.SENT:
        raise RequestError(_("You have already answered this offer."))
    now = timezone.now()
    offer.status = OfferStatus.DECLINED
    offer.decline_kind = Offer.DeclineKind.CLIENT
    offer.decline_reason = reason.strip()[:1000]
    offer.answered_at = now
    offer.opened_at = offer.opened_at or now
    offer.save(update_fields=["status", "decline_kind", "decline_reason", "answered_at", "opened_at", "updated_at"])
    _event(
        buyer_request, kind=K.OFFER_DECLINED, actor=client, recipient=offer.freelancer, offer=offer,
        note=offer.decline_reason,
    )  # fmt: skip
    return offer


@transaction.atomic
def offer_accept(*, offer_id: int, client: User) -> Order:
    """Hire: the offer's terms become an unpaid order (the client pays next), the other open
    offers are declined and the request closes. Single hire, exactly once: the request row
    is locked first, so a second accept (of this or another offer) waits and then finds
    the request closed; a partial unique index guards the same rule in the database."""
    buyer_request, offer = _lock_offer_with_request(offer_id)
    if offer is None or buyer_request.client_id != client.pk or offer.status == OfferStatus.WITHDRAWN:
        raise RequestError(_("There is no such offer."))
    if buyer_request.is_hired:
        raise RequestError(_("You have already hired a freelancer for this request."))
    if offer.status != OfferStatus.SENT:
        raise RequestError(_("This offer can no longer be accepted."))
    if buyer_request.status != S.ACTIVE:
        raise RequestError(_("This request is closed. Renew it to accept an offer."))
    order = order_place_custom(
        buyer=client,
        seller=offer.freelancer,
        title=buyer_request.title,
        description=offer.message,
        price=offer.price,
        delivery_days=offer.delivery_days,
        revisions=offer.revisions,
        source="Request offer",
        gig_id=offer.gig_id,
        milestones=milestones_from_json(offer.milestones, offer.price.currency.code) or None,
    )
    now = timezone.now()
    offer.status = OfferStatus.ACCEPTED
    offer.order = order
    offer.answered_at = now
    offer.opened_at = offer.opened_at or now
    offer.save(update_fields=["status", "order", "answered_at", "opened_at", "updated_at"])
    others = list(
        Offer.objects.select_for_update(no_key=True, of=("self",))
        .select_related("freelancer")
        .filter(request=buyer_request, status=OfferStatus.SENT)
        .exclude(pk=offer.pk)
        .order_by("pk")
    )
    for other in others:
        other.status = OfferStatus.DECLINED
        other.decline_kind = Offer.DeclineKind.OTHER_CHOSEN
        other.answered_at = now
        other.save(update_fields=["status", "decline_kind", "answered_at", "updated_at"])
        _event(buyer_request, kind=K.OFFER_DECLINED, actor=client, recipient=other.freelancer, offer=other)
    buyer_request.hired_at = now
    _transition(
        buyer_request, to=S.CLOSED, actor=client, kind=K.OFFER_ACCEPTED, recipient=offer.freelancer, offer=offer,
        fields=("hired_at",),
    )  # fmt: skip
    return order


def offers_return_quota_due(*, now=None, limit: int = 1000) -> int:
    """Offers the client never opened within the return period give their quota back."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.offer_return_days())
    with transaction.atomic():
        ids = list(
            Offer.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(opened_at__isnull=True, quota_returned_at__isnull=True, created_at__lte=cutoff)
            .exclude(status=OfferStatus.ACCEPTED)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        return Offer.objects.filter(pk__in=ids).update(quota_returned_at=now)


# --- alerts ------------------------------------------------------------------------------------------


@transaction.atomic
def request_alerts_set(*, user: User, category_ids: list[int]) -> set[int]:
    """Replace the categories whose new requests the freelancer hears about."""
    if not user.is_seller and category_ids:
        raise RequestError(_("Turn on selling in your settings to get new requests by email."))
    wanted = set(Category.objects.filter(pk__in=category_ids, parent__isnull=False).values_list("pk", flat=True))
    RequestAlert.objects.filter(user=user).exclude(category_id__in=wanted).delete()
    have = set(RequestAlert.objects.filter(user=user).values_list("category_id", flat=True))
    RequestAlert.objects.bulk_create([RequestAlert(user=user, category_id=pk) for pk in sorted(wanted - have)])
    if wanted:
        RequestAlertDigest.objects.get_or_create(user=user, defaults={"since": timezone.now()})
    return wanted


def _alerts_schedule(buyer_request: BuyerRequest, *, now) -> None:
    """Start the batching timer of every freelancer watching this request's category: now if
    their last email is older than the interval, else the interval after it. A timer that
    is already running is left alone: the email it sends will carry this request too."""
    if buyer_request.visibility != BuyerRequest.Visibility.PUBLIC:
        return
    interval = timedelta(minutes=conf.alert_interval_minutes())
    watchers = (
        RequestAlert.objects.filter(category_id=buyer_request.category_id)
        .exclude(user_id=buyer_request.client_id)
        .values("user_id")
    )
    idle = RequestAlertDigest.objects.filter(user_id__in=watchers, due_at__isnull=True)
    idle.filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - interval)).update(due_at=now)
    idle.filter(last_sent_at__gt=now - interval).update(due_at=F("last_sent_at") + interval)
