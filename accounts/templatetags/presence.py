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


@register.simple_tag
def card_online_badge(gig) -> str:
    """For cards whose seller and profile were read with the gig (home, saved, more gigs)."""
    return online_badge() if presence.is_online(gig.seller.profile.last_seen_at) else ""
