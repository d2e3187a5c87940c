from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigsConfig(AppConfig):
    name = "gigs"
    verbose_name = _("Gigs")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import signals  # noqa: F401  (connects the page cache's receivers)
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="gigs-sqlite-casefold")
