"""Listeners for order events, registered by apps that depend on orders.

Orders must not import the apps built on top of it (DESIGN.md: messaging and reviews
depend on orders, not the other way round). An app that wants to react to an order event
in the same transaction (the order thread's system lines) registers a function here from
its AppConfig.ready(). A listener must not fail the order: it runs in a savepoint and its
errors are logged, not raised.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

_listeners: list[Callable] = []


def order_event_listen(listener: Callable) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def order_event_dispatch(*, order, event) -> None:
    for listener in _listeners:
        try:
            with transaction.atomic():
                listener(order=order, event=event)
        except Exception:
            logger.exception("Order event listener %s failed for event %s", listener, event.pk)
