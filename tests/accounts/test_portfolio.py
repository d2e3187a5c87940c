"""A freelancer's portfolio: the editor under the settings, the cap, the own-gig rule, the
order, re-encoded images, and the works on the profile and on the linked gig's page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import PORTFOLIO_MAX_ITEMS, AccountEvent, PortfolioImage, PortfolioItem, Profile
from accounts.services import (
    PortfolioData,
    PortfolioError,
    portfolio_image_build_thumbnail,
    portfolio_item_delete,
    portfolio_item_move,
    portfolio_item_save,
)
from tests.factories import CategoryFactory, GigFactory, SellerFactory, UserFactory
from tests.images import image_bytes, upload
from tests.marketplace.test_security import _no_script, _polyglots

pytestmark = pytest.mark.django_db


def _png(color=(20, 120, 200)):
    return upload(image_bytes("PNG", color=color), name="work.png")


def _signed_in(person) -> Client:
    browser = Client()
    browser.force_login(person)
    return browser


def _add(owner, *, title="Logo for a bakery", gig=None, category=None, images=1) -> PortfolioItem:
    category = category or CategoryFactory()
    return portfolio_item_save(
        owner=owner,
        data=PortfolioData(
            title=title, description="Round logo", category_id=category.pk, gig_id=gig.pk if gig else None
        ),
        new_images=[_png() for _ in range(images)],
    )


def _post(category, **extra):
    return {"title": "Coffee shop logo", "category": category.pk, "gig": "", "description": "Two colours", **extra}


def test_a_seller_adds_a_work_with_images_through_the_editor():
    seller = SellerFactory()
    gig = GigFactory(seller=seller)
    browser = _signed_in(seller)
    assert browser.get(reverse("accounts:portfolio_create")).status_code == 200
    response = browser.post(
        reverse("accounts:portfolio_create"),
        _post(gig.category, gig=gig.pk, new_images=[_png(), _png((1, 2, 3))]),
    )
    assert response.status_code == 302
    item = PortfolioItem.objects.get(owner=seller)
    assert item.gig == gig and item.title == "Coffee shop logo"
    assert [image.position for image in item.images.all()] == [0, 1]
    assert Profile.objects.get(user=seller).portfolio_count == 1
    assert AccountEvent.objects.filter(user=seller, kind=AccountEvent.Kind.PORTFOLIO_CHANGED).exists()
    listing = browser.get(reverse("accounts:portfolio")).content.decode()
    assert "Coffee shop logo" in listing


def test_a_work_needs_an_image_and_a_category():
    seller = SellerFactory()
    category = CategoryFactory()
    browser = _signed_in(seller)
    response = browser.post(reverse("accounts:portfolio_create"), _post(category))
    assert response.status_code == 200 and "Add at least one image" in response.content.decode()
    no_category = {**_post(category), "category": "", "new_images": [_png()]}
    response = browser.post(reverse("accounts:portfolio_create"), no_category)
    assert response.status_code == 200
    assert not PortfolioItem.objects.exists()


def test_someone_who_does_not_sell_has_no_portfolio():
    person = UserFactory()
    with pytest.raises(PortfolioError):
        _add(person)
    response = _signed_in(person).post(
        reverse("accounts:portfolio_create"), _post(CategoryFactory(), new_images=[_png()])
    )
    assert response.status_code == 200 and "Turn on selling" in response.content.decode()
    assert not PortfolioItem.objects.exists()


def test_a_work_links_only_to_one_of_the_owners_own_gigs():
    alice, bob = SellerFactory(), SellerFactory()
    bobs_gig = GigFactory(seller=bob)
    # The form offers only Alice's gigs: Bob's id is not a choice.
    response = _signed_in(alice).post(
        reverse("accounts:portfolio_create"), _post(bobs_gig.category, gig=bobs_gig.pk, new_images=[_png()])
    )
    assert response.status_code == 200 and not PortfolioItem.objects.exists()
    # And the service refuses it even when called directly.
    with pytest.raises(PortfolioError, match="your own gigs"):
        _add(alice, gig=bobs_gig)
    assert not PortfolioItem.objects.exists()


def test_bob_cannot_see_edit_move_or_delete_alices_work():
    alice, bob = SellerFactory(), SellerFactory()
    item = _add(alice)
    browser = _signed_in(bob)
    assert browser.get(reverse("accounts:portfolio_edit", args=[item.pk])).status_code == 404
    edit = _post(item.category, title="Stolen", new_images=[_png()])
    assert browser.post(reverse("accounts:portfolio_edit", args=[item.pk]), edit).status_code == 404
    assert browser.post(reverse("accounts:portfolio_move", args=[item.pk]), {"direction": "up"}).status_code == 404
    assert browser.post(reverse("accounts:portfolio_delete", args=[item.pk])).status_code == 404
    with pytest.raises(PortfolioError):
        portfolio_item_delete(owner=bob, item_id=item.pk)
    item.refresh_from_db()
    assert item.title == "Logo for a bakery"
    # Bob's own list does not show it; Alice's does.
    assert "Logo for a bakery" not in browser.get(reverse("accounts:portfolio")).content.decode()
    assert "Logo for a bakery" in _signed_in(alice).get(reverse("accounts:portfolio")).content.decode()


def test_the_owner_edits_a_work_removes_an_image_and_picks_the_cover():
    seller = SellerFactory()
    item = _add(seller, images=2)
    first, second = item.images.order_by("position")
    browser = _signed_in(seller)
    response = browser.post(
        reverse("accounts:portfolio_edit", args=[item.pk]),
        _post(item.category, title="Renamed", cover=second.pk, delete_images=[first.pk]),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Renamed"
    assert list(item.images.values_list("pk", "position")) == [(second.pk, 0)]
    # Removing the last image is refused and nothing is lost.
    response = browser.post(
        reverse("accounts:portfolio_edit", args=[item.pk]), _post(item.category, delete_images=[second.pk])
    )
    assert response.status_code == 200 and item.images.count() == 1


def test_at_most_six_images_per_work():
    seller = SellerFactory()
    with pytest.raises(PortfolioError, match="at most 6 images"):
        _add(seller, images=7)
    item = _add(seller, images=6)
    with pytest.raises(PortfolioError, match="at most 6 images"):
        portfolio_item_save(
            owner=seller,
            data=PortfolioData(title="x", description="", category_id=item.category_id),
            item_id=item.pk,
            new_images=[_png()],
        )
    assert item.images.count() == 6


def test_a_portfolio_holds_at_most_thirty_works(django_assert_max_num_queries):
    seller = SellerFactory()
    category = CategoryFactory()
    for number in range(PORTFOLIO_MAX_ITEMS):
        _add(seller, title=f"Work {number}", category=category)
    with pytest.raises(PortfolioError, match="at most 30 works"):
        _add(seller, category=category)
    assert PortfolioItem.objects.filter(owner=seller).count() == PORTFOLIO_MAX_ITEMS
    page = _signed_in(seller).get(reverse("accounts:portfolio")).content.decode()
    assert "Your portfolio is full" in page and reverse("accounts:portfolio_create") not in page
    response = _signed_in(seller).post(reverse("accounts:portfolio_create"), _post(category, new_images=[_png()]))
    assert "at most 30 works" in response.content.decode()
    # The database keeps the cap too, whatever code writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(user=seller).update(portfolio_count=PORTFOLIO_MAX_ITEMS + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PortfolioItem.objects.create(owner=seller, title="x", category=category, position=PORTFOLIO_MAX_ITEMS)
    # Deleting one makes room again, at the end.
    first = PortfolioItem.objects.get(owner=seller, position=0)
    portfolio_item_delete(owner=seller, item_id=first.pk)
    assert sorted(PortfolioItem.objects.filter(owner=seller).values_list("position", flat=True)) == list(range(29))
    assert _add(seller, title="One more", category=category).position == 29


def test_up_and_down_reorder_without_javascript():
    seller = SellerFactory()
    one, two, three = (_add(seller, title=title) for title in ("One", "Two", "Three"))
    browser = _signed_in(seller)

    def order():
        return list(PortfolioItem.objects.filter(owner=seller).order_by("position").values_list("title", flat=True))

    assert browser.post(reverse("accounts:portfolio_move", args=[three.pk]), {"direction": "up"}).status_code == 302
    assert order() == ["One", "Three", "Two"]
    browser.post(reverse("accounts:portfolio_move", args=[one.pk]), {"direction": "down"})
    assert order() == ["Three", "One", "Two"]
    # At either end nothing moves; a bad direction is a 404, not a 500.
    browser.post(reverse("accounts:portfolio_move", args=[three.pk]), {"direction": "up"})
    portfolio_item_move(owner=seller, item_id=two.pk, up=False)
    assert order() == ["Three", "One", "Two"]
    assert browser.post(reverse("accounts:portfolio_move", args=[two.pk]), {"direction": "sideways"}).status_code == 404
    # With htmx, the list comes back as a partial.
    partial = browser.post(
        reverse("accounts:portfolio_move", args=[two.pk]), {"direction": "up"}, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200 and 'id="portfolio-rows"' in partial.content.decode()
    assert order() == ["Three", "Two", "One"]
    # And the profile shows them in that order.
    profile = Client().get(reverse("accounts:profile", args=[seller.username])).content.decode()
    assert profile.index("Three") < profile.index("Two") < profile.index("One")


@pytest.mark.parametrize("name", ["poly.jpg", "poly.png"])
def test_portfolio_images_are_re_encoded_from_their_pixels(name):
    data = _polyglots()[name]
    kind = "image/jpeg" if name.endswith("jpg") else "image/png"
    seller = SellerFactory()
    category = CategoryFactory()
    _signed_in(seller).post(
        reverse("accounts:portfolio_create"), _post(category, new_images=[SimpleUploadedFile(name, data, kind)])
    )
    image = PortfolioImage.objects.get(item__owner=seller)
    portfolio_image_build_thumbnail(image_id=image.pk)  # as the task does (eager in tests, safe twice)
    image.refresh_from_db()
    assert image.thumbnail and image.image.name.startswith(f"portfolio/{seller.pk}/")
    for stored in (image.image, image.thumbnail):
        stored.open("rb")
        content = stored.read()
        _no_script(content)
        with Image.open(io.BytesIO(content)) as reread:
            assert reread.format == "JPEG"
            assert not reread.info.get("icc_profile") and "exif" not in reread.info and "comment" not in reread.info
    # Served from the public media route like gig images.
    assert Client().get(image.image.url).status_code == 200


def test_a_file_that_is_not_an_image_is_a_form_error():
    seller = SellerFactory()
    fake = SimpleUploadedFile("work.png", b"<script>alert(1)</script>", content_type="image/png")
    url = reverse("accounts:portfolio_create")
    response = _signed_in(seller).post(url, _post(CategoryFactory(), new_images=[fake]))
    assert response.status_code == 200 and "not a valid image" in response.content.decode()
    assert not PortfolioItem.objects.exists()


def test_the_profile_shows_the_active_gigs_and_the_portfolio():
    seller = SellerFactory()
    active = GigFactory(seller=seller, title="I will draw your logo")
    GigFactory(seller=seller, title="A paused gig", status="paused")
    _add(seller, title="Bakery logo", gig=active)
    page = Client().get(reverse("accounts:profile", args=[seller.username])).content.decode()
    assert "I will draw your logo" in page and "A paused gig" not in page
    assert "Bakery logo" in page and 'id="portfolio"' in page
    # Bob sees the same, with his own hearts beside the cards.
    bob = UserFactory()
    page = _signed_in(bob).get(reverse("accounts:profile", args=[seller.username])).content.decode()
    assert "Bakery logo" in page and "favorite-btn" in page


def test_the_profile_reads_a_constant_number_of_queries(django_assert_max_num_queries):
    seller = SellerFactory()
    for number in range(6):
        gig = GigFactory(seller=seller, with_image=True)
        _add(seller, title=f"Work {number}", gig=gig, images=2)
    Client().get(reverse("accounts:profile", args=[seller.username]))  # warm the card cache
    with django_assert_max_num_queries(14):
        response = Client().get(reverse("accounts:profile", args=[seller.username]))
    assert response.content.decode().count("portfolio-card") == 6


def test_the_gig_page_shows_the_works_linked_to_it_at_once():
    seller = SellerFactory()
    gig, other = GigFactory(seller=seller), GigFactory(seller=seller)
    url = reverse("gigs:detail", args=[gig.pk, gig.slug])
    visitor = Client()
    assert "Menu for a café" not in visitor.get(url).content.decode()  # the fragments are cached now
    item = _add(seller, title="Menu for a café", gig=gig)
    _add(seller, title="Not this gig", gig=other)
    page = visitor.get(url).content.decode()
    assert "Menu for a café" in page and "Not this gig" not in page
    # Linked to the other gig: it leaves this page and reaches that one, in every process.
    portfolio_item_save(
        owner=seller,
        data=PortfolioData(title="Menu for a café", description="", category_id=item.category_id, gig_id=other.pk),
        item_id=item.pk,
    )
    assert "Menu for a café" not in visitor.get(url).content.decode()
    assert "Menu for a café" in visitor.get(reverse("gigs:detail", args=[other.pk, other.slug])).content.decode()
    portfolio_item_delete(owner=seller, item_id=item.pk)
    assert "Menu for a café" not in visitor.get(reverse("gigs:detail", args=[other.pk, other.slug])).content.decode()


def test_catalog_cards_show_the_sellers_number_of_works_for_no_query_more():
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sellers = [SellerFactory() for _ in range(3)]
    for seller in sellers:
        GigFactory(seller=seller, with_image=True)
    visitor = Client()

    def catalog():
        cache.clear()
        caches["local"].clear()
        with CaptureQueriesContext(connection) as captured:
            page = visitor.get(reverse("gigs:catalog")).content.decode()
        return page, len(captured)

    before, queries_before = catalog()
    assert "gig-card-portfolio" not in before
    for seller in sellers:
        _add(seller, title="One")
        _add(seller, title="Two")
    after, queries_after = catalog()
    assert after.count("gig-card-portfolio") == 3 and "works in the portfolio" in after
    assert queries_after == queries_before


def test_staff_delete_a_work_in_admin_through_the_service():
    seller = SellerFactory()
    first, second = _add(seller, title="First"), _add(seller, title="Second")
    staff = UserFactory(is_staff=True, is_superuser=True)
    browser = _signed_in(staff)
    assert browser.get(reverse("admin:accounts_portfolioitem_change", args=[first.pk])).status_code == 200
    response = browser.post(reverse("admin:accounts_portfolioitem_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.position == 0 and Profile.objects.get(user=seller).portfolio_count == 1
    assert AccountEvent.objects.filter(user=seller, data__action="deleted").exists()
