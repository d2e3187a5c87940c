import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.forms import formset_factory
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import presence
from marketplace import fragments
from marketplace.errors import DomainError
from marketplace.fragments import fragment_key
from marketplace.images import ImageRejected
from marketplace.parsing import parse_int
from marketplace.redirects import redirect_back

from . import selectors, services
from .forms import (
    CatalogFilterForm,
    ExtraForm,
    FaqForm,
    FavoriteForm,
    GigBasicsForm,
    GigImagesForm,
    PackageFormSet,
    QuestionForm,
)
from .models import Gig, GigQuestion
from .signals import gig_group


@require_GET
@vary_on_headers("HX-Request")
def catalog_view(request, section_slug=None, category_slug=None, show_count=True):
    """The catalog, a section or a category, with filters, search and keyset pages.

    `show_count=False` leaves the result count out: only the benchmark's baseline of this
    page uses it, to measure what the count costs."""
    section = category = None
    if section_slug:
        section, category = selectors.category_get(section_slug=section_slug, category_slug=category_slug)
    params = CatalogFilterForm.params_of(request.GET)
    prices_swapped = params.pop("prices_swapped")
    # The form itself is shown only in the side panel, rendered when its cache misses.
    form = SimpleLazyObject(lambda: _bound_filter_form(request.GET))
    query = selectors.CatalogQuery(section=section, category=category, **params)
    page = selectors.catalog_page(query, after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    context = {
        "form": form,
        "query": query,
        "section": section,
        "category": category,
        "page": page,
        "count": selectors.catalog_count(query) if show_count else None,
        "favorite_ids": selectors.favorite_ids(user=request.user, gigs=page.gigs),
        "filtered": any(params.get(k) for k in ("q", "price_min", "price_max", "days", "level", "rating")),
        "prices_swapped": prices_swapped,
    }
    context["results_html"] = _results_html(request, context)
    if query.q and page.number == 1 and page.gigs and not page.fallback:
        services.search_register(q=query.q)  # for the header's "popular searches"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "catalog-results":
        return HttpResponse(context["results_html"])
    # Read only when the cached side panel (filters and category menu) is rendered anew.
    context["counts"] = SimpleLazyObject(lambda: selectors.category_gig_counts(section=section))
    # The panel shows the filters, not the page: every page of one listing shares it.
    filters = request.GET.copy()
    for token in ("after", "before"):
        filters.pop(token, None)
    context["filters_key"] = filters.urlencode()
    return render(request, "gigs/catalog.html", context)


@require_GET
def suggest_view(request):
    """The header search box's suggestions as you type (a small htmx partial). The same for
    everyone who types the same words in one language: a visitor's copy is shared."""
    q = request.GET.get("q", "")[:100]
    suggestions = selectors.search_suggestions(q)
    return render(request, "gigs/_suggestions.html", {"suggestions": suggestions, "q": q})


def _bound_filter_form(data) -> CatalogFilterForm:
    form = CatalogFilterForm(data)
    form.is_valid()
    if form.prices_swapped:  # the fields show the bounds the results use
        data = data.copy()
        data["price_min"], data["price_max"] = data["price_max"], data["price_min"]
        form = CatalogFilterForm(data)
        form.is_valid()
    return form


CARD_CACHE_SECONDS = 600
RESULTS_CACHE_SECONDS = 60


def _results_html(request, context) -> str:
    """The listing's results (count, cards, pages) as HTML.

    A visitor who is not signed in sees nothing of their own here, so their rendering is
    kept in the process and shared, keyed on everything it shows: the address (filters,
    page token), each card's key (the gig's id, `updated_at` and rating), the next and
    previous tokens and the count. New data makes a new key, so nothing stale is served;
    the page's query still runs every time. A signed-in person's results carry their own
    favourite buttons (forms with their CSRF token), so they are rendered for them each
    time, from the cached cards and the cached count and pages around them."""
    page = context["page"]
    language = get_language()
    # Who of the sellers is online now is part of what the results show (and of their key).
    context["online_ids"] = presence.online_ids(gig.seller_id for gig in page.gigs)
    parts = (
        request.get_full_path(), language, [card_cache_key(gig, language) for gig in page.gigs],
        page.next_token, page.previous_token, page.fallback, page.suggestion, context["count"], context["filtered"],
        sorted(context["online_ids"]),
    )  # fmt: skip
    context["results_key"] = hashlib.sha256(repr(parts).encode()).hexdigest()
    if request.user.is_authenticated:
        with_card_html(page.gigs, first_cover=True)
        return render_to_string("gigs/_catalog_results.html", context, request)
    key = fragment_key("catalog_results", context["results_key"])
    html = caches["local"].get(key)
    if html is None:
        with_card_html(page.gigs, first_cover=True)
        html = render_to_string("gigs/_catalog_results.html", context, request)
        caches["local"].set(key, html, RESULTS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own (autoescaping) template's output


def card_cache_key(gig: Gig, language: str, *, first: bool = False) -> str:
    """What a card shows from the gig's row: an edit moves `updated_at`, a review the rating.
    A listing's first card is a variant of its own (its cover is fetched first, not lazily):
    a card's cached HTML is used as it is, never edited."""
    variant = ":first" if first else ""
    return f"gigs:card:v1:{gig.pk}:{gig.updated_at.timestamp()}:{gig.rating_count}:{gig.rating_avg}:{language}{variant}"


def with_card_html(gigs, *, first_cover: bool = False) -> None:
    """Give each gig its card's visitor-independent HTML (`gig.card_html`): from the cache,
    all cards in one round trip, or rendered now (their seller and images read in two
    queries for all the missing cards) and cached.

    The key holds what a card shows from the gig's row: an edit moves `updated_at`, a
    review the rating. The seller's name, avatar and level are not in it: a change of
    those reaches the catalog's cards when the TTL ends."""
    if not gigs:
        return
    language = get_language()
    first = gigs[0].pk if first_cover else None  # the cover that is the page's largest paint on a phone
    keys = {gig.pk: card_cache_key(gig, language, first=gig.pk == first) for gig in gigs}
    # The process's own copy first (a card's key changes with the gig), then the shared cache.
    local = caches["local"]
    found = local.get_many(list(keys.values()))
    if len(found) < len(keys):
        shared = cache.get_many([key for key in keys.values() if key not in found])
        if shared:
            local.set_many(shared, CARD_CACHE_SECONDS)
            found |= shared
    missing = [gig for gig in gigs if keys[gig.pk] not in found]
    if missing:
        selectors.card_details(missing)
    rendered = {}
    for gig in gigs:
        html = found.get(keys[gig.pk])
        if html is None:
            context = {"gig": gig, "card_body_only": True, "first_cover": gig.pk == first}
            html = rendered[keys[gig.pk]] = render_to_string("gigs/_gig_card.html", context)
        gig.card_html = mark_safe(html)  # noqa: S308 - rendered by our own (autoescaping) template
    if rendered:
        cache.set_many(rendered, CARD_CACHE_SECONDS)
        local.set_many(rendered, CARD_CACHE_SECONDS)


@require_GET
def gig_detail_view(request, gig_id, slug=None):
    gig = selectors.gig_get_for_viewer(gig_id=gig_id, user=request.user)
    if slug != gig.slug and gig.is_public:
        return redirect("gigs:detail", gig_id=gig.pk, slug=gig.slug, permanent=True)
    if gig.is_public and request.user.pk != gig.seller_id:
        services.gig_register_view(gig_id=gig.pk)
    # The generations of every fragment on the page, in one round trip (gig_detail.html).
    fragments.generations(
        fragments.CATEGORIES, gig_group(gig.pk), fragments.person_group(gig.seller_id), request=request
    )
    more = selectors.gigs_more_from_seller(gig=gig)
    with_card_html(more)
    # Packages, extras, FAQ and images are read by the template inside cached fragments:
    # while those are cached, the page does not query them.
    context = {
        "gig": gig,
        "more": more,
        "favorite_ids": selectors.favorite_ids(user=request.user, gigs=[gig, *more]),
        "is_owner": request.user.pk == gig.seller_id,
        "share_url": settings.SITE_URL + gig_url(gig),
    }
    return render(request, "gigs/gig_detail.html", context)


@require_GET
def recent_view(request):
    """The cards of the gigs this browser viewed last (site.js keeps their ids in
    localStorage, so no page carries them and visitors' pages stay cacheable). `ids` is a
    comma-separated list of numbers; anything else is a 400."""
    raw = request.GET.get("ids", "")
    parts = [part for part in raw.split(",") if part] if raw else []
    ids = [parse_int(part) for part in parts]
    if len(ids) > 50 or any(pk is None or pk <= 0 for pk in ids):
        return HttpResponseBadRequest(_("The list of services is not valid."))
    excluded = parse_int(request.GET.get("except", "")) if request.GET.get("except") else None
    gigs = selectors.gigs_recent(ids=[pk for pk in ids if pk != excluded])
    with_card_html(gigs)
    context = {"gigs": gigs, "favorite_ids": selectors.favorite_ids(user=request.user, gigs=gigs)}
    return render(request, "gigs/_recent.html", context)


@require_POST
@login_required
def favorite_toggle_view(request):
    """Save or forget the gig named in the form (one address for every heart of a page)."""
    form = FavoriteForm(request.POST)
    if not form.is_valid():
        raise Http404
    gig = selectors.gig_get_public(gig_id=form.cleaned_data["gig"])
    saved = services.favorite_toggle(user=request.user, gig_id=gig.pk)
    if request.headers.get("HX-Request"):
        return render(request, "gigs/_favorite_button.html", {"gig": gig, "saved": saved})
    messages.success(request, _("Saved to your list.") if saved else _("Removed from your list."))
    return redirect_back(request.POST.get("next"), gig_url(gig))


@login_required
def saved_view(request):
    page = Paginator(selectors.favorites_of(user=request.user), settings.CATALOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "gigs/saved.html", {"page": page, "favorite_ids": {gig.pk for gig in page.object_list}})


def gig_url(gig: Gig) -> str:
    return reverse("gigs:detail", kwargs={"gig_id": gig.pk, "slug": gig.slug})


# --- the freelancer's side ---------------------------------------------------------------


@login_required
def dashboard_view(request):
    gigs = list(selectors.gigs_of_seller(seller=request.user))
    return render(request, "gigs/dashboard.html", {"gigs": gigs})


def _editor_formsets(data=None, gig: Gig | None = None):
    def build(form_class, prefix, initial, spare):
        total = min(len(initial) + spare, 10)
        formset_class = formset_factory(
            form_class, extra=max(total - len(initial), 0), max_num=10, validate_max=True, absolute_max=10
        )
        return formset_class(data, initial=initial, prefix=prefix)

    packages = extras = questions = faqs = []
    if gig is not None:
        packages = [
            {
                "name": p.name,
                "description": p.description,
                "price": p.price.amount,
                "delivery_days": p.delivery_days,
                "revisions": p.revisions,
            }
            for p in gig.packages.all()
        ]
        extras = [
            {"title": e.title, "price": e.price.amount, "extra_days": e.extra_days, "urgent_days": e.urgent_days}
            for e in gig.extras.all()
        ]
        questions = [
            {"text": q.text, "kind": q.kind, "choices": ", ".join(q.choices), "required": q.required}
            for q in gig.questions.all()
        ]
        faqs = [{"question": f.question, "answer": f.answer} for f in gig.faqs.all()]
    return {
        "packages": PackageFormSet(data, initial=packages, prefix="pkg"),
        "extras": build(ExtraForm, "extra", extras, 3),
        "questions": build(QuestionForm, "question", questions, 2 if questions else 3),
        "faqs": build(FaqForm, "faq", faqs, 2),
    }


def _gig_data_from(basics, formsets) -> services.GigData:
    return services.GigData(
        title=basics.cleaned_data["title"],
        category_id=basics.cleaned_data["category"],
        description=basics.cleaned_data["description"],
        tags=basics.cleaned_data["tags"],
        packages=[
            services.PackageData(
                name=f.cleaned_data["name"], description=f.cleaned_data["description"], price=f.cleaned_data["price"],
                delivery_days=f.cleaned_data["delivery_days"], revisions=f.cleaned_data["revisions"],
            )
            for f in formsets["packages"].forms if f.is_used()
        ],
        extras=[
            services.ExtraData(title=f.cleaned_data["title"], price=f.cleaned_data["price"],
                               extra_days=f.cleaned_data["extra_days"] or 0, urgent_days=f.cleaned_data["urgent_days"])
            for f in formsets["extras"].forms if f.is_used()
        ],
        questions=[
            services.QuestionData(
                text=f.cleaned_data["text"], kind=f.cleaned_data["kind"] or GigQuestion.Kind.TEXT,
                choices=f.cleaned_data["choice_list"] if f.cleaned_data["kind"] == GigQuestion.Kind.CHOICE else [],
                required=f.cleaned_data["required"],
            )
            for f in formsets["questions"].forms if f.is_used()
        ],
        faqs=[
            services.FaqData(question=f.cleaned_data["question"], answer=f.cleaned_data["answer"])
            for f in formsets["faqs"].forms if f.is_used()
        ],
    )  # fmt: skip


@login_required
def gig_editor_view(request, gig_id=None):
    if not request.user.is_seller:
        messages.info(request, _("Turn on selling first: then you can create gigs."))
        return redirect(reverse("accounts:settings") + "#selling")
    gig = selectors.gig_get_own(gig_id=gig_id, seller=request.user) if gig_id else None
    images = list(gig.images.all()) if gig else []
    image_ids = [image.pk for image in images]
    chosen_cover, chosen_deletes, images_not_saved = None, set(), 0
    if request.method == "POST":
        basics = GigBasicsForm(request.POST)
        formsets = _editor_formsets(request.POST, gig)
        images_form = GigImagesForm(request.POST, request.FILES, image_ids=image_ids)
        valid = basics.is_valid() & images_form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid:
            try:
                saved = services.gig_save(
                    seller=request.user,
                    data=_gig_data_from(basics, formsets),
                    gig_id=gig.pk if gig else None,
                    submit="submit" in request.POST,
                    new_images=images_form.cleaned_data["new_images"],
                    delete_image_ids=images_form.cleaned_data["delete_images"],
                    cover_image_id=images_form.cleaned_data["cover"],
                )
            except ImageRejected as exc:
                images_form.add_error("new_images", exc.message)
            except DomainError as exc:
                basics.add_error(None, exc.message)
            else:
                if saved.status == Gig.Status.PENDING:
                    messages.success(request, _("The gig is sent to moderation. We usually check gigs within a day."))
                else:
                    messages.success(request, _("The draft is saved."))
                return redirect("gigs:edit", gig_id=saved.pk)
        # Shown again as chosen; the new files themselves cannot be (see the template).
        images_not_saved = len([f for f in request.FILES.getlist("new_images") if f])
        chosen_cover = _int_or_none(request.POST.get("cover"))
        chosen_deletes = {i for i in map(_int_or_none, request.POST.getlist("delete_images")) if i is not None}
    else:
        if gig:
            initial = {"title": gig.title, "category": gig.category_id, "description": gig.description,
                       "tags": gig.tags}  # fmt: skip
        else:
            initial = {}
        basics = GigBasicsForm(initial=initial)
        formsets = _editor_formsets(None, gig)
        images_form = GigImagesForm(image_ids=image_ids)
    return render(
        request,
        "gigs/editor.html",
        {
            "gig": gig,
            "basics": basics,
            "images_form": images_form,
            "images": images,
            "chosen_cover": chosen_cover,
            "chosen_deletes": chosen_deletes,
            "images_not_saved": images_not_saved,
            **formsets,
        },
    )


def _int_or_none(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12 else None


# Lazy: the message is put in the language of the request that shows it, not of the import.
GIG_ACTIONS = {
    "submit": (services.gig_submit, gettext_lazy("The gig is sent to moderation.")),
    "pause": (services.gig_pause, gettext_lazy("The gig is paused: clients no longer see it.")),
    "resume": (services.gig_resume, gettext_lazy("The gig is active again.")),
    "duplicate": (services.gig_duplicate, gettext_lazy("A copy is saved as a draft.")),
    "delete": (services.gig_delete_draft, gettext_lazy("The draft is deleted.")),
}


@require_POST
@login_required
def gig_action_view(request, gig_id, action):
    if action not in GIG_ACTIONS:
        raise Http404
    gig = selectors.gig_get_own(gig_id=gig_id, seller=request.user)
    service, success = GIG_ACTIONS[action]
    try:
        result = service(gig_id=gig.pk, seller=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
        if action == "duplicate":
            return redirect("gigs:edit", gig_id=result.pk)
    return redirect("gigs:dashboard")
