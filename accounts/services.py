"""Every write to accounts and profiles."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.images import reencode_image

from .models import AccountEvent, Profile, User

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
