from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal documents")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(documents_seed, sender=self, dispatch_uid="legal-documents-seed")


def documents_seed(using="default", **kwargs) -> None:
    """Version 1 of a document that has none (after `flush`; the migration seeds the first time)."""
    from .models import LegalDocument
    from .seed import seed_documents

    seed_documents(LegalDocument, using=using)
