"""Recently viewed gigs (their ids are the browser's, kept by site.js) and the share links."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from gigs.models import Gig
from tests.factories import GigFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    page = response.content.decode()
    return [title for title in sorted(TITLES, key=page.find) if title in page]


TITLES = [f"Recent gig number {n}" for n in range(10)]


def test_the_cards_come_in_the_browsers_order_and_only_active_ones(client):
    gigs = [GigFactory(title=title) for title in TITLES]
    gigs[2].status = Gig.Status.PAUSED
    gigs[2].save(update_fields=["status"])
    ids = [gigs[n].pk for n in (3, 2, 0, 1)]
    response = client.get(reverse("gigs:recent"), {"ids": ",".join(map(str, ids))})
    assert response.status_code == 200
    assert _titles(response) == [TITLES[3], TITLES[0], TITLES[1]]
    # The gig being viewed is left out, and at most 8 come back.
    response = client.get(reverse("gigs:recent"), {"ids": ",".join(str(g.pk) for g in gigs), "except": gigs[0].pk})
    shown = _titles(response)
    assert TITLES[0] not in shown and len(shown) == 7  # 8 asked for after the excluded one, one paused


@pytest.mark.parametrize("ids", ["1,abc", "-1", "1;DROP", "١٢", "1," * 100 + "x"])
def test_a_bad_list_is_a_400(client, ids):
    response = client.get(reverse("gigs:recent"), {"ids": ids})
    assert response.status_code == 400 and b"not valid" in response.content


def test_nothing_remembered_gives_an_empty_answer(client):
    response = client.get(reverse("gigs:recent"))
    assert response.status_code == 200 and b"gig-card" not in response.content


def test_the_pages_hold_no_ones_list_and_the_gig_page_offers_share_links(client, settings):
    gig = GigFactory(title="A gig to share")
    page = client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    url = settings.SITE_URL + reverse("gigs:detail", args=[gig.pk, gig.slug])
    assert f'value="{url}"' in page
    assert "https://t.me/share/url?url=" + quote(url, safe="") in page
    assert "https://vk.com/share.php?url=" + quote(url, safe="") in page
    assert f'data-recent-gig="{gig.pk}"' in page and f'data-recent-except="{gig.pk}"' in page
    home = client.get(reverse("home")).content.decode()
    assert "data-recent-src" in home and 'recent-cards"></div>' in home  # filled by the browser
