from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        # Order events become system lines in the order's thread (orders does not import messaging).
        from orders.events import order_event_listen

        from .services import order_thread_post_event

        order_event_listen(order_thread_post_event)
