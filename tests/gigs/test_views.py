import pytest
from django.urls import reverse
from django.utils import translation

from gigs import services
from gigs.models import Gig
from tests.factories import CategoryFactory, GigFactory, SellerFactory, UserFactory, rub
from tests.gigs.editor import editor_post
from tests.images import decompression_bomb_png, image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller)
    return client


def test_editor_creates_a_gig_and_sends_it_to_moderation(seller_client, seller):
    category = CategoryFactory()
    data = editor_post(
        category.pk,
        extras=[{"title": "Срочно за 1 день", "price": "1000", "extra_days": "0"}],
        questions=[{"text": "Название компании?", "kind": "text", "required": "on"},
                   {"text": "Стиль?", "kind": "choice", "choices": "Минимализм, Классика", "required": "on"}],
        faqs=[{"question": "Сроки?", "answer": "От трёх дней."}],
        submit="1",
    )  # fmt: skip
    data["new_images"] = [upload(image_bytes(), "a.png"), upload(image_bytes("JPEG"), "b.jpg", "image/jpeg")]
    response = seller_client.post(reverse("gigs:create"), data)
    assert response.status_code == 302, response.context and response.context["basics"].errors
    gig = Gig.objects.get()
    assert gig.status == Gig.Status.PENDING
    assert gig.packages.count() == 2 and gig.extras.count() == 1 and gig.faqs.count() == 1
    assert gig.questions.get(kind="choice").choices == ["Минимализм", "Классика"]
    assert gig.images.count() == 2


def _post_errors(response):
    context = response.context
    errors = dict(context["basics"].errors)
    errors["packages"] = [context["packages"].non_form_errors(), *[f.errors for f in context["packages"]]]
    errors["images"] = context["images_form"].errors
    return str(errors)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pkg-0-price": "499"}, "minimum price is 500"),
        ({"pkg-0-price": "abc"}, "Enter a number"),
        ({"pkg-1-revisions": ""}, "Fill in every field"),
        ({"pkg-TOTAL_FORMS": "4", "pkg-3-name": "X"}, "at most 3"),
        ({"title": "x" * 10_000}, "at most 80 characters"),
        ({"pkg-0-name": "", "pkg-0-description": "", "pkg-0-price": "", "pkg-0-delivery_days": "",
          "pkg-0-revisions": "", "pkg-1-name": "", "pkg-1-description": "", "pkg-1-price": "",
          "pkg-1-delivery_days": "", "pkg-1-revisions": ""}, "at least one package"),
        ({"pkg-1-price": "1000"}, "should not cost less"),
    ],
    ids=["low-price", "text-price", "empty-field", "four-packages", "long-title", "no-package", "price-order"],
)  # fmt: skip
def test_editor_bad_input_gets_form_errors_and_saves_nothing(seller_client, change, message):
    data = editor_post(CategoryFactory().pk)
    data.update(change)
    response = seller_client.post(reverse("gigs:create"), data)
    assert response.status_code == 200
    assert message in _post_errors(response)
    assert not Gig.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [(b"GIF89a but not really", "not a valid image"), (decompression_bomb_png(), "megapixels")],
)
def test_editor_refuses_bad_images(seller_client, payload, message):
    data = editor_post(CategoryFactory().pk, new_images=[upload(payload, "x.png")])
    response = seller_client.post(reverse("gigs:create"), data)
    assert response.status_code == 200
    assert message in str(response.context["images_form"].errors)
    assert not Gig.objects.exists()


def test_editor_refuses_an_oversized_image(seller_client, settings):
    settings.GIG_IMAGE_MAX_BYTES = 5_000
    data = editor_post(CategoryFactory().pk, new_images=[upload(image_bytes(size=(900, 900)) + b"\0" * 10_000)])
    response = seller_client.post(reverse("gigs:create"), data)
    assert "too large" in str(response.context["images_form"].errors)
    assert not Gig.objects.exists()


def test_another_user_gets_404_on_the_editor_and_actions(client):
    gig = GigFactory()
    intruder = SellerFactory()
    client.force_login(intruder)
    assert client.get(reverse("gigs:edit", args=[gig.pk])).status_code == 404
    assert client.post(reverse("gigs:edit", args=[gig.pk]), editor_post(gig.category_id)).status_code == 404
    for action in ("pause", "duplicate", "delete", "submit"):
        assert client.post(reverse("gigs:action", args=[gig.pk, action])).status_code == 404
    gig.refresh_from_db()
    assert gig.status == Gig.Status.ACTIVE


