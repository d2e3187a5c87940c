from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
