"""Every write to the catalog: categories, gigs and their parts, moderation, favorites."""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from moneyed import Money
from redis.exceptions import RedisError, ResponseError

from accounts.models import User
from marketplace.cache import redis_client
from marketplace.errors import DomainError
from marketplace.images import image_rows_delete, reencode_showcase_images, thumbnail_image
from marketplace.jobs import enqueue_on_commit
from notifications.models import Notification
from notifications.services import notification_add

from .category_data import CATEGORY_TREE
from .models import (
    Category,
    Favorite,
    Gig,
    GigEvent,
    GigExtra,
    GigFaq,
    GigImage,
    GigPackage,
    GigQuestion,
    SearchTerm,
)
from .ranking import gig_scores_refresh
from .search import parse_terms

Status = Gig.Status

# Which status changes are possible at all; who may make them is checked by each service.
ALLOWED: dict[str, set[str]] = {
    Status.DRAFT: {Status.PENDING},
    Status.PENDING: {Status.ACTIVE, Status.REJECTED},
    Status.ACTIVE: {Status.PAUSED, Status.PENDING},
    Status.PAUSED: {Status.ACTIVE, Status.PENDING},
    Status.REJECTED: {Status.PENDING},
}


class GigError(DomainError):
    pass


@dataclass
class PackageData:
    name: str
    description: str
    price: Decimal
    delivery_days: int
    revisions: int


@dataclass
class ExtraData:
    title: str
    price: Decimal
    extra_days: int = 0
    urgent_days: int | None = None  # sets the delivery time instead of adding to it


@dataclass
class QuestionData:
    text: str
    kind: str = GigQuestion.Kind.TEXT
    choices: list[str] = field(default_factory=list)
    required: bool = True


@dataclass
class FaqData:
    question: str
    answer: str


@dataclass
class GigData:
    """Everything the gig editor sends, already shaped by the forms."""

    title: str
    category_id: int
    description: str
    tags: list[str]
    packages: list[PackageData]
    extras: list[ExtraData] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)
    faqs: list[FaqData] = field(default_factory=list)


# --- categories -------------------------------------------------------------------------


@transaction.atomic
def category_tree_seed() -> int:
    """Create or rename the standard sections and categories; safe to run again. Returns the count."""
    count = 0
    for s_pos, (slug, icon, name_ru, name_en, children) in enumerate(CATEGORY_TREE):
        section = _category_put(None, slug, {"icon": icon, "name_ru": name_ru, "name_en": name_en, "position": s_pos})
        count += 1
        for c_pos, (child_slug, child_ru, child_en) in enumerate(children):
            _category_put(section, child_slug, {"name_ru": child_ru, "name_en": child_en, "position": c_pos})
            count += 1
    return count  # every save forgot the cached tree and menus (gigs/signals.py)


def _category_put(parent: Category | None, slug: str, fields: dict) -> Category:
    """Create one category, or save what changed in it. Without update_or_create's FOR UPDATE,
    which would hold up every gig saved meanwhile (its row points at the category); the
    unique (parent, slug) refuses a second copy if two seeds ever ran at once."""
    category = Category.objects.filter(parent=parent, slug=slug).first()
    if category is None:
        return Category.objects.create(parent=parent, slug=slug, **fields)
    changed = [name for name, value in fields.items() if getattr(category, name) != value]
    for name in changed:
        setattr(category, name, fields[name])
    if changed:
        category.save(update_fields=changed)
    return category


# --- gigs ---------------------------------------------------------------------------------


def _money(amount: Decimal) -> Money:
    return Money(amount, settings.MARKETPLACE_CURRENCY)


