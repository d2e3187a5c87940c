from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigsConfig(AppConfig):
    name = "gigs"
    verbose_name = _("Gigs")

    def ready(self):
        from . import signals  # noqa: F401  (connects the page cache's receivers)
