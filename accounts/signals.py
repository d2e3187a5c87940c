"""Forget a person's cached header (name, avatar, role) when their account or profile changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.templatetags.ui import chrome_forget_person

from .models import Profile, User


def _forget(user_id: int | None) -> None:
    if user_id is None:
        return
    chrome_forget_person(user_id)
    transaction.on_commit(lambda: chrome_forget_person(user_id))


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _user_changed(sender, instance, **kwargs):
    _forget(instance.pk)


@receiver(post_save, sender=Profile)
@receiver(post_delete, sender=Profile)
def _profile_changed(sender, instance, **kwargs):
    _forget(instance.user_id)