def _check(data: GigData) -> None:
    """The rules a form could be bypassed around; forms give the same messages earlier."""
    minimum = Decimal(settings.GIG_MIN_PRICE)
    maximum = Decimal(settings.GIG_MAX_PRICE)
    if not data.title.strip():
        raise GigError(_("Give the gig a title."))
    if len(data.title) > 80:
        raise GigError(_("The title is limited to 80 characters."))
    if not 1 <= len(data.packages) <= 3:
        raise GigError(_("A gig has one to three packages."))
    if len(data.extras) > 10:
        raise GigError(_("A gig has at most 10 extras."))
    if len(data.tags) > 5:
        raise GigError(_("At most 5 tags."))
    for package in data.packages:
        if not (minimum <= package.price <= maximum):
            raise GigError(
                _("A package costs from %(min)s to %(max)s %(cur)s.")
                % {"min": minimum, "max": maximum, "cur": settings.MARKETPLACE_CURRENCY}
            )
        if package.price != package.price.quantize(Decimal("0.01")):
            raise GigError(_("Prices have at most two decimal places."))
        if not 1 <= package.delivery_days <= 90:
            raise GigError(_("Delivery takes from 1 to 90 days."))
    for extra in data.extras:
        if not (Decimal(1) <= extra.price <= maximum):
            raise GigError(_("An extra costs at least 1 %(cur)s.") % {"cur": settings.MARKETPLACE_CURRENCY})
        if extra.urgent_days is not None:
            if extra.extra_days:
                raise GigError(_("An urgent extra shortens the delivery: it cannot add days as well."))
            if not 1 <= extra.urgent_days < max(p.delivery_days for p in data.packages):
                raise GigError(
                    _("Urgent delivery must be quicker than your packages: from 1 to %(n)s days.")
                    % {"n": max(p.delivery_days for p in data.packages) - 1}
                )
    category = Category.objects.filter(pk=data.category_id, parent__isnull=False).first()
    if category is None:
        raise GigError(_("Choose a category (not a whole section)."))


def _write_parts(gig: Gig, data: GigData) -> None:
    # Packages are updated in place by tier, so orders that point at one keep pointing at it.
    # The gig row is locked, so a plain UPDATE (no key changes: the orders placed meanwhile
    # are not blocked, as update_or_create's FOR UPDATE would block them) or INSERT is enough.
    kept_tiers = []
    for tier, package in enumerate(data.packages, start=1):
        fields = {
            "name": package.name,
            "description": package.description,
            "price": _money(package.price),
            "delivery_days": package.delivery_days,
            "revisions": package.revisions,
        }
        if not GigPackage.objects.filter(gig=gig, tier=tier).update(**fields):
            GigPackage.objects.create(gig=gig, tier=tier, **fields)
        kept_tiers.append(tier)
    gig.packages.exclude(tier__in=kept_tiers).delete()
    # Orders snapshot extras, questions and FAQ text, so these are simply replaced.
    gig.extras.all().delete()
    GigExtra.objects.bulk_create(
        GigExtra(
            gig=gig,
            title=e.title,
            price=_money(e.price),
            extra_days=e.extra_days,
            urgent_days=e.urgent_days,
            position=i,
        )
        for i, e in enumerate(data.extras)
    )
    gig.questions.all().delete()
    GigQuestion.objects.bulk_create(
        GigQuestion(gig=gig, text=q.text, kind=q.kind, choices=q.choices, required=q.required, position=i)
        for i, q in enumerate(data.questions)
    )
    gig.faqs.all().delete()
    GigFaq.objects.bulk_create(
        GigFaq(gig=gig, question=f.question, answer=f.answer, position=i) for i, f in enumerate(data.faqs)
    )
    gig.price_from = _money(min(p.price for p in data.packages))
    gig.days_min = min(p.delivery_days for p in data.packages)


def _event(gig: Gig, actor: User | None, from_status: str, to_status: str, note: str = "") -> None:
    GigEvent.objects.create(gig=gig, actor=actor, from_status=from_status, to_status=to_status, note=note)


def _lock_own(*, gig_id: int, seller: User) -> Gig:
    gig = Gig.objects.select_for_update(no_key=True).filter(pk=gig_id, seller=seller).first()
    if gig is None:
        raise GigError(_("This gig does not exist or is not yours."))
    return gig


