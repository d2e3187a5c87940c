"""The site's rules, privacy policy and personal-data consent, as numbered versions.

A published version is never edited: staff write a new version (a new row, a draft until
published) and old versions stay readable at their own address. People accept a version
(a row with the time and the address they accepted from); a new version that requires
acceptance asks everyone signed in to accept it again (legal/middleware.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LegalDocument(models.Model):
    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        PRIVACY = "privacy", _("Privacy policy")
        CONSENT = "consent", _("Consent to personal data processing")

    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    # Numbered when published (1, 2, 3... per kind); a draft has no number yet.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, editable=False)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_ru = models.TextField(
        _("text (Russian)"),
        help_text=_("Paragraphs separated by an empty line; “## Heading” for a heading, “- ” for a list item."),
    )
    body_en = models.TextField(_("text (English)"))
    changes_ru = models.TextField(
        _("what changed (Russian)"), blank=True, help_text=_("Shown to people asked to accept the new version.")
    )
    changes_en = models.TextField(_("what changed (English)"), blank=True)
    requires_acceptance = models.BooleanField(
        _("acceptance required"),
        default=True,
        help_text=_("People signed in are asked to accept this version before they go on."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ("kind", "-version")
        constraints = [
            models.UniqueConstraint(fields=("kind", "version"), name="legal_document_kind_version_unique"),
            # Published exactly when numbered: a draft is neither, a published version both.
            models.CheckConstraint(
                condition=Q(version__isnull=True, published_at__isnull=True)
                | Q(version__isnull=False, published_at__isnull=False),
                name="legal_document_published_has_version",
            ),
        ]
        indexes = [models.Index(fields=("kind", "-version"), name="legal_document_current")]

    def __str__(self) -> str:
        if self.version is None:
            return f"{self.get_kind_display()}: {_('draft')}"
        return f"{self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        if self.version is None:
            return reverse(f"legal:{self.kind}")
        return reverse(f"legal:{self.kind}_version", kwargs={"version": self.version})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def _localized(self, field: str) -> str:
        english = (get_language() or "").startswith("en")
        return getattr(self, f"{field}_en" if english else f"{field}_ru") or getattr(self, f"{field}_ru")

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def body(self) -> str:
        return self._localized("body")

    @property
    def changes(self) -> str:
        return self._localized("changes")


class LegalAcceptance(models.Model):
    """One person's acceptance of one version: the record 152-FZ asks the operator to keep."""

    class Source(models.TextChoices):
        SIGNUP = "signup", _("at sign-up")
        PROMPT = "prompt", _("asked after a new version")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_acceptances")
    document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(_("accepted"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    source = models.CharField(_("how"), max_length=16, choices=Source.choices)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        constraints = [
            models.UniqueConstraint(fields=("user", "document"), name="legal_acceptance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.document}"