def test_editor_requires_a_seller(client):
    client.force_login(UserFactory())
    response = client.get(reverse("gigs:create"))
    assert response.status_code == 302 and "#selling" in response["Location"]


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "paused"])
def test_non_public_gigs_are_hidden_from_others_but_previewable_by_the_owner(client, status):
    gig = GigFactory(status=status, rejection_reason="bad" if status == "rejected" else "")
    url = reverse("gigs:detail", args=[gig.pk, gig.slug])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(gig.seller)
    assert client.get(url).status_code == 200
    catalog = client.get(reverse("gigs:catalog")).content.decode()
    assert gig.title not in catalog


def test_gig_page_shows_packages_seller_and_meta(client):
    gig = GigFactory(with_image=True, packages=[(1500, 3, 1), (3500, 5, 3), (7000, 7, 5)])
    response = client.get(f"/gig/{gig.pk}/{gig.slug}/")  # the Russian page: prices as Russian writes them
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{gig.title}" in page
    assert 'property="og:title"' in page and 'property="og:image"' in page and 'name="description"' in page
    for price in ("1\u00a0500\u00a0₽", "3\u00a0500\u00a0₽", "7\u00a0000\u00a0₽"):
        assert price in page
    assert gig.seller.display_name in page
    services.gig_views_flush()  # with Redis, views wait there for the beat's flush
    gig.refresh_from_db()
    assert gig.views_count == 1