def gig_save(
    *,
    seller: User,
    data: GigData,
    gig_id: int | None = None,
    submit: bool = False,
    new_images: list[UploadedFile] | None = None,
    delete_image_ids: list[int] | None = None,
    cover_image_id: int | None = None,
) -> Gig:
    """Create or edit a gig with all its parts in one transaction.

    Images are validated and re-encoded before anything is written, so a bad upload
    leaves the gig as it was. Editing an active or paused gig sends it back to
    moderation; `submit` sends a draft or rejected gig there.
    """
    if not seller.is_seller:
        raise GigError(_("Turn on selling in your settings to create gigs."))
    _check(data)
    prepared = reencode_showcase_images(new_images or [])
    with transaction.atomic():
        if gig_id is None:
            gig = Gig(seller=seller, status=Status.DRAFT)
            before = ""
        else:
            gig = _lock_own(gig_id=gig_id, seller=seller)
            before = gig.status
        gig.title = data.title.strip()
        gig.slug = slugify(_translit(gig.title))[:100] or "gig"
        gig.category_id = data.category_id
        gig.description = data.description.strip()
        gig.tags = data.tags
        gig.tags_text = " ".join(data.tags)
        gig.save()
        _write_parts(gig, data)
        _images_apply(gig, prepared, delete_image_ids or [], cover_image_id)

        target = gig.status
        if gig.status in (Status.ACTIVE, Status.PAUSED, Status.PENDING) or submit:
            target = Status.PENDING
        if target == Status.PENDING and not gig.images.exists():
            raise GigError(_("Add at least one image before sending the gig to moderation."))
        if target != gig.status:
            gig.status = target
            gig.submitted_at = timezone.now()
        gig.save()
        _event(gig, seller, before, gig.status, "created" if gig_id is None else "edited")
    return gig


_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def _translit(text: str) -> str:
    return text.lower().translate(_TRANSLIT)


def _images_apply(gig: Gig, prepared: list[ContentFile], delete_ids: list[int], cover_id: int | None) -> None:
    if delete_ids:
        image_rows_delete(gig.images.filter(pk__in=delete_ids))
    existing = list(gig.images.order_by("position", "id"))
    if len(existing) + len(prepared) > settings.GIG_MAX_IMAGES:
        raise GigError(_("A gig has at most %(n)s images.") % {"n": settings.GIG_MAX_IMAGES})
    for content in prepared:
        image = GigImage(gig=gig, position=len(existing))
        image.image.save(content.name, content, save=False)
        image.save()
        existing.append(image)
        enqueue_on_commit(_thumbnail_task(), image.pk)
    if cover_id is not None:
        existing.sort(key=lambda img: (img.pk != cover_id, img.position, img.pk))
    for position, image in enumerate(existing):
        if image.position != position:
            image.position = position
            image.save(update_fields=["position"])


def _thumbnail_task():
    from .tasks import gig_image_thumbnail

    return gig_image_thumbnail


def gig_image_build_thumbnail(*, image_id: int) -> None:
    """Make the catalog-card thumbnail of an image; safe to run twice."""
    image = GigImage.objects.filter(pk=image_id).first()
    if image is None or image.thumbnail:
        return
    content = thumbnail_image(image.image, size=settings.GIG_THUMBNAIL_SIZE)
    with transaction.atomic():
        locked = GigImage.objects.select_for_update(no_key=True).filter(pk=image_id).first()
        if locked is None or locked.thumbnail:
            return
        locked.thumbnail.save(content.name, content, save=False)
        locked.save(update_fields=["thumbnail"])


