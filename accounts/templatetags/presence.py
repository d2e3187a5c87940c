from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext

from accounts import presence

register = template.Library()


@register.filter
def is_online(last_seen_at) -> bool:
    return presence.is_online(last_seen_at)


def online_badge() -> str:
    """The card's "online" mark, beside the cached card (never inside it): gigs' result_cards."""
    return format_html(
        '<span class="gig-card-online"><span class="presence-dot" aria-hidden="true"></span>{}</span>',
        pgettext("presence", "Online"),
    )


@register.simple_tag(takes_context=True)
def card_online_badge(context, gig) -> str:
    """The "online" mark for a card rendered one by one (home, saved, more from the seller):
    from the profile when the listing read it with the gig, else asked once per seller and
    page (the gig page's cards are all one seller's, and their rows carry only its id)."""
    seller = gig._state.fields_cache.get("seller")
    profile = seller._state.fields_cache.get("profile") if seller is not None else None
    if profile is not None:
        online = presence.is_online(profile.last_seen_at)
    else:
        # Per request: each included card renders with a fresh render context.
        request = context.get("request")
        known = getattr(request, "_online_sellers", None) if request is not None else None
        if known is None:
            known = {}
            if request is not None:
                request._online_sellers = known
        if gig.seller_id not in known:
            known[gig.seller_id] = gig.seller_id in presence.online_ids([gig.seller_id])
        online = known[gig.seller_id]
    return online_badge() if online else ""