def test_gig_page_redirects_to_the_canonical_slug(client):
    gig = GigFactory()
    response = client.get(reverse("gigs:detail_short", args=[gig.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("gigs:detail", args=[gig.pk, gig.slug])


def test_description_is_rendered_safely(client):
    gig = GigFactory(description="**Bold** text <script>alert(1)</script> and <img src=x onerror=alert(2)>" + "." * 50)
    page = client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page and "onerror" not in page


def test_dashboard_lists_own_gigs_with_counts(client, seller):
    mine = GigFactory(seller=seller, views_count=17)
    other = GigFactory()
    client.force_login(seller)
    page = client.get(reverse("gigs:dashboard")).content.decode()
    assert mine.title in page and other.title not in page and "17" in page


def test_dashboard_actions(client, seller):
    gig = GigFactory(seller=seller)
    client.force_login(seller)
    client.post(reverse("gigs:action", args=[gig.pk, "pause"]))
    assert Gig.objects.get(pk=gig.pk).status == "paused"
    response = client.post(reverse("gigs:action", args=[gig.pk, "duplicate"]))
    assert response.status_code == 302
    assert Gig.objects.filter(seller=seller).count() == 2
    assert client.post(reverse("gigs:action", args=[gig.pk, "explode"])).status_code == 404


def test_favorites_htmx_toggle_and_saved_page(client, user):
    gig = GigFactory()
    client.force_login(user)
    response = client.post(reverse("gigs:favorite"), {"gig": gig.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "bi-heart-fill" in response.content.decode()
    assert gig.title in client.get(reverse("gigs:saved")).content.decode()
    response = client.post(reverse("gigs:favorite"), {"gig": gig.pk}, HTTP_HX_REQUEST="true")
    assert "bi-heart-fill" not in response.content.decode()
    assert gig.title not in client.get(reverse("gigs:saved")).content.decode()


def test_favorites_need_login_and_a_public_gig(client, user):
    gig = GigFactory()
    response = client.post(reverse("gigs:favorite"), {"gig": gig.pk})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    hidden = GigFactory(status="paused")
    client.force_login(user)
    assert client.post(reverse("gigs:favorite"), {"gig": hidden.pk}).status_code == 404
    for bad in ("", "abc", "²", "0", "99999999999999999999"):
        assert client.post(reverse("gigs:favorite"), {"gig": bad}).status_code == 404
    assert client.post(reverse("gigs:favorite"), {"gig": "1\x00"}).status_code == 400


def test_description_lists_work_without_an_empty_line(client):
    gig = GigFactory(description="How I work:\n- brief\n- sketches\n\nDone." + "." * 80)
    page = client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode()
    assert "<li>brief</li>" in page and "<li>sketches</li>" in page


def _ru(name, *args) -> str:
    """The Russian page's address (reverse() inside the tests' English override gives /en/...)."""
    with translation.override("ru"):
        return reverse(name, args=args)


def test_editor_shows_whole_prices_without_kopecks_and_still_accepts_them(seller_client, seller):
    gig = GigFactory(seller=seller, status=Gig.Status.DRAFT, packages=[(1500, 3, 1)])
    gig.extras.create(title="Срочно", price=rub(700.5), extra_days=0)
    page = seller_client.get(_ru("gigs:edit", gig.pk)).content.decode()
    assert 'name="pkg-0-price" value="1500"' in page
    assert 'name="extra-0-price" value="700.50"' in page  # kopecks stay when there are some
    data = editor_post(gig.category_id, save="1")
    data["pkg-0-price"], data["pkg-1-price"] = "1500.00", "3500"
    assert seller_client.post(_ru("gigs:edit", gig.pk), data).status_code == 302
    assert gig.packages.get(tier=1).price == rub(1500)


def test_editor_says_chosen_images_were_not_saved_and_keeps_the_typed_text(seller_client, seller):
    gig = GigFactory(seller=seller, status=Gig.Status.DRAFT)
    first = gig.images.create(image=upload(image_bytes(), "a.png"), position=0)
    second = gig.images.create(image=upload(image_bytes(), "b.png"), position=1)
    data = editor_post(gig.category_id, title="Новое название услуги", cover=str(second.pk), save="1")
    data["pkg-0-price"] = "12"  # below the minimum: the page comes back with an error
    data["delete_images"] = [str(first.pk)]
    data["new_images"] = [upload(image_bytes(), "c.png"), upload(image_bytes(), "d.png")]
    response = seller_client.post(_ru("gigs:edit", gig.pk), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 выбранных изображения не сохранены" in page
    assert 'value="Новое название услуги"' in page
    assert f'value="{second.pk}" id="cover-{second.pk}" checked' in page
    assert f'value="{first.pk}" id="del-{first.pk}" checked' in page
    assert gig.images.count() == 2
    # Without new files, no such warning.
    data.pop("new_images")
    assert "не сохранен" not in seller_client.post(_ru("gigs:edit", gig.pk), data).content.decode()


def test_editor_requirement_rows_give_the_answer_type_and_required_their_own_room(seller_client):
    page = seller_client.get(_ru("gigs:create")).content.decode()
    row = page.split('id="step-questions"', 1)[1].split("</section>", 1)[0]
    assert row.count('<div class="col-md-5">') >= 1 and "col-md-2" not in row


def _package_cards(page: str) -> str:
    return page.split('id="compare-title"', 1)[1].split("</section>", 1)[0]


def test_package_cards_show_a_name_that_repeats_the_tier_once(client):
    gig = GigFactory(packages=[(1000, 3, 1), (2000, 5, 2)])
    gig.packages.filter(tier=1).update(name="Эконом")
    gig.packages.filter(tier=2).update(name="Premium")
    cards = _package_cards(client.get(_ru("gigs:detail", gig.pk, gig.slug)).content.decode())
    assert cards.count("Эконом") == 1
    assert "Стандарт" not in cards and "Premium" in cards  # no card shows a tier then: the cards stay alike
    cards = _package_cards(client.get(reverse("gigs:detail", args=[gig.pk, gig.slug])).content.decode())
    assert "Economy" not in cards and cards.count("Эконом") == 1  # "Эконом" is the tier in either language
    gig.packages.filter(tier=1).update(name="Мини")
    gig.save()  # a new updated_at: the page's cached fragments are built anew
    cards = _package_cards(client.get(_ru("gigs:detail", gig.pk, gig.slug)).content.decode())
    assert "Эконом" in cards and "Стандарт" in cards and "Мини" in cards  # names of their own keep the tiers


def test_more_from_the_seller_needs_no_declension(client):
    gig = GigFactory()
    GigFactory(seller=gig.seller)
    gig.seller.profile.display_name = "Анна Соколова"
    gig.seller.profile.save()
    page = client.get(_ru("gigs:detail", gig.pk, gig.slug)).content.decode()
    assert "Другие услуги: Анна Соколова" in page
