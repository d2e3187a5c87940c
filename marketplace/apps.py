from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self):
        # Before any URL module is read: every app's addresses use `<id:...>` for ids.
        from django.urls import register_converter
        from django.urls.converters import get_converters

        from .converters import IdConverter

        if "id" not in get_converters():  # ready() may run again (a second django.setup())
            register_converter(IdConverter, "id")

        from django.db.models.signals import post_migrate

        post_migrate.connect(site_from_settings, sender=self, dispatch_uid="marketplace-site")


def site_from_settings(using="default", **kwargs) -> None:
    """The Sites row that allauth's emails and links name: this site's domain (`SITE_URL`) and
    name (`MARKETPLACE_NAME`), not Django's "example.com". Kept in step on every migrate."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.MARKETPLACE_NAME}
    )
    Site.objects.clear_cache()
