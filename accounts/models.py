import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

username_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+\Z",
    _("Use only Latin letters, digits, hyphens and underscores."),
)

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class MarketplaceUserManager(UserManager):
    """Every user has a profile: the manager creates it with the user (createsuperuser, factories)."""

    def _create_user(self, username, email, password, **extra_fields):
        user = super()._create_user(username, email, password, **extra_fields)
        Profile.objects.get_or_create(user=user)
        return user


class User(AbstractUser):
    """A person on the marketplace. Anyone can buy; `is_seller` turns on the freelancer side.

    People sign in with their email (allauth); `username` is the public handle in /u/<username>/.
    """

    username = models.CharField(
        _("username"),
        max_length=30,
        unique=True,
        validators=[username_validator],
        help_text=_("Your public address: /u/<username>/. Latin letters, digits, - and _."),
        error_messages={"unique": _("This username is taken.")},
    )
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    is_seller = models.BooleanField(_("freelancer"), default=False)
    seller_since = models.DateTimeField(_("selling since"), null=True, blank=True)

    objects = MarketplaceUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(is_seller=False) | models.Q(seller_since__isnull=False),
                name="user_seller_has_since",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        return (profile.display_name if profile else "") or self.username


def avatar_upload_to(instance: "Profile", filename: str) -> str:
    # The name is ours, never the uploader's: re-encoded files are always JPEG.
    return f"avatars/{instance.user_id}/{uuid.uuid4().hex}.jpg"


class SellerLevel(models.TextChoices):
    NEW = "new", _("New seller")
    ADVANCED = "advanced", _("Advanced")
    PROFESSIONAL = "professional", _("Professional")


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    headline = models.CharField(
        _("headline"), max_length=120, blank=True, help_text=_("One line about what you do best.")
    )
    bio = models.TextField(_("about me"), max_length=3000, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages I speak"), default=list, blank=True)
    country = CountryField(_("country"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE)
    # Public reputation, recomputed by the reputation tasks (never typed in by hand).
    seller_level = models.CharField(
        _("seller level"), max_length=16, choices=SellerLevel.choices, default=SellerLevel.NEW, db_index=True
    )
    rating_avg = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(_("reviews"), default=0)
    orders_completed = models.PositiveIntegerField(_("orders completed"), default=0)
    response_minutes = models.PositiveIntegerField(_("average response time, minutes"), null=True, blank=True)
    # Rates in [0, 1]; NULL until there is anything to count.
    on_time_rate = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    completion_rate = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    repeat_buyer_rate = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    # The buyer side.
    buyer_level = models.PositiveSmallIntegerField(_("buyer level"), default=0)
    purchases_count = models.PositiveIntegerField(_("purchases"), default=0)
    buyer_rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    buyer_rating_count = models.PositiveIntegerField(default=0)
    stats_updated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or self.user.username


class AccountEvent(models.Model):
    """Audit trail of account changes made through services."""

    class Kind(models.TextChoices):
        PROFILE_UPDATED = "profile_updated", _("Profile updated")
        SELLING_STARTED = "selling_started", _("Started selling")
        SELLING_STOPPED = "selling_stopped", _("Stopped selling")
        LANGUAGE_CHANGED = "language_changed", _("Language changed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="events", verbose_name=_("user"))
    kind = models.CharField(max_length=32, choices=Kind.choices, verbose_name=_("kind"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
