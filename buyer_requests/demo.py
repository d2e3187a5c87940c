"""Demo requests with offers for `make run` (called by the seed command). Safe to run again."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from gigs.models import Category, Gig

from . import services
from .models import BuyerRequest

# (client, (section, category), title, description, budget_min, budget_max, deadline in days,
#  [(seller, price, days, revisions, message), ...])
DEMO_REQUESTS = [
    (
        "ivan_client",
        ("design", "logo"),
        "Логотип для кофейни «Зерно»",
        "Открываем небольшую кофейню у метро. Нужен логотип: простой, тёплый, чтобы хорошо смотрелся на стаканах, "
        "вывеске и в соцсетях. Есть пожелания по цветам (коричневый, кремовый), примеры, которые нравятся, пришлю. "
        "Нужны файлы SVG и PNG, плюс вариант для тёмного фона.",
        "3000",
        "7000",
        14,
        [
            (
                "anna_design",
                "5500",
                5,
                3,
                "Здравствуйте! Сделаю три концепции на выбор, доведу выбранную до идеала. Передам SVG, PNG, PDF и "
                "версию для тёмного фона, а также короткую памятку по использованию.",
            ),
        ],
    ),
    (
        "ivan_client",
        ("writing", "copywriting"),
        "Тексты для сайта стоматологической клиники",
        "Нужно написать тексты для пяти страниц сайта: главная, о клинике, услуги, цены, контакты. Тон — спокойный и "
        "доверительный, без канцелярита. Данные о клинике и услугах дам. Важно учесть требования к рекламе "
        "медицинских услуг.",
        "8000",
        "8000",
        10,
        [
            (
                "olga_texts",
                "8000",
                6,
                2,
                "Добрый день! Писала тексты для двух клиник, знаю ограничения по рекламе медуслуг. Подготовлю "
                "структуру страниц, согласую с вами и напишу тексты с SEO-оптимизацией под ваш город.",
            ),
        ],
    ),
    (
        "kate_client",
        ("development", "websites"),
        "Landing page for an English language school",
        "We are a small online English school and need a one-page website: hero section, course list with prices, "
        "teacher profiles, reviews and a sign-up form that sends leads to email and Telegram. We have the brand "
        "colours and the logo; copy is ready in Russian and English.",
        "30000",
        "60000",
        30,
        [
            (
                "dev_maxim",
                "48000",
                14,
                2,
                "Hi Kate! I will build the page on Django with an admin panel so you can edit courses and teachers "
                "yourself; leads go to email and to a Telegram bot. Hosting setup included.",
            ),
            (
                "anna_design",
                "36000",
                10,
                2,
                "Hello! I will design the page in Figma first (two options), then deliver a fast, responsive build "
                "with the form connected to your email and Telegram.",
            ),
        ],
    ),
]


def seed_demo_requests(users: dict[str, User]) -> int:
    """Create the demo requests (approved, so they are on the board) and their offers.
    Returns how many requests were created; existing ones are left as they are."""
    created = 0
    today = timezone.localdate()
    admin = users.get("admin")
    for client_name, (section, slug), title, description, low, high, days, offers in DEMO_REQUESTS:
        client = users.get(client_name)
        category = Category.objects.filter(parent__slug=section, parent__parent__isnull=True, slug=slug).first()
        if client is None or category is None:
            continue
        if BuyerRequest.objects.filter(client=client, title=title).exists():
            continue
        buyer_request = services.request_create(
            client=client,
            data=services.RequestData(
                title=title,
                description=description,
                category_id=category.pk,
                budget_min=Decimal(low),
                budget_max=Decimal(high),
                desired_deadline=today + timedelta(days=days),
            ),
        )
        services.request_approve(request_id=buyer_request.pk, actor=admin)
        created += 1
        for seller_name, price, delivery_days, revisions, message in offers:
            seller = users.get(seller_name)
            if seller is None or not seller.is_seller:
                continue
            gig = Gig.objects.filter(seller=seller, status=Gig.Status.ACTIVE, category=category).order_by("pk").first()
            services.offer_send(
                request_id=buyer_request.pk,
                freelancer=seller,
                data=services.OfferData(
                    message=message,
                    price=Decimal(price),
                    delivery_days=delivery_days,
                    revisions=revisions,
                    gig_id=gig.pk if gig else None,
                ),
            )
    return created
