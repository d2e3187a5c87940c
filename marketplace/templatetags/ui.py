"""Template helpers shared by every page: Bootstrap widgets, safe `next` links, the cached header and footer."""

import functools
from urllib.parse import quote

from django import forms, template
from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


# --- the header and the footer -------------------------------------------------------------

# Stand-ins for what differs per request in the header and footer; letters and digits only,
# so escaping and URL-encoding leave them as they are.
_CHROME_Q = "chromeSTANDINq8c1"
_CHROME_PATH = "chromeSTANDINpath5d2"
_CHROME_NEXT = "chromeSTANDINnext9e4"
_CHROME_CSRF = "chromeSTANDINcsrf3a7"
# A signed-in person's counters: stand-in -> the small template that renders it per request.
CHROME_SLOTS = {
    "slot_buying": ("chromeSLOTbuying6f1", "orders/_header_badge_buying.html"),
    "slot_selling": ("chromeSLOTselling2b8", "orders/_header_badge_selling.html"),
    "slot_unread": ("chromeSLOTunread4c9", "messaging/_unread_badge.html"),
}
CHROME_CACHE_SECONDS = 30
CHROME_TEMPLATES = ("_header.html", "_footer.html")
# The header shows who is signed in (name, avatar, menu): one copy per person.
CHROME_PER_PERSON = ("_header.html",)


_generation = 0


def chrome_key(template_name: str, language: str, user_id: int | None = None) -> str:
    person = f":user:{user_id}" if user_id and template_name in CHROME_PER_PERSON else ""
    return f"chrome:v1:{_generation}:{template_name}:{language}{person}"


def chrome_forget_all() -> None:
    """Forget every header and footer in this process (the category menu in them changed)."""
    global _generation
    _generation += 1


def chrome_forget_person(user_id: int) -> None:
    """Forget a person's header in this process (their name, avatar or role changed)."""
    caches["local"].delete_many(
        [chrome_key(name, code, user_id) for name in CHROME_PER_PERSON for code, _label in settings.LANGUAGES]
    )


@register.simple_tag(takes_context=True)
def chrome(context, template_name: str) -> str:
    """The header or the footer, the same on every page but for the search words, the page's
    address, the CSRF token and a signed-in person's counters: rendered once per language
    (and person, for the header) with stand-ins, kept in the process (the "local" cache,
    30 s), and the stand-ins replaced per request; the counters are counted per request.
    A category change forgets them (gigs/signals.py), a change of the person theirs
    (accounts/signals.py)."""
    request = context.get("request")
    template = context.template.engine.get_template(template_name)
    if request is None:
        values = {"q": "", "path": "/", "next": "/"}
        values |= {name: _slot(context, slot) for name, (_standin, slot) in CHROME_SLOTS.items()}
        with context.push(chrome=values):
            return template.render(context)
    user_id = request.user.pk if request.user.is_authenticated else None
    key = chrome_key(template_name, get_language(), user_id)
    html = caches["local"].get(key)
    if html is None:
        standins = {"q": _CHROME_Q, "path": _CHROME_PATH, "next": _CHROME_NEXT}
        standins |= {name: standin for name, (standin, _slot_template) in CHROME_SLOTS.items()}
        with context.push(chrome=standins, csrf_token=_CHROME_CSRF):
            html = str(template.render(context))
        caches["local"].set(key, html, CHROME_CACHE_SECONDS)
    path = request.get_full_path()
    html = html.replace(_CHROME_Q, escape(request.GET.get("q", ""))).replace(_CHROME_PATH, escape(path))
    html = html.replace(_CHROME_NEXT, escape(quote(path)))
    for standin, slot in CHROME_SLOTS.values():
        if standin in html:
            html = html.replace(standin, _slot(context, slot))
    if _CHROME_CSRF in html:
        # The page's token: the visitor's own, or the whole-page cache's stand-in for it.
        token = context.get("csrf_token")
        html = html.replace(_CHROME_CSRF, str(token) if token else get_token(request))
    return mark_safe(html)  # noqa: S308 - our templates' output, the request's values escaped


def _slot(context, template_name: str) -> str:
    return mark_safe(context.template.engine.get_template(template_name).render(context))  # noqa: S308


@register.simple_tag
def asset(path: str) -> str:
    """`{% static %}` for the files every page links, looked up once per process: the
    manifest does not change while the process runs, and seven lookups cost 0.3 ms a page."""
    return _asset_url(path)


@functools.lru_cache(maxsize=64)
def _asset_url(path: str) -> str:
    return static(path)
