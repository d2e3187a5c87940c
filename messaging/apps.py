from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        # Order events become system lines in the order's thread (orders does not import messaging).
        from orders.events import order_event_listen
        from orders.evidence import order_evidence_source_register

        from .selectors import order_thread_evidence
        from .services import order_thread_post_event

        order_event_listen(order_thread_post_event)
        # The files sent in an order's thread are evidence on its dispute page in admin.
        order_evidence_source_register(order_thread_evidence)