def _transition(*, gig: Gig, to: str, actor: User | None, note: str = "") -> Gig:
    if to not in ALLOWED[gig.status]:
        raise GigError(
            _("A gig that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(gig.status).label, "to": Status(to).label}
        )
    before = gig.status
    gig.status = to
    fields = ["status", "updated_at"]
    if to == Status.ACTIVE and gig.published_at is None:
        gig.published_at = timezone.now()
        fields.append("published_at")
    if to == Status.PENDING:
        gig.submitted_at = timezone.now()
        fields.append("submitted_at")
    if to == Status.REJECTED:
        fields.append("rejection_reason")
    elif gig.rejection_reason:
        gig.rejection_reason = ""
        fields.append("rejection_reason")
    gig.save(update_fields=fields)
    if to == Status.ACTIVE:
        gig_scores_refresh(gig_ids=[gig.pk])  # its search score starts from its publication date
    _event(gig, actor, before, to, note)
    return gig


@transaction.atomic
def gig_submit(*, gig_id: int, seller: User) -> Gig:
    gig = _lock_own(gig_id=gig_id, seller=seller)
    if not gig.packages.exists() or not gig.images.exists():
        raise GigError(_("Add at least one package and one image before sending the gig to moderation."))
    return _transition(gig=gig, to=Status.PENDING, actor=seller)


@transaction.atomic
def gig_approve(*, gig_id: int, actor: User) -> Gig:
    """Publish a gig on moderation; the freelancer is told (in the centre and by email)."""
    gig = Gig.objects.select_for_update(no_key=True).get(pk=gig_id)
    gig = _transition(gig=gig, to=Status.ACTIVE, actor=actor, note="approved")
    notification_add(recipient=gig.seller_id, kind=Notification.Kind.GIG_APPROVED, actor=actor,
                     params={"gig": gig.pk, "title": gig.title}, url_name="gigs:detail",
                     url_args=[gig.pk, gig.slug])  # fmt: skip
    return gig


@transaction.atomic
def gig_reject(*, gig_id: int, actor: User, reason: str) -> Gig:
    """Send a gig back with the reason, which the freelancer reads in the centre, the email
    and the editor."""
    reason = reason.strip()
    if not reason:
        raise GigError(_("Write the reason for the rejection: the freelancer will see it."))
    gig = Gig.objects.select_for_update(no_key=True).get(pk=gig_id)
    gig.rejection_reason = reason
    gig = _transition(gig=gig, to=Status.REJECTED, actor=actor, note=reason)
    notification_add(recipient=gig.seller_id, kind=Notification.Kind.GIG_REJECTED, actor=actor,
                     params={"gig": gig.pk, "title": gig.title, "reason": reason}, url_name="gigs:edit",
                     url_args=[gig.pk])  # fmt: skip
    return gig


@transaction.atomic
def gig_pause(*, gig_id: int, seller: User) -> Gig:
    return _transition(gig=_lock_own(gig_id=gig_id, seller=seller), to=Status.PAUSED, actor=seller)


@transaction.atomic
def gig_resume(*, gig_id: int, seller: User) -> Gig:
    return _transition(gig=_lock_own(gig_id=gig_id, seller=seller), to=Status.ACTIVE, actor=seller)


@transaction.atomic
def gig_delete_draft(*, gig_id: int, seller: User) -> None:
    gig = _lock_own(gig_id=gig_id, seller=seller)
    if gig.status not in (Status.DRAFT, Status.REJECTED) or gig.published_at is not None:
        raise GigError(_("Only a draft that was never published can be deleted; pause the gig instead."))
    names = [n for img in gig.images.all() for n in (img.image.name, img.thumbnail.name) if n]
    storage = GigImage._meta.get_field("image").storage
    gig.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def gig_duplicate(*, gig_id: int, seller: User) -> Gig:
    """A draft copy with the same packages, extras, questions, FAQ and images."""
    source = _lock_own(gig_id=gig_id, seller=seller)
    title = _("Copy of %(title)s") % {"title": source.title}
    copy = Gig.objects.create(
        seller=seller,
        category_id=source.category_id,
        title=title[:80],
        slug=source.slug,
        description=source.description,
        tags=source.tags,
        tags_text=source.tags_text,
        price_from=source.price_from,
        days_min=source.days_min,
        status=Status.DRAFT,
    )
    for model in (GigPackage, GigExtra, GigQuestion, GigFaq):
        rows = list(model.objects.filter(gig=source))
        for row in rows:
            row.pk = None
            row.gig = copy
        model.objects.bulk_create(rows)
    for image in source.images.all():
        with image.image.open("rb") as handle:
            content = ContentFile(handle.read(), name="copy.jpg")
        new_image = GigImage(gig=copy, position=image.position)
        new_image.image.save(content.name, content, save=False)
        new_image.save()
        enqueue_on_commit(_thumbnail_task(), new_image.pk)
    _event(copy, seller, "", Status.DRAFT, f"duplicated from #{source.pk}")
    return copy


# Views are counted in a Redis hash (one HINCRBY per page view, no database write on a read)
# and added to the gigs by `gig_views_flush` every minute; without Redis, straight in the row.
GIG_VIEWS_KEY = "gigs:views:pending"


def gig_register_view(*, gig_id: int) -> None:
    client = redis_client()
    if client is not None:
        try:
            client.hincrby(GIG_VIEWS_KEY, str(gig_id), 1)
            return
        except RedisError:
            pass  # Redis is down: count in the row rather than lose the view.
    # One UPDATE with F(): concurrent views never lose a count.
    Gig.objects.filter(pk=gig_id).update(views_count=F("views_count") + 1)


def gig_views_flush() -> int:
    """Add the views counted in Redis to the gigs; returns how many gigs were updated."""

    def add(pending: dict[str, int]) -> None:
        for gig_id, count in sorted((int(k), n) for k, n in pending.items()):
            Gig.objects.filter(pk=gig_id).update(views_count=F("views_count") + count)

    return _counts_flush(GIG_VIEWS_KEY, add)


def _counts_flush(key: str, add) -> int:
    """Hand the counts of the Redis hash `key` to `add({field: count})` in one transaction.

    The hash is renamed first, so counts made during the flush go to a new hash and are
    never lost or counted twice; if the database write fails, the counts go back."""
    client = redis_client()
    if client is None:
        return 0
    batch_key = f"{key}:flushing:{uuid.uuid4().hex}"
    try:
        client.rename(key, batch_key)
    except ResponseError:  # no such key: nothing was counted
        return 0
    pending = {(f.decode() if isinstance(f, bytes) else f): int(n) for f, n in client.hgetall(batch_key).items()}
    try:
        with transaction.atomic():
            add(pending)
    except Exception:
        with client.pipeline() as pipe:
            for field, count in pending.items():
                pipe.hincrby(key, field, count)
            pipe.delete(batch_key)
            pipe.execute()
        raise
    client.delete(batch_key)
    return len(pending)


# --- favorites ------------------------------------------------------------------------------


def favorite_toggle(*, user: User, gig_id: int) -> bool:
    """Save or unsave a gig; returns whether it is saved now. Double clicks are harmless."""
    with transaction.atomic():
        deleted, _rows = Favorite.objects.filter(user=user, gig_id=gig_id).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Favorite.objects.create(user=user, gig_id=gig_id)
        except IntegrityError:
            pass  # a parallel click saved it first
        return True


# Searches are counted like views: a Redis hash, added to SearchTerm by `search_terms_flush`.
SEARCH_TERMS_KEY = "gigs:searches:pending"


def search_register(*, q: str) -> None:
    """Count a search that found something, by its words (phrases and exclusions left out):
    "Логотип  для компании" and "логотип для компании" are one entry. Queries with an email
    address or a long number (a phone) are not kept: they are somebody's data, not a search."""
    words = parse_terms(q).words
    text = " ".join(words)[:100]
    if not text or "@" in text or sum(ch.isdigit() for ch in text) >= 5:
        return
    client = redis_client()
    if client is not None:
        try:
            client.hincrby(SEARCH_TERMS_KEY, text, 1)
            return
        except RedisError:
            pass
    _search_terms_add({text: 1})


def _search_terms_add(counts: dict[str, int]) -> None:
    existing = set(SearchTerm.objects.filter(query__in=list(counts)).values_list("query", flat=True))
    SearchTerm.objects.bulk_create(
        [SearchTerm(query=q, count=0) for q in counts if q not in existing], ignore_conflicts=True
    )
    for text, count in sorted(counts.items()):
        SearchTerm.objects.filter(query=text).update(count=F("count") + count, updated_at=timezone.now())


def search_terms_flush() -> int:
    """Add the searches counted in Redis to SearchTerm (as `gig_views_flush` does views)."""
    return _counts_flush(SEARCH_TERMS_KEY, _search_terms_add)
