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
