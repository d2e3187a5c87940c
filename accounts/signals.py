"""Forget the cached fragments that show a person to others (name, avatar, headline, level,
last seen: the seller card on gig pages) when their account or profile changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace import fragments

from .models import Profile, User


def _forget(user_id: int | None) -> None:
    if user_id is not None:
        fragments.generation_bump(fragments.person_group(user_id))


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _user_changed(sender, instance, **kwargs):
    _forget(instance.pk)


@receiver(post_save, sender=Profile)
@receiver(post_delete, sender=Profile)
def _profile_changed(sender, instance, **kwargs):
    _forget(instance.user_id)
