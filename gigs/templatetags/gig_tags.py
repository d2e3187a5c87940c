import re

import markdown as md
import nh3
from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from gigs.selectors import CATEGORY_MENU_CACHE_SECONDS, category_menu_key, category_tree

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


@register.simple_tag
def category_menu() -> str:
    """The header's category menu, the same on every page: rendered once per language and kept
    in the process (the "local" cache) until a category changes here (gigs/signals.py) or for
    half a minute."""
    key = category_menu_key(get_language())
    html = caches["local"].get(key)
    if html is None:
        tree = category_tree()
        html = render_to_string("gigs/_category_menu.html", {"category_tree": tree}) if tree else ""
        caches["local"].set(key, html, CATEGORY_MENU_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output
