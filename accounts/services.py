"""Every write to accounts, profiles and portfolios."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import fragments
from marketplace.errors import DomainError
from marketplace.images import image_rows_delete, reencode_image, reencode_showcase_images, thumbnail_image
from marketplace.jobs import enqueue_on_commit

from .models import (
    PORTFOLIO_MAX_IMAGES,
    PORTFOLIO_MAX_ITEMS,
    AccountEvent,
    PortfolioImage,
    PortfolioItem,
    Profile,
    User,
)

PROFILE_FIELDS = ("display_name", "headline", "bio", "skills", "languages", "country", "time_zone")


def profile_ensure(*, user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    user: User,
    data: dict,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
) -> Profile:
    """Save the profile fields in `data`; an avatar is validated and re-encoded first,
    so a bad image raises before anything is written."""
    new_avatar = None
    if avatar is not None:
        new_avatar = reencode_image(
            avatar,
            max_bytes=settings.AVATAR_MAX_BYTES,
            max_pixels=settings.AVATAR_MAX_PIXELS,
            max_side=settings.AVATAR_SIZE,
            square=True,
        )
    profile = Profile.objects.select_for_update(no_key=True).get(user=user)
    changed = []
    for field in PROFILE_FIELDS:
        if field in data and getattr(profile, field) != data[field]:
            setattr(profile, field, data[field])
            changed.append(field)
    old_avatar_name = profile.avatar.name if profile.avatar else ""
    if new_avatar is not None:
        profile.avatar.save(new_avatar.name, new_avatar, save=False)
        changed.append("avatar")
    elif remove_avatar and profile.avatar:
        profile.avatar = ""
        changed.append("avatar")
    profile.save()
    if "avatar" in changed and old_avatar_name:
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar_name))
    if changed:
        AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.PROFILE_UPDATED, data={"fields": changed})
    return profile


@transaction.atomic
def seller_activate(*, user: User) -> User:
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if user.is_seller:
        raise DomainError(_("You are already a freelancer."))
    user.is_seller = True
    user.seller_since = user.seller_since or timezone.now()
    user.save(update_fields=["is_seller", "seller_since"])
    AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.SELLING_STARTED)
    return user


@transaction.atomic
def seller_deactivate(*, user: User) -> User:
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if not user.is_seller:
        raise DomainError(_("You are not selling yet."))
    user.is_seller = False
    user.save(update_fields=["is_seller"])
    AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.SELLING_STOPPED)
    return user


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."))
    if user.language == language:
        return
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language)
        AccountEvent.objects.create(
            user=user, kind=AccountEvent.Kind.LANGUAGE_CHANGED, data={"from": user.language, "to": language}
        )
    user.language = language


# --- vacation ----------------------------------------------------------------------------


@transaction.atomic
def profile_vacation_set(*, user: User, on: bool, note: str = "", until: datetime.date | None = None) -> Profile:
    """Go on vacation or come back. While away, the seller's gigs are left out of the
    catalog, search, suggestions, the home page and their profile (gigs/selectors.py reads
    `Profile.on_vacation`), and checkout refuses them; orders already placed go on."""
    if on and not user.is_seller:
        raise DomainError(_("Only freelancers can go on vacation."))
    if on and until is not None and until < timezone.localdate():
        raise DomainError(_("The return date is in the past."))
    profile = Profile.objects.select_for_update(no_key=True).get(user=user)
    was_on = profile.on_vacation
    profile.on_vacation = on
    profile.vacation_note = note.strip() if on else ""
    profile.vacation_until = until if on else None
    profile.save()
    if was_on != on:
        kind = AccountEvent.Kind.VACATION_STARTED if on else AccountEvent.Kind.VACATION_ENDED
        AccountEvent.objects.create(user=user, kind=kind, data={"until": until.isoformat() if on and until else ""})
    # Each gig page's order card says "on vacation" instead of "Order": cached per gig. The
    # profile and seller card follow the person's generation (bumped by the profile's save).
    for gig_id in user.gigs.values_list("pk", flat=True):
        fragments.generation_bump(fragments.gig_group(gig_id))
    return profile


# --- portfolio ---------------------------------------------------------------------------


class PortfolioError(DomainError):
    pass


@dataclass
class PortfolioData:
    """What the portfolio editor sends, already shaped by the form."""

    title: str
    description: str
    category_id: int
    gig_id: int | None = None


def _category_model():
    # The category tree belongs to gigs, which depends on accounts, not the other way round.
    return PortfolioItem._meta.get_field("category").related_model


def _portfolio_check(*, owner: User, data: PortfolioData) -> None:
    if not data.title.strip():
        raise PortfolioError(_("Give the work a title."))
    if not _category_model().objects.filter(pk=data.category_id, parent__isnull=False).exists():
        raise PortfolioError(_("Choose a category."))
    # Only one of the owner's own gigs: a work shown on someone else's gig page would claim
    # their service as yours.
    if data.gig_id is not None and not owner.gigs.filter(pk=data.gig_id).exists():
        raise PortfolioError(_("Link the work to one of your own gigs."))


def _portfolio_lock(owner: User) -> Profile:
    """The owner's profile row is the portfolio's mutex: two tabs adding the 30th work, or a
    move racing a delete, would otherwise both count and number the same positions."""
    return Profile.objects.select_for_update(no_key=True).get(user=owner)


def _portfolio_forget(*, owner_id: int, gig_ids) -> None:
    fragments.generation_bump(fragments.person_group(owner_id))
    for gig_id in {gig_id for gig_id in gig_ids if gig_id is not None}:
        fragments.generation_bump(fragments.gig_group(gig_id))


def _portfolio_images_prepare(files: list[UploadedFile]) -> list[ContentFile]:
    if len(files) > PORTFOLIO_MAX_IMAGES:
        raise PortfolioError(_("A work has at most %(n)s images.") % {"n": PORTFOLIO_MAX_IMAGES})
    return reencode_showcase_images(files)  # exactly as gig images


def _portfolio_images_apply(
    item: PortfolioItem, prepared: list[ContentFile], delete_ids: list[int], cover_id: int | None
) -> None:
    if delete_ids:
        image_rows_delete(item.images.filter(pk__in=delete_ids))
    existing = list(item.images.order_by("position", "id"))
    if len(existing) + len(prepared) > PORTFOLIO_MAX_IMAGES:
        raise PortfolioError(_("A work has at most %(n)s images.") % {"n": PORTFOLIO_MAX_IMAGES})
    if cover_id is not None:
        existing.sort(key=lambda img: (img.pk != cover_id, img.position, img.pk))
    # Positions first, then the new images after them: the constraint keeps them below the cap.
    for position, image in enumerate(existing):
        if image.position != position:
            image.position = position
            image.save(update_fields=["position"])
    for content in prepared:
        image = PortfolioImage(item=item, position=len(existing))
        image.image.save(content.name, content, save=False)
        image.save()
        existing.append(image)
        enqueue_on_commit(_thumbnail_task(), image.pk)


def _thumbnail_task():
    from .tasks import portfolio_image_thumbnail

    return portfolio_image_thumbnail


def portfolio_item_save(
    *,
    owner: User,
    data: PortfolioData,
    item_id: int | None = None,
    new_images: list[UploadedFile] | None = None,
    delete_image_ids: list[int] | None = None,
    cover_image_id: int | None = None,
) -> PortfolioItem:
    """Add a work to the owner's portfolio (at the end) or edit one of theirs.

    Images are re-encoded before anything is written, so a bad upload changes nothing; a
    work keeps at least one image. At most PORTFOLIO_MAX_ITEMS works (and the profile's
    check constraint says so too)."""
    if not owner.is_seller:
        raise PortfolioError(_("Turn on selling in your settings to show a portfolio."))
    _portfolio_check(owner=owner, data=data)
    prepared = _portfolio_images_prepare(new_images or [])
    with transaction.atomic():
        profile = _portfolio_lock(owner)
        if item_id is None:
            if profile.portfolio_count >= PORTFOLIO_MAX_ITEMS:
                raise PortfolioError(
                    _("A portfolio holds at most %(n)s works: delete one to add another.") % {"n": PORTFOLIO_MAX_ITEMS}
                )
            item = PortfolioItem(owner=owner, position=profile.portfolio_count)
            old_gig_id = None
        else:
            item = PortfolioItem.objects.select_for_update(no_key=True).filter(pk=item_id, owner=owner).first()
            if item is None:
                raise PortfolioError(_("This work does not exist or is not yours."))
            old_gig_id = item.gig_id
        item.title = data.title.strip()
        item.description = data.description.strip()
        item.category_id = data.category_id
        item.gig_id = data.gig_id
        item.save()
        _portfolio_images_apply(item, prepared, delete_image_ids or [], cover_image_id)
        if not item.images.exists():
            raise PortfolioError(_("Add at least one image of the work."))
        if item_id is None:
            profile.portfolio_count = F("portfolio_count") + 1
            profile.save(update_fields=["portfolio_count", "updated_at"])
        AccountEvent.objects.create(
            user=owner,
            kind=AccountEvent.Kind.PORTFOLIO_CHANGED,
            data={"item": item.pk, "action": "created" if item_id is None else "edited"},
        )
        _portfolio_forget(owner_id=owner.pk, gig_ids=[old_gig_id, item.gig_id])
    return item


@transaction.atomic
def portfolio_item_delete(*, owner: User, item_id: int) -> None:
    profile = _portfolio_lock(owner)
    item = PortfolioItem.objects.select_for_update(no_key=True).filter(pk=item_id, owner=owner).first()
    if item is None:
        raise PortfolioError(_("This work does not exist or is not yours."))
    names = [n for image in item.images.all() for n in (image.image.name, image.thumbnail.name) if n]
    storage = PortfolioImage._meta.get_field("image").storage
    gig_id, position = item.gig_id, item.position
    item.delete()
    # Keep the positions 0..n-1, so the next work goes below the cap's position constraint.
    PortfolioItem.objects.filter(owner=owner, position__gt=position).update(position=F("position") - 1)
    profile.portfolio_count = F("portfolio_count") - 1
    profile.save(update_fields=["portfolio_count", "updated_at"])
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    AccountEvent.objects.create(
        user=owner, kind=AccountEvent.Kind.PORTFOLIO_CHANGED, data={"item": item_id, "action": "deleted"}
    )
    _portfolio_forget(owner_id=owner.pk, gig_ids=[gig_id])


@transaction.atomic
def portfolio_item_move(*, owner: User, item_id: int, up: bool) -> None:
    """Swap the work with the one before it (`up`) or after it; at either end, nothing moves."""
    _portfolio_lock(owner)
    items = list(PortfolioItem.objects.filter(owner=owner).order_by("position", "id").only("pk", "position", "gig"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise PortfolioError(_("This work does not exist or is not yours."))
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items):
        if item.position != position:
            PortfolioItem.objects.filter(pk=item.pk).update(position=position)
    AccountEvent.objects.create(
        user=owner, kind=AccountEvent.Kind.PORTFOLIO_CHANGED, data={"item": item_id, "action": "moved"}
    )
    _portfolio_forget(owner_id=owner.pk, gig_ids=[items[index].gig_id, items[other].gig_id])


def portfolio_image_build_thumbnail(*, image_id: int) -> None:
    """The grid's thumbnail of a portfolio image, cut like a gig card's; safe to run twice."""
    image = PortfolioImage.objects.select_related("item").filter(pk=image_id).first()
    if image is None or image.thumbnail:
        return
    content = thumbnail_image(image.image, size=settings.GIG_THUMBNAIL_SIZE)
    with transaction.atomic():
        locked = PortfolioImage.objects.select_for_update(no_key=True).filter(pk=image_id).first()
        if locked is None or locked.thumbnail:
            return
        locked.thumbnail.save(content.name, content, save=False)
        locked.save(update_fields=["thumbnail"])
        _portfolio_forget(owner_id=image.item.owner_id, gig_ids=[image.item.gig_id])
