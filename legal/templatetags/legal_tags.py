import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Staff write the texts, but a pasted text must still not bring scripts or styles: only
# headings, paragraphs, lists, emphasis and links survive.
ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote"}


@register.filter
def legal_text(text: str) -> str:
    """A document's text: paragraphs split by empty lines, "## " headings, "- " lists."""
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}))  # noqa: S308 - sanitized
