"""A freelancer adds a portfolio work with an image in the settings, sees it on their
profile and on the page of the gig it is linked to; then goes on vacation."""

import pytest

from accounts.models import PortfolioItem
from tests.e2e.conftest import png_bytes
from tests.e2e.test_journey import PASSWORD, log_in
from tests.factories import GigFactory, SellerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_seller_shows_a_work_on_the_profile_and_the_gig_page(people):
    seller = SellerFactory(username="anna_works", email="anna.works@example.com", password=PASSWORD, language="ru")
    seller.profile.display_name = "Анна Соколова"
    seller.profile.headline = "Дизайнер логотипов"
    seller.profile.save()
    gig = GigFactory(seller=seller, title="Нарисую логотип для кофейни", with_image=True)
    GigFactory(seller=seller, title="Сделаю фирменный стиль", category=gig.category, with_image=True)
    anna = people("portfolio")
    log_in(anna, seller.email)
    page = anna.page

    anna.go("/settings/portfolio/")
    anna.shot("editor-empty")
    with page.expect_navigation():
        page.get_by_role("link", name="Добавить работу").first.click()
    page.fill("input[name=title]", "Логотип кофейни «Зерно»")
    page.select_option("select[name=category]", str(gig.category_id))
    page.select_option("select[name=gig]", str(gig.pk))
    page.fill("textarea[name=description]", "Знак, шрифтовая пара и палитра для сети кофеен.")
    page.set_input_files(
        "input[name=new_images]",
        files=[
            {"name": "cup.png", "mimeType": "image/png", "buffer": png_bytes((141, 90, 59))},
            {"name": "menu.png", "mimeType": "image/png", "buffer": png_bytes((79, 138, 139))},
        ],
    )
    anna.shot("editor-new")
    anna.submit("main form")
    item = PortfolioItem.objects.get(owner=seller)
    assert item.gig_id == gig.pk and item.images.count() == 2
    assert "Логотип кофейни «Зерно»" in page.locator("#portfolio-rows").inner_text()
    anna.shot("editor-list")

    # The profile, as a visitor sees it: the gigs and the portfolio.
    visitor = people("portfolio-visitor")
    visitor.go(f"/u/{seller.username}/")
    assert visitor.page.locator(".gig-card").count() == 2
    work = visitor.page.locator("#portfolio .portfolio-card").first
    assert "Логотип кофейни «Зерно»" in work.inner_text()
    assert work.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")
    visitor.shot("profile")

    # The linked gig's page shows the work too.
    visitor.go(f"/gig/{gig.pk}/{gig.slug}/")
    assert "Логотип кофейни «Зерно»" in visitor.page.locator("#portfolio").inner_text()
    visitor.shot("gig")

    # Vacation: the gig page says so instead of the order button, the profile shows the note.
    anna.go("/settings/vacation/")
    page.check("input[name=on_vacation]")
    page.fill("input[name=vacation_until]", "2099-01-05")
    page.fill("textarea[name=vacation_note]", "Вернусь после праздников.")
    anna.submit("main form")
    anna.shot("vacation")
    visitor.go(f"/gig/{gig.pk}/{gig.slug}/")
    assert "Продавец в отпуске до 5 января 2099" in visitor.page.locator("main").inner_text()
    assert visitor.page.locator("form[action*='/checkout/']").count() == 0
    visitor.shot("gig-vacation")
    visitor.go(f"/u/{seller.username}/")
    note = visitor.page.get_by_test_id("vacation-note").inner_text()
    assert "Вернусь после праздников." in note and "5 января 2099" in note
    assert visitor.page.locator(".gig-card").count() == 0  # the gigs are hidden, the works stay
    assert visitor.page.locator("#portfolio .portfolio-card").count() == 1
    visitor.shot("profile-vacation")
