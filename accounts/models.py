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


# A portfolio holds at most this many works, each with at most this many images (the first
# is the cover). The first is also a database constraint (Profile.portfolio_count).
PORTFOLIO_MAX_ITEMS = 30
PORTFOLIO_MAX_IMAGES = 6


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
    # When the person last opened a page, written at most every few minutes (accounts.presence).
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    # Vacation: the seller's gigs leave the catalog, search and suggestions and cannot be
    # ordered; orders already placed go on (profile_vacation_set).
    on_vacation = models.BooleanField(_("on vacation"), default=False)
    vacation_note = models.CharField(_("note for clients"), max_length=300, blank=True)
    vacation_until = models.DateField(_("back on"), null=True, blank=True)
    # How many portfolio works the person has: kept by the portfolio services under this
    # row's lock, so the constraint below is the cap's guarantee in the database.
    portfolio_count = models.PositiveSmallIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(portfolio_count__lte=PORTFOLIO_MAX_ITEMS), name="profile_portfolio_count_max"
            ),
        ]
        indexes = [
            # The few sellers away: the catalog excludes their gigs with a NOT EXISTS on this
            # index (gigs.selectors.on_sale), so its own index walks stay as they were.
            models.Index(fields=["user"], condition=models.Q(on_vacation=True), name="profile_on_vacation"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.username


class AccountEvent(models.Model):
    """Audit trail of account changes made through services."""

    class Kind(models.TextChoices):
        PROFILE_UPDATED = "profile_updated", _("Profile updated")
        SELLING_STARTED = "selling_started", _("Started selling")
        SELLING_STOPPED = "selling_stopped", _("Stopped selling")
        LANGUAGE_CHANGED = "language_changed", _("Language changed")
        PORTFOLIO_CHANGED = "portfolio_changed", _("Portfolio changed")
        VACATION_STARTED = "vacation_started", _("Went on vacation")
        VACATION_ENDED = "vacation_ended", _("Back from vacation")

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


class PortfolioItem(models.Model):
    """A work a freelancer shows on their profile, and on the page of the gig it is linked to
    (one of the owner's own gigs: checked by the form and by `portfolio_item_save`)."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="portfolio_items", verbose_name=_("owner"))
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    category = models.ForeignKey(
        "gigs.Category", on_delete=models.PROTECT, related_name="portfolio_items", verbose_name=_("category")
    )
    gig = models.ForeignKey(
        "gigs.Gig",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio_items",
        verbose_name=_("gig"),
    )
    # 0 first; the services keep an owner's positions 0..n-1.
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("portfolio work")
        verbose_name_plural = _("portfolio works")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["owner", "position"], name="portfolio_owner_position")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__lt=PORTFOLIO_MAX_ITEMS), name="portfolio_position_below_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cover(self) -> "PortfolioImage | None":
        images = getattr(self, "ordered_images", None)
        if images is None:
            images = list(self.images.all())
        return images[0] if images else None


def portfolio_image_upload_to(instance: "PortfolioImage", filename: str) -> str:
    # Re-encoded files are always JPEG; the name is ours.
    return f"portfolio/{instance.item.owner_id}/{uuid.uuid4().hex}.jpg"


class PortfolioImage(models.Model):
    item = models.ForeignKey(PortfolioItem, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=portfolio_image_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=portfolio_image_upload_to, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("portfolio image")
        verbose_name_plural = _("portfolio images")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__lt=PORTFOLIO_MAX_IMAGES), name="portfolio_image_position_below_max"
            ),
        ]

    def __str__(self) -> str:
        return self.image.name

    @property
    def card_url(self) -> str:
        return (self.thumbnail or self.image).url
