"""Listeners for order events, registered by apps that depend on orders.

Orders must not import the apps built on top of it (DESIGN.md: messaging and reviews
depend on orders, not the other way round). An app that wants to react to an order event
in the same transaction (the order thread's system lines) registers a function here from
its AppConfig.ready().

A listener must not fail the order. It runs inside the order's transaction, so it guards
its own writes with a savepoint (on PostgreSQL a failed statement would otherwise abort
the order's transaction) and opens one only for the events it acts on: an order event
that nobody listens to costs no round trip. What it raises anyway is logged, not raised.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_listeners: list[Callable] = []


def order_event_listen(listener: Callable) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def order_event_dispatch(*, order, event) -> None:
    for listener in _listeners:
        try:
            listener(order=order, event=event)
        except Exception:
            logger.exception("Order event listener %s failed for event %s", listener, event.pk)
