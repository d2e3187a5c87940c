import re

import markdown as md
import nh3
from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import presence
from accounts.templatetags.presence import online_badge
from gigs.selectors import category_tree

register = template.Library()

# Formatting only: no links, images or raw HTML from sellers (off-platform contacts, XSS).
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "blockquote", "code"}


LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+[.)])\s+")


def _separate_lists(text: str) -> str:
    """People start a list right under a line of text; Markdown needs an empty line there."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        if LIST_ITEM.match(line) and out and out[-1].strip() and not LIST_ITEM.match(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


@register.filter
def render_description(text: str) -> str:
    html = md.markdown(_separate_lists(text), extensions=["sane_lists", "nl2br"], output_format="html")
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None))  # noqa: S308 - sanitized


@register.filter
def shows_tiers(packages) -> bool:
    """Whether the package cards show their tier ("ЭКОНОМ") over the name: not when a name
    is already its tier ("Эконом"), and then on no card, so the cards stay alike."""
    return not any(package.name_is_tier for package in packages)


@register.simple_tag
def category_menu() -> str:
    """The header's category menu, rendered from the cached tree with nothing of the page in
    its context: `_header.html` keeps it per language and categories' generation."""
    tree = category_tree()
    return render_to_string("gigs/_category_menu.html", {"category_tree": tree}) if tree else ""


@register.simple_tag(takes_context=True)
def favorite_button(context, gig, saved: bool) -> str:
    """A signed-in person's heart for one gig: a form that posts without JavaScript and swaps
    itself through htmx (the token comes from the body's data-hx-headers). Never cached: it holds
    the person's CSRF token and their saved state. A listing shows 24, so the two ways a
    heart looks are built once per request (escaped there) and each heart is one of them
    with its gig's id, a number, in place: the template and its reverses cost 0.2 ms each."""
    request = context["request"]
    hearts = getattr(request, "_favorite_hearts", None)
    if hearts is None:
        hearts = request._favorite_hearts = _hearts(request)
    before, after = hearts[bool(saved)]
    return mark_safe(f"{before}{int(gig.pk)}{after}")  # noqa: S308 - escaped parts around a number


def _hearts(request) -> dict[bool, tuple[str, str]]:
    common = {"url": reverse("gigs:favorite"), "token": get_token(request), "next": request.get_full_path()}
    looks = {
        True: {"label": _("Remove from saved"), "css": " is-saved", "pressed": "true", "icon": "bi-heart-fill"},
        # "Save" alone is a form's button ("Сохранить"): the heart's has its own context.
        False: {"label": pgettext("favourite button", "Save"), "css": "", "pressed": "false", "icon": "bi-heart"},
    }
    hearts = {}
    for saved, look in looks.items():
        before = format_html(
            '<form method="post" action="{url}" data-hx-post="{url}" data-hx-swap="outerHTML" data-hx-target="this"'
            ' class="favorite-form"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            '<input type="hidden" name="gig" value="',
            **common,
        )
        after = format_html(
            '"><input type="hidden" name="next" value="{next}">'
            '<button type="submit" class="btn btn-light btn-sm rounded-circle favorite-btn{css}"'
            ' aria-pressed="{pressed}" title="{label}"><i class="bi {icon}" aria-hidden="true"></i>'
            '<span class="visually-hidden">{label}</span></button></form>',
            **common, **look,
        )  # fmt: skip
        hearts[saved] = (before, after)
    return hearts


@register.simple_tag(takes_context=True)
def result_cards(context, gigs, favorite_ids) -> str:
    """A listing's cards: each card's shared, cached part (`gig.card_html`, see
    gigs.views.with_card_html), the seller's "online" mark beside it (it changes without the
    card changing) and, for a signed-in person, their heart."""
    user = context["request"].user
    hearts = user.is_authenticated
    online = context.get("online_ids")  # the catalog reads it first, for its cache key
    if online is None:
        online = presence.online_ids(gig.seller_id for gig in gigs)  # now, for everyone alike
    cards = []
    for gig in gigs:
        cards.append('<div class="col"><article class="card gig-card h-100">')
        cards.append(gig.card_html)
        if gig.seller_id in online:
            cards.append(online_badge())
        if hearts and gig.seller_id != user.pk:
            cards.append('<div class="gig-card-fav">')
            cards.append(favorite_button(context, gig, gig.pk in favorite_ids))
            cards.append("</div>")
        cards.append("</article></div>")
    return mark_safe("".join(cards))  # noqa: S308 - our markup, the cached cards and the hearts


@register.simple_tag(takes_context=True)
def seller_gig_cards(context, seller) -> str:
    """The seller's gigs on their profile: the catalog's cards (cached alike) and hearts.
    Empty while the seller is on vacation, except for the seller themself."""
    from gigs.selectors import favorite_ids, gigs_public_of_seller
    from gigs.views import with_card_html

    user = context["request"].user
    gigs = gigs_public_of_seller(seller=seller, viewer=user)
    with_card_html(gigs)
    return result_cards(context, gigs, favorite_ids(user=user, gigs=gigs)) if gigs else ""


@register.simple_tag
def gig_portfolio(gig) -> list:
    """The seller's portfolio works linked to this gig (read inside the gig page's cached
    main fragment: the gig's generation moves when one is added, edited or removed)."""
    from accounts.selectors import portfolio_for_gig

    return portfolio_for_gig(gig_id=gig.pk, owner_id=gig.seller_id)
