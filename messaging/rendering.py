"""Messages as HTML for a conversation page, each message cached once rendered.

A message never changes after it is sent (admin is read-only and no service updates one),
so its HTML can be kept. What it looks like still depends on who reads it and on a few
things that do change, and all of those are in the cache key, as a digest of the values
the template shows: the reader's side (mine, theirs, staff reading), the masking, the
language and time zone, the text shown (a system line's text is translated and names
the actor), the sender's name, the quoted gig's title and price, and an offer's status
and order. When any of them changes the key changes, and the old entry simply expires.

The read tick of my messages is in the key too (sent or read): a message has two fragments
at most, and the poll turns the tick on the page itself.

Kept out of the cached HTML, so nothing is ever put into a fragment after it is read:
- an offer still waiting for an answer: its buttons are forms with the reader's CSRF
  token, so it is rendered on every view (a thread has few of them).

One `get_many` fetches a page's fragments; only the misses are rendered (their attachments
are fetched in one query then), and stored with one `set_many`.
"""

import hashlib
import logging

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User

from . import conf
from .models import CustomOffer, Message

logger = logging.getLogger(__name__)

MESSAGE_TEMPLATE = "messaging/_message.html"
# Templates whose markup ends up in a message's fragment: their sources are part of the
# key, so a deploy that changes them never serves the old markup.
FRAGMENT_TEMPLATES = (MESSAGE_TEMPLATE, "messaging/_custom_offer.html")


def tick_html(message_id: int, *, seen: bool, oob: bool = False) -> SafeString:
    """The read receipt of one of my messages: sent, or read by the other person."""
    swap = mark_safe(' data-hx-swap-oob="true"') if oob else ""
    if seen:
        icon, label = "bi bi-check2-all text-primary", _("Read")
    else:
        icon, label = "bi bi-check2", _("Sent")
    return format_html(
        '<span id="tick-{}" class="message-tick"{}><i class="{}" aria-hidden="true"></i>'
        '<span class="visually-hidden">{}</span></span>',
        message_id, swap, icon, label,
    )  # fmt: skip


def messages_html(messages: list[Message], *, viewer: User, read_only: bool, request=None) -> SafeString:
    """The HTML of these messages (already through `display.present`), oldest first."""
    if not messages:
        return mark_safe("")
    template = get_template(MESSAGE_TEMPLATE)
    version = _templates_version(template)
    context = {"language": translation.get_language(), "tz": timezone.get_current_timezone_name()}
    keys = {m.pk: _key(m, viewer=viewer, read_only=read_only, version=version, context=context)
            for m in messages if _cacheable(m)}  # fmt: skip
    cached = _cache_get_many(list(keys.values()))
    missing = [m for m in messages if keys.get(m.pk) not in cached]
    # The quoted gigs came with the messages (they are in the key); attachments never change
    # and are read only for the fragments rendered now.
    prefetch_related_objects(missing, "attachments")
    thread = {"read_only": read_only}
    csrf_token = None
    fresh = {}
    parts = []
    for message in messages:
        key = keys.get(message.pk)
        html = cached.get(key) if key else None
        if html is None:
            render_context = {"message": message, "thread": thread, "user": viewer}
            if key is None and request is not None:
                csrf_token = csrf_token or get_token(request)
                render_context["csrf_token"] = csrf_token
            html = template.render(render_context)
            if key is not None:
                fresh[key] = html
        parts.append(html)
    if fresh:
        _cache_set_many(fresh)
    return mark_safe("".join(parts))  # noqa: S308 - rendered by the template, which escapes


def _cacheable(message: Message) -> bool:
    offer = _offer(message)
    return offer is None or offer.status != CustomOffer.Status.SENT


def _offer(message: Message) -> CustomOffer | None:
    try:
        return message.custom_offer
    except CustomOffer.DoesNotExist:
        return None


def _key(message: Message, *, viewer: User, read_only: bool, version: str, context: dict) -> str:
    gig = message.gig if message.gig_id else None
    offer = _offer(message)
    varying = (
        context["language"], context["tz"], read_only, message.is_mine, message.is_mine and message.seen,
        message.is_masked,
        message.hidden_from_partner, message.shown_text,
        message.sender.display_name if message.sender_id else "",
        (gig.pk, gig.title, str(gig.price_from)) if gig is not None else None,
        (offer.status, offer.order_id, viewer.pk == offer.buyer_id, viewer.pk == offer.seller_id) if offer else None,
    )  # fmt: skip
    digest = hashlib.blake2b(repr(varying).encode(), digest_size=12).hexdigest()
    return f"messaging:html:{version}:{message.pk}:{digest}"


def _templates_version(template) -> str:
    """A digest of the fragment's templates, computed once per loaded template (a changed
    template is loaded again: after a deploy, or in development when the loaders reset)."""
    inner = template.template
    version = getattr(inner, "fragment_version", None)
    if version is None:
        sources = "\0".join(get_template(name).template.source for name in FRAGMENT_TEMPLATES)
        version = hashlib.blake2b(sources.encode(), digest_size=6).hexdigest()
        inner.fragment_version = version
    return version


# A cache outage costs rendering time, never the page.


def _cache_get_many(keys: list[str]) -> dict:
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("Message fragments could not be read from the cache", exc_info=True)
        return {}


def _cache_set_many(values: dict) -> None:
    try:
        cache.set_many(values, timeout=conf.message_cache_seconds())
    except Exception:
        logger.warning("Message fragments could not be stored in the cache", exc_info=True)
