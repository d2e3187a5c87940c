"""The whole journey of a gig in a real browser: sign-up, a gig, moderation, search, contact,
top-up through the sandbox, an order with an extra, requirements, delivery, a revision,
acceptance, the payout, both reviews, a withdrawal paid by staff, a dispute split by staff,
and the key pages in English. Each step asserts what the person sees."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import timezone
from moneyed import Money

from accounts.models import User
from escrow.selectors import wallet_balances
from escrow.services import wallet_top_up
from gigs.models import Category, Gig
from gigs.services import category_tree_seed
from legal.models import LegalAcceptance
from legal.services import legal_accept_current
from orders.models import Order
from orders.services import orders_sweep
from tests.e2e.conftest import last_email_link, png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-pass-for-e2e"


def fill_signup(person, email: str, username: str) -> None:
    """The sign-up form filled in, its boxes left as they come (unticked)."""
    page = person.page
    person.go("/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)


def sign_up(person, email: str, username: str) -> None:
    page = person.page
    fill_signup(person, email, username)
    # The terms, and apart from them the personal-data consent (tests/e2e/test_legal_journey.py).
    page.check("input[name=accept_terms]")
    page.check("input[name=accept_consent]")
    person.shot("signup")
    person.submit("main form")
    confirm = last_email_link(email, "/accounts/confirm-email/")
    person.go(confirm)
    person.shot("confirm-email")
    person.submit("main form")
    assert username in page.locator("header").inner_text()


def log_in(person, email: str, password: str = PASSWORD) -> None:
    person.go("/accounts/login/")
    person.page.fill("input[name=login]", email)
    person.page.fill("input[name=password]", password)
    person.submit("main form")


def make_staff() -> User:
    staff = User.objects.create_user(username="moderator", email="moderator@example.com", password=PASSWORD)
    staff.is_staff = True
    staff.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    legal_accept_current(user=staff, ip=None, source=LegalAcceptance.Source.SIGNUP)  # as at sign-up
    codenames = ["moderate_gig", "view_gig", "change_gig", "resolve_dispute", "view_dispute", "change_dispute"]
    codenames += ["view_withdrawal", "change_withdrawal", "view_order"]
    for codename in codenames:
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    return staff


def admin_action(person, changelist: str, object_id: int, action: str) -> None:
    page = person.page
    person.go(changelist)
    page.locator(f"input[name=_selected_action][value='{object_id}']").check()
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.locator("button[name=index], input[name=index], .actions button[type=submit]").first.click()


def rub(page_text: str) -> str:
    return page_text.replace("\u00a0", " ")


def test_gig_journey(people, live_server, django_capture_on_commit_callbacks):
    category_tree_seed()
    staff = make_staff()
    logo = Category.objects.get(parent__slug="design", slug="logo")

    # --- a freelancer signs up, verifies the email, becomes a seller, creates a gig -----------------
    anna = people("seller")
    sign_up(anna, "anna@example.com", "anna_logos")
    anna.go("/settings/")
    anna.submit("form[action='/settings/selling/']")
    assert "/settings/" in anna.page.url
    anna.shot("settings-seller")
    anna.go("/my/gigs/new/")
    page = anna.page
    page.fill("input[name=title]", "Нарисую логотип для кофейни")
    page.select_option("select[name=category]", str(logo.pk))
    page.fill(
        "textarea[name=description]",
        "Создам логотип для кофейни или пекарни: изучу нишу, предложу три концепции, доведу выбранную до идеала. "
        "Передам файлы PNG, SVG и PDF.",
    )
    page.fill("input[name=tags]", "логотип, кофейня")
    for i, (name, price, days, revisions) in enumerate([("Эконом", "1500", "3", "1"), ("Стандарт", "3000", "5", "2")]):
        page.fill(f"input[name=pkg-{i}-name]", name)
        page.fill(f"textarea[name=pkg-{i}-description]", f"{name}: логотип и исходники")
        page.fill(f"input[name=pkg-{i}-price]", price)
        page.fill(f"input[name=pkg-{i}-delivery_days]", days)
        page.fill(f"input[name=pkg-{i}-revisions]", revisions)
    page.fill("input[name=extra-0-title]", "Срочно за 1 день")
    page.fill("input[name=extra-0-price]", "1000")
    page.fill("input[name=extra-0-extra_days]", "0")
    page.fill("input[name=question-0-text]", "Название кофейни?")
    page.set_input_files(
        "input[name=new_images]", files=[{"name": "cover.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    anna.shot("gig-editor")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    gig = Gig.objects.get(title="Нарисую логотип для кофейни")
    assert gig.status == Gig.Status.PENDING
    assert "модерац" in page.locator("main").inner_text().lower()

    # --- staff approve it in Django admin ---------------------------------------------------------------
    moderator = people("staff")
    log_in(moderator, staff.email)
    admin_action(moderator, "/admin/gigs/gig/", gig.pk, "approve_selected")
    moderator.shot("admin-gigs", check_a11y=False)
    gig.refresh_from_db()
    assert gig.status == Gig.Status.ACTIVE

    # --- a client signs up and finds the gig by a Russian keyword and by filters -------------------------
    ivan = people("buyer")
    sign_up(ivan, "ivan@example.com", "ivan_coffee")
    # PostgreSQL stems "логотипы" to "логотип"; the SQLite fallback matches word stems only roughly.
    ivan.go("/catalog/?q=логотипы" if settings.USING_POSTGRES else "/catalog/?q=логотип")
    assert "Нарисую логотип для кофейни" in ivan.page.locator("#catalog-results").inner_text()
    ivan.shot("catalog-search")
    ivan.go("/catalog/design/logo/")
    ivan.page.select_option("select[name=days]", "3")
    ivan.page.wait_for_timeout(800)  # the htmx partial replaces the results
    assert "days=3" in ivan.page.url
    assert "Нарисую логотип для кофейни" in ivan.page.locator("#catalog-results").inner_text()
    ivan.page.get_by_role("link", name="Нарисую логотип для кофейни").first.click()
    ivan.page.wait_for_load_state()
    ivan.shot("gig-page")

    # --- contacts the seller ------------------------------------------------------------------------------
    ivan.page.locator(".seller-card a.btn-outline-primary").click()
    ivan.page.wait_for_load_state()
    ivan.page.fill("textarea[name=body]", "Здравствуйте! Нужен логотип для кофейни «Зерно».")
    with ivan.page.expect_navigation():
        ivan.page.locator("#composer button[type=submit]").last.click()
    assert "Зерно" in ivan.page.locator("main").inner_text()
    ivan.shot("conversation")

    # --- tops up through the sandbox payment page ----------------------------------------------------------
    ivan.go("/wallet/")
    ivan.page.fill("input[name=amount]", "2500")
    ivan.submit("form[action='/wallet/top-up/']")
    assert "/payments/sandbox/" in ivan.page.url
    ivan.shot("sandbox-card")
    ivan.page.fill("input[name=card_number]", "4242 4242 4242 4242")
    ivan.page.fill("input[name=expiry]", "12/30")
    ivan.page.fill("input[name=cvc]", "123")
    ivan.submit("main form")
    ivan.go("/wallet/")
    assert "2 500" in rub(ivan.page.locator("main").inner_text())

    # --- orders with the extra, pays from the balance, answers the requirements -----------------------------
    ivan.go(f"/checkout/{gig.pk}/?package=1")
    ivan.page.locator("input[name=extras]").first.check()
    ivan.page.wait_for_timeout(500)
    assert "2 500" in rub(ivan.page.get_by_test_id("checkout-total").inner_text())
    ivan.shot("checkout")
    ivan.submit("main form", "button.btn-lg")
    assert "2 500" in rub(ivan.page.get_by_test_id("pay-total").inner_text())
    ivan.submit("main form")
    order = Order.objects.get(buyer__username="ivan_coffee")
    assert order.total == Money(Decimal("2500"), "RUB") and order.status == Order.Status.AWAITING_REQUIREMENTS
    ivan.page.fill(f"textarea[name=q{order.questions[0]['id']}]", "Кофейня «Зерно»")
    ivan.submit("form[action$='/requirements/']")
    ivan.shot("order-in-progress")
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS

    # --- the seller delivers a file; the client asks for a revision; delivered again; accepted ----------------
    anna.go(f"/orders/{order.pk}/")
    anna.page.fill("textarea[name=message]", "Три концепции логотипа во вложении.")
    pdf = {"name": "logo.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 demo"}
    anna.page.set_input_files("form[action$='/deliver/'] input[name=files]", files=[pdf])
    anna.submit("form[action$='/deliver/']")
    anna.shot("order-delivered-seller")
    ivan.go(f"/orders/{order.pk}/")
    assert "logo.pdf" in ivan.page.locator("main").inner_text()
    ivan.page.locator("details:has(form[action$='/revision/']) summary").click()
    ivan.page.fill("textarea[name=reason]", "Сделайте буквы крупнее, пожалуйста.")
    ivan.submit("form[action$='/revision/']")
    anna.go(f"/orders/{order.pk}/")
    assert "Сделайте буквы крупнее" in anna.page.locator("main").inner_text()
    anna.page.fill("textarea[name=message]", "Исправила размер букв.")
    anna.submit("form[action$='/deliver/']")
    ivan.go(f"/orders/{order.pk}/")
    ivan.page.on("dialog", lambda dialog: dialog.accept())
    ivan.submit("form[action$='/accept/']")
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED

    # --- the seller's wallet shows the payout minus the fee ----------------------------------------------------
    anna.go("/wallet/")
    payout = Decimal("2500") - order.fee.amount
    assert order.fee.amount == Decimal("500.00")  # 20% of the first 30 000 RUB with this client
    assert f"{payout:,.0f}".replace(",", " ") in rub(anna.page.locator("main").inner_text())
    anna.shot("wallet-seller")

    # --- both review; the reviews appear after both are in -------------------------------------------------------
    ivan.go(f"/orders/{order.pk}/")
    for field in ("rating", "communication", "quality", "on_time"):
        ivan.page.locator(f"form[action$='/review/'] input[name={field}][value='5'] + label").click()
    ivan.page.fill("form[action$='/review/'] textarea[name=text]", "Отличный логотип, быстро и аккуратно!")
    ivan.submit("form[action$='/review/']")
    ivan.go(f"/gig/{gig.pk}/{gig.slug}/")
    assert "Отличный логотип" not in ivan.page.locator("#reviews").inner_text()  # double-blind: not yet
    anna.go(f"/orders/{order.pk}/")
    anna.page.locator("form[action$='/review/'] input[name=rating][value='5'] + label").click()
    anna.page.fill("form[action$='/review/'] textarea[name=text]", "Вежливый заказчик, понятное ТЗ.")
    anna.submit("form[action$='/review/']")
    ivan.go(f"/gig/{gig.pk}/{gig.slug}/")
    assert "Отличный логотип" in ivan.page.locator("#reviews").inner_text()
    ivan.shot("gig-with-review")

    # --- the seller withdraws; staff mark it paid in admin ------------------------------------------------------
    anna.go("/wallet/payout-methods/")
    anna.page.select_option("select[name=kind]", "card")
    anna.page.fill("input[name=value]", "4242 4242 4242 4242")
    anna.submit("form:has(select[name=kind])")
    anna.go("/wallet/")
    anna.page.locator("form[action='/wallet/withdraw/'] input[name=amount]").fill("1000")
    anna.submit("form[action='/wallet/withdraw/']")
    assert wallet_balances(user=gig.seller).available.amount == payout - 1000
    from escrow.models import Withdrawal

    withdrawal = Withdrawal.objects.get(user=gig.seller)
    admin_action(moderator, "/admin/escrow/withdrawal/", withdrawal.pk, "mark_paid")
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.PAID
    # Without escrow.view_payout_details the withdrawal's page shows the mask only.
    moderator.go(f"/admin/escrow/withdrawal/{withdrawal.pk}/change/")
    assert withdrawal.payout_method.masked in moderator.page.locator("#payout-details").inner_text()
    moderator.shot("admin-withdrawal", check_a11y=False)
    anna.go("/wallet/")
    assert "1 000" in rub(anna.page.locator("main").inner_text())

    # --- a second order is disputed; staff split it; both parties see the decision ---------------------------
    wallet_top_up(user=order.buyer, amount=Money(1500, "RUB"), key="e2e-second-order")
    ivan.go(f"/checkout/{gig.pk}/?package=1")
    ivan.submit("main form", "button.btn-lg")
    ivan.submit("main form")
    second = Order.objects.filter(buyer=order.buyer).exclude(pk=order.pk).get()
    ivan.page.fill(f"textarea[name=q{second.questions[0]['id']}]", "Вторая кофейня")
    ivan.submit("form[action$='/requirements/']")
    ivan.page.locator("details:has(form[action$='/dispute/']) summary").click()
    ivan.page.fill("form[action$='/dispute/'] textarea[name=reason]", "Продавец не отвечает уже неделю, работы нет.")
    ivan.submit("form[action$='/dispute/']")
    second.refresh_from_db()
    assert second.status == Order.Status.DISPUTED
    moderator.go(f"/admin/orders/dispute/{second.dispute.pk}/resolve/")
    moderator.page.locator("input[name=outcome][value=split]").check()
    moderator.page.fill("input[name=seller_percent]", "40")
    moderator.page.fill("textarea[name=decision]", "Работа начата, но не завершена: 40% продавцу.")
    # The split preview comes live (htmx) with what each side gets, before anything is saved.
    preview = moderator.page.locator("#split-preview")
    preview.locator("table").wait_for()
    assert "Возврат покупателю" in preview.inner_text()
    assert second.status == Order.Status.DISPUTED
    moderator.shot("admin-dispute", check_a11y=False)
    moderator.submit("form:has(textarea[name=decision])", "input[type=submit].default")
    second.refresh_from_db()
    assert second.status == Order.Status.COMPLETED
    for person in (ivan, anna):
        person.go(f"/orders/{second.pk}/")
        assert "40% продавцу" in person.page.get_by_test_id("dispute-decision").inner_text()
    ivan.shot("order-dispute-decided")

    # --- a timer: a third order completes by itself when its time passes ---------------------------------------
    assert orders_sweep(now=timezone.now() + timedelta(days=30))["auto_completed"] == 0

    # --- the key pages in English after switching the language ---------------------------------------------------
    ivan.go("/")
    with ivan.page.expect_navigation():
        ivan.page.locator("header a[hreflang=en]").click()  # a link: the English site is under /en/
    assert ivan.page.url.endswith("/en/")
    assert "How it works" in ivan.page.locator("main").inner_text()
    ivan.shot("home-en")
    ivan.page.locator("header a[hreflang=ru]").wait_for()
    ivan.go(f"/en/orders/{order.pk}/")
    assert "Completed" in ivan.page.locator("main").inner_text()
    ivan.shot("order-en")
    ivan.go("/en/catalog/?q=logo")
    ivan.shot("catalog-en")
    assert User.objects.get(username="ivan_coffee").language == "en"
    assert not [e for p in (anna, ivan) for e in p.console_errors if "Content Security Policy" in e]
