"""The markup of the public pages as the server sends it: headings in order, and the catalog's
filters folded in the HTML (a phone shows the results first, with no script moving them)."""

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import GigFactory, SellerFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Outline(HTMLParser):
    """The headings a phone shows: those inside `d-none` (hidden below some width, Bootstrap
    is mobile-first) or `hidden` elements are left out; visually-hidden ones count."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.levels: list[int] = []
        self.details: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inherited = bool(self.stack) and self.stack[-1][1]
        hidden = inherited or "hidden" in attrs or "d-none" in (attrs.get("class") or "").split()
        if tag == "details":
            self.details.append(attrs)
        if re.fullmatch(r"h[1-6]", tag) and not hidden:
            self.levels.append(int(tag[1]))
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def outline(client, path: str) -> Outline:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def public_pages(db):
    seller = SellerFactory(username="headings_seller")
    packages = [(1000, 3, 1), (2000, 5, 2), (4000, 7, 3)]
    gig = GigFactory(seller=seller, title="A logo for a bakery", with_image=True, packages=packages)
    GigFactory(seller=seller, title="A logo for a cafe", category=gig.category, with_image=True)
    return seller, {
        "home": "/",
        "catalog": "/catalog/",
        "search": "/catalog/?q=logo",
        "gig": f"/gig/{gig.pk}/{gig.slug}/",
        "profile": f"/u/{seller.username}/",
        "own profile": f"/u/{seller.username}/",  # the level table's h3s, shown to the owner
    }


@pytest.mark.parametrize("page", ["home", "catalog", "search", "gig", "profile", "own profile"])
def test_no_heading_level_is_skipped(client, public_pages, page):
    seller, paths = public_pages
    if page == "own profile":
        client.force_login(seller)
    levels = outline(client, paths[page]).levels
    assert levels[0] == 1 and levels.count(1) == 1, levels
    if page != "profile":
        assert 3 in levels, levels  # cards or parts under the page's sections
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (page, levels)


@pytest.mark.parametrize("path", ["/catalog/", "/catalog/?q=logo&price_min=500"])
def test_the_catalog_filters_come_folded_in_the_html(client, public_pages, path):
    """Open in the HTML and folded by a script on a phone, they pushed the results down after
    load (Lighthouse CLS 0.48); from 992 px site.css shows the closed box's content."""
    details = outline(client, path).details  # the fixture's gigs fill the listing
    filters = [attrs for attrs in details if "filters-box" in (attrs.get("class") or "")]
    assert len(filters) == 1
    assert "open" not in filters[0]
    css = (ROOT / "static/css/site.css").read_text()
    wide = re.search(r"@media \(min-width: 992px\) \{(.*?)\n\}", css, re.S)
    assert wide and ".filters-box::details-content { content-visibility: visible; }" in wide.group(1)


def test_the_first_cover_of_a_listing_is_fetched_first_and_the_others_lazily(client, public_pages):
    """The first card's cover is a phone's largest paint: lazy loading held it back (LCP)."""
    for _ in range(2):  # rendered, then from the cards' cache: the cached card stays lazy
        covers = re.findall(r'<img src="/media/gigs/[^>]*>', client.get("/catalog/").content.decode())
        assert len(covers) == 2
        assert 'fetchpriority="high"' in covers[0] and "loading=" not in covers[0]
        assert 'loading="lazy"' in covers[1] and "fetchpriority" not in covers[1]
