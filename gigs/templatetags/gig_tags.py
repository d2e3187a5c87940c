import re

import markdown as md
import nh3
from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

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


@register.simple_tag
def category_menu() -> str:
    """The header's category menu, rendered from the cached tree with nothing of the page in
    its context: `_header.html` keeps it per language and categories' generation."""
    tree = category_tree()
    return render_to_string("gigs/_category_menu.html", {"category_tree": tree}) if tree else ""
