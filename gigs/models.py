import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from .search import GigHeadVector, GigSearchVector, GigTitleVector


class Category(models.Model):
    """Two levels: a section (no parent) holds categories. Names in Russian and English;
    one Latin slug so that a shared link works in either language."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("section")
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name_ru = models.CharField(_("name (Russian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("A Bootstrap Icons name, e.g. palette"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="category_slug_unique_in_section"),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(parent__isnull=True), name="category_section_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru

    @property
    def is_section(self) -> bool:
        return self.parent_id is None


class Gig(models.Model):
    """A fixed-price service. Only `active` gigs are public; every edit of an active gig
    sends it back to moderation (`pending`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("On moderation")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        PAUSED = "paused", _("Paused")

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gigs", verbose_name=_("seller")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="gigs", verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=80)
    slug = models.SlugField(max_length=100, allow_unicode=False)
    description = models.TextField(_("description"), max_length=5000)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Space-joined tags: part of the search vector, which cannot read JSON immutably.
    tags_text = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    # Kept by the services from the packages, so the catalog filters and sorts one table.
    price_from = MoneyField(
        _("price from"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY, default=0
    )
    days_min = models.PositiveSmallIntegerField(_("fastest delivery, days"), default=0)

    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=0, verbose_name=_("average rating"))
    rating_count = models.PositiveIntegerField(default=0, verbose_name=_("number of ratings"))
    # Search quality (gigs/ranking.py): stored so that search can walk it in order.
    search_score = models.FloatField(default=0, editable=False)
    orders_count = models.PositiveIntegerField(_("orders"), default=0)
    views_count = models.PositiveIntegerField(_("views"), default=0)

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted for review"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    search_vector = models.GeneratedField(
        expression=GigSearchVector(), output_field=SearchVectorField(null=True), db_persist=True
    )
    # The title, and the title with the tags, for the search's first tiers (gigs/ranking.py).
    title_vector = models.GeneratedField(
        expression=GigTitleVector(), output_field=SearchVectorField(null=True), db_persist=True
    )
    head_vector = models.GeneratedField(
        expression=GigHeadVector(), output_field=SearchVectorField(null=True), db_persist=True
    )

    class Meta:
        verbose_name = _("gig")
        verbose_name_plural = _("gigs")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category", "-published_at"], name="gig_status_cat_pub"),
            models.Index(fields=["status", "price_from"], name="gig_status_price"),
            models.Index(fields=["status", "-rating_avg"], name="gig_status_rating"),
            models.Index(fields=["status", "days_min"], name="gig_status_days"),
            models.Index(fields=["seller", "status"], name="gig_seller_status"),
            models.Index(
                models.F("search_score").desc(),
                models.F("id").desc(),
                name="gig_active_score",
                condition=models.Q(status="active"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "pending", "active", "rejected", "paused"]),
                name="gig_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""), name="gig_rejection_has_reason"
            ),
        ]
        permissions = [("moderate_gig", "Can approve and reject gigs")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.ACTIVE


class GigPackage(models.Model):
    class Tier(models.IntegerChoices):
        ECONOMY = 1, _("Economy")
        STANDARD = 2, _("Standard")
        BUSINESS = 3, _("Business")

    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="packages")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, verbose_name=_("package tier"))
    name = models.CharField(_("package name"), max_length=40)
    description = models.TextField(_("what is included"), max_length=1000)
    price = MoneyField(_("price"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY)
    delivery_days = models.PositiveSmallIntegerField(
        _("delivery, days"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    revisions = models.PositiveSmallIntegerField(_("revisions"), validators=[MaxValueValidator(20)])

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["tier"]
        constraints = [
            models.UniqueConstraint(fields=["gig", "tier"], name="gig_package_tier_unique"),
            models.CheckConstraint(condition=models.Q(tier__gte=1, tier__lte=3), name="gig_package_tier_range"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="gig_package_price_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery_days__gte=1, delivery_days__lte=90), name="gig_package_days_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gig_id}: {self.name}"

    @property
    def name_is_tier(self) -> bool:
        """The seller named the package after its tier ("Эконом", "Economy"): the card then
        shows the name alone, not "ЭКОНОМ" over "Эконом"."""
        name = self.name.strip().casefold()
        tier = self.Tier(self.tier)
        labels = set()
        for code, _name in settings.LANGUAGES:
            with override(code):
                labels.add(str(tier.label).casefold())
        return name in labels


class GigExtra(models.Model):
    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="extras")
    title = models.CharField(_("extra"), max_length=80)
    price = MoneyField(_("price"), max_digits=12, decimal_places=2, default_currency=settings.MARKETPLACE_CURRENCY)
    extra_days = models.PositiveSmallIntegerField(_("extra days"), default=0, validators=[MaxValueValidator(60)])
    # An urgent extra ("Срочно за 1 день") sets the whole delivery to this many days instead
    # of adding to it (orders.pricing.quote says how, with quantity); it never adds days.
    urgent_days = models.PositiveSmallIntegerField(
        _("urgent delivery, days"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(89)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("extra")
        verbose_name_plural = _("extras")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="gig_extra_price_positive"),
            models.CheckConstraint(
                condition=models.Q(urgent_days__isnull=True)
                | models.Q(urgent_days__gte=1, urgent_days__lte=89, extra_days=0),
                name="gig_extra_urgent_days",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_urgent(self) -> bool:
        return self.urgent_days is not None


def gig_image_upload_to(instance: "GigImage", filename: str) -> str:
    return f"gigs/{instance.gig_id}/{uuid.uuid4().hex}.jpg"


class GigImage(models.Model):
    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=gig_image_upload_to, verbose_name=_("image"))
    thumbnail = models.ImageField(upload_to=gig_image_upload_to, blank=True, verbose_name=_("thumbnail"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gig image")
        verbose_name_plural = _("gig images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name

    @property
    def card_url(self) -> str:
        return (self.thumbnail or self.image).url


class GigQuestion(models.Model):
    """A question the buyer answers after ordering (the order's requirements)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("Single choice")
        FILE = "file", _("File")

    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer type"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("requirements question")
        verbose_name_plural = _("requirements questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class GigFaq(models.Model):
    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"), max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.question


class GigEvent(models.Model):
    """Audit trail of a gig's status changes (moderation, pause, edits)."""

    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    from_status = models.CharField(max_length=16, blank=True, verbose_name=_("status before"))
    to_status = models.CharField(max_length=16, verbose_name=_("status after"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("gig event")
        verbose_name_plural = _("gig events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gig_id}: {self.from_status} -> {self.to_status}"


class Favorite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites")
    gig = models.ForeignKey(Gig, on_delete=models.CASCADE, related_name="favorited_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "gig"], name="favorite_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.gig_id}"


class SearchTerm(models.Model):
    """What people search for (casefolded words, as `gigs.search.parse_terms` reads them),
    counted when a search found something: the header's "popular searches" suggestions."""

    query = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["-count"], name="searchterm_count")]

    def __str__(self) -> str:
        return f"{self.query} ({self.count})"
