"""Template helpers shared by every page: Bootstrap widgets, money, the language links, fragment generations."""

import functools

from django import forms, template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import get_language

from marketplace import fragments

register = template.Library()

CHECK_WIDGETS = (forms.CheckboxInput,)
CHOICE_LIST_WIDGETS = (forms.CheckboxSelectMultiple, forms.RadioSelect)


@register.simple_tag
def widget(field, **attrs):
    """Render a bound field's widget with Bootstrap classes and the invalid state."""
    w = field.field.widget
    if isinstance(w, CHECK_WIDGETS):
        css = "form-check-input"
    elif isinstance(w, CHOICE_LIST_WIDGETS):
        css = ""
    elif isinstance(w, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    extra = attrs.pop("class", "")
    merged = {**attrs, "class": " ".join(filter(None, [w.attrs.get("class", ""), css, extra]))}
    if field.errors:
        merged["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=merged)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, CHECK_WIDGETS)


@register.simple_tag(takes_context=True)
def query_with(context, **params) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    return "?" + urlencode(sorted(query.lists()), doseq=True) if query else "?"


CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€"}


@register.filter
def money(value) -> str:
    """1500 RUB -> "1 500 ₽" (Russian) or "1,500 ₽" (English); kopecks only when there are any."""
    from decimal import Decimal

    from django.utils.translation import get_language

    if value in (None, ""):
        return ""
    amount = getattr(value, "amount", value)
    from django.conf import settings

    currency = str(getattr(getattr(value, "currency", None), "code", "") or settings.MARKETPLACE_CURRENCY)
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    if (get_language() or "ru").startswith("ru"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    sign = CURRENCY_SIGNS.get(currency, currency)
    return f"{text}\u00a0{sign}".strip()


@register.filter
def stars(rating) -> str:
    """A rating as text for screen readers and the eye: 4.86 -> "4.9"."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(rating or 0).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@register.filter
def in_set(value, container) -> bool:
    return value in (container or ())


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


# --- the header, the footer and the language links -------------------------------------------


@register.simple_tag(takes_context=True)
def generation(context, *parts) -> int:
    """The generation of a group of cached fragments (marketplace/fragments.py), for a
    `{% cache %}` key: `{% generation "categories" as gen %}`, `{% generation "gig" gig.pk as gen %}`."""
    return fragments.generation(":".join(str(part) for part in parts), request=context.get("request"))


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """This page in every language: the switch's links and the `hreflang` alternates.

    The language is in the address (`/en/...`; Russian has no prefix), so switching is a
    plain link that any cache can keep: no form, no cookie, no CSRF token. The paths are the
    same in every language (none is translated), so the other language's address is this
    one with the prefix swapped; a page that did not resolve (a 404) links to the homes.
    Worked out once per request: the head, the header and the footer all ask."""
    request = context.get("request")
    if request is None:
        return []
    links = getattr(request, "_language_links", None)
    if links is None:
        links = request._language_links = _language_links(request)
    return links


def _language_links(request) -> list[dict]:
    current = get_language()
    path = request.get_full_path()
    prefix = f"/{current}/"
    bare = path[len(prefix) - 1 :] if current != settings.LANGUAGE_CODE and path.startswith(prefix) else path
    links = []
    for code, label in settings.LANGUAGES:
        if request.resolver_match is None:
            with translation.override(code):
                url = reverse("home")
        else:
            url = bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}"
        links.append({"code": code, "label": label, "url": url, "absolute_url": request.build_absolute_uri(url),
                      "current": code == current})  # fmt: skip
    return links


@register.simple_tag
def link(name: str, *args) -> str:
    """`{% url %}` for the pages' own links, reversed once per process for each name,
    arguments and language: the answer never changes while the process runs, and a reverse
    cost 0.1-0.3 ms on the benchmark's machine, a dozen of them on every page."""
    return _reverse(name, tuple(str(arg) for arg in args), get_language())


@functools.lru_cache(maxsize=8192)
def _reverse(name: str, args: tuple, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@register.simple_tag
def asset(path: str) -> str:
    """`{% static %}` for the files every page links, looked up once per process: the
    manifest does not change while the process runs, and seven lookups cost 0.3 ms a page."""
    return _asset_url(path)


@functools.lru_cache(maxsize=64)
def _asset_url(path: str) -> str:
    return static(path)


@register.filter
def ago(value) -> str:
    """ "5 minutes ago" / «5 минут назад»; under a minute «только что», never «0 минут назад»."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    if not value:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(when)s ago") % {"when": timesince(value)}
