"""Demo data for `make run`: safe to run again, it updates what is there instead of duplicating."""

import hashlib
import io
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

from accounts.models import PortfolioItem
from accounts.services import PortfolioData, portfolio_item_save, profile_ensure
from gigs import services as gig_services
from gigs.demo_data import DEMO_GIGS, DEMO_SELLERS
from gigs.models import Category, Gig
from legal.models import LegalAcceptance
from legal.services import legal_accept_current

DEMO_PASSWORD = "demo-pass-2026"

DEMO_USERS = [
    # username, email, display name, seller, staff, headline, skills, languages
    ("admin", "admin@demo.gigmarket.local", "Администратор", False, True, "", [], ["Русский", "English"]),
    (
        "anna_design",
        "anna@demo.gigmarket.local",
        "Анна Соколова",
        True,
        False,
        "Дизайнер логотипов и фирменного стиля, 8 лет опыта",
        ["Логотипы", "Фирменный стиль", "Figma", "Illustrator"],
        ["Русский", "English"],
    ),
    (
        "dev_maxim",
        "maxim@demo.gigmarket.local",
        "Максим Орлов",
        True,
        False,
        "Python/Django developer: websites, bots and integrations",
        ["Python", "Django", "Telegram bots", "PostgreSQL"],
        ["Русский", "English"],
    ),
    (
        "olga_texts",
        "olga@demo.gigmarket.local",
        "Ольга Белова",
        True,
        False,
        "Копирайтер и переводчик EN↔RU",
        ["Копирайтинг", "SEO-тексты", "Перевод"],
        ["Русский", "English", "Deutsch"],
    ),
    ("ivan_client", "ivan@demo.gigmarket.local", "Иван Петров", False, False, "", [], ["Русский"]),
    ("kate_client", "kate@demo.gigmarket.local", "Kate Wilson", False, False, "", [], ["English"]),
]


# Portfolio works of two demo sellers: seller, title, description, (section, category), color,
# images, linked to the seller's gig in that category (or to none).
DEMO_PORTFOLIO = [
    ("anna_design", "Логотип для кофейни «Зерно»", "Знак, шрифтовая пара и палитра для сети из трёх кофеен.",
     ("design", "logo"), "#8d5a3b", 3, True),
    ("anna_design", "Фирменный стиль студии йоги", "Логотип, визитки, шаблоны для соцсетей.",
     ("design", "branding"), "#4f8a8b", 2, True),
    ("anna_design", "Иллюстрации для детской книги", "Двенадцать разворотов акварелью.",
     ("design", "illustration"), "#d98e73", 2, False),
    ("dev_maxim", "Интернет-магазин на Django", "Каталог, корзина, оплата и админка для магазина чая.",
     ("development", "websites"), "#3b5b8d", 2, True),
    ("dev_maxim", "Telegram-бот для записи к врачу", "Запись, напоминания и выгрузка в Google Таблицы.",
     ("development", "bots"), "#2a9d8f", 2, True),
]  # fmt: skip


def cover_image(title: str, color: str) -> bytes:
    """A 1200x800 cover: a gradient in the gig's color with a pattern picked by the title.

    No text on purpose: Pillow's built-in font has no Cyrillic, and a fresh machine may
    have no other font; the title is shown next to the image anyway.
    """
    width, height = 1200, 800
    seed = int(hashlib.sha256(title.encode()).hexdigest(), 16)
    base = tuple(int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    dark = tuple(int(c * 0.5) for c in base)
    light = tuple(min(255, c + 60) for c in base)
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image, "RGBA")
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(b * (1 - t) + d * t) for b, d in zip(base, dark, strict=True)))
    pattern = seed % 3
    for i in range(7):
        r = 60 + (seed >> (i * 5)) % 260
        x = (seed >> (i * 7)) % width
        y = (seed >> (i * 3 + 11)) % height
        fill = (*light, 70 + (i * 20) % 90)
        if pattern == 0:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)
        elif pattern == 1:
            draw.rounded_rectangle([x - r, y - r // 2, x + r, y + r // 2], radius=r // 4, fill=fill)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=fill)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


class Command(BaseCommand):
    help = "Create demo categories, users and gigs with known passwords (idempotent)."

    def handle(self, *args, **options):
        categories = gig_services.category_tree_seed()
        users = self._users()
        admin = users["admin"]
        created = 0
        for spec in DEMO_GIGS:
            seller = users[spec["seller"]]
            if Gig.objects.filter(seller=seller, title=spec["title"]).exists():
                continue
            section_slug, category_slug = spec["category"]
            category = Category.objects.get(parent__slug=section_slug, parent__parent=None, slug=category_slug)
            data = gig_services.GigData(
                title=spec["title"],
                category_id=category.pk,
                description=spec["description"],
                tags=spec["tags"],
                packages=[
                    gig_services.PackageData(
                        p["name"], p["description"], Decimal(p["price"]), p["days"], p["revisions"]
                    )
                    for p in spec["packages"]
                ],
                extras=[
                    gig_services.ExtraData(e["title"], Decimal(e["price"]), e["days"], e.get("urgent"))
                    for e in spec["extras"]
                ],
                questions=[
                    gig_services.QuestionData(
                        q["text"], q.get("kind", "text"), q.get("choices", []), q.get("required", True)
                    )
                    for q in spec["questions"]
                ],
                faqs=[gig_services.FaqData(f["question"], f["answer"]) for f in spec.get("faqs", [])],
            )
            image = SimpleUploadedFile("cover.jpg", cover_image(spec["title"], spec["color"]), "image/jpeg")
            gig = gig_services.gig_save(seller=seller, data=data, submit=True, new_images=[image])
            gig_services.gig_approve(gig_id=gig.pk, actor=admin)
            created += 1
        orders = self._orders(users)
        works = self._portfolio(users)
        from buyer_requests.demo import seed_demo_requests

        requests = seed_demo_requests(users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {categories} categories, {len(users)} users, {created} new gigs "
                f"({Gig.objects.filter(status=Gig.Status.ACTIVE).count()} active), "
                f"{orders} new completed orders with reviews, {requests} new buyer requests with offers, "
                f"{works} new portfolio works."
            )
        )
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user in users.values():
            role = "staff" if user.is_staff else "freelancer" if user.is_seller else "client"
            self.stdout.write(f"  {user.email:<36} {role}")

    def _orders(self, users) -> int:
        """A few completed orders with both reviews, so gigs and profiles show real ratings."""
        from moneyed import Money

        from escrow.services import wallet_top_up
        from orders import services as order_services
        from orders.models import Order
        from reviews import services as review_services

        if Order.objects.filter(buyer__username__in=["ivan_client", "kate_client"]).exists():
            return 0
        plan = [
            ("ivan_client", "anna_design", 5, "Отличный логотип, всё быстро и по делу. Рекомендую!"),
            ("kate_client", "anna_design", 5, "Beautiful work and great communication throughout."),
            ("ivan_client", "dev_maxim", 4, "Сайт сделан хорошо, пришлось немного подождать правки."),
            ("kate_client", "olga_texts", 5, "Accurate translation, delivered a day early."),
            ("ivan_client", "marketing_lena", 5, "Настроила рекламу, заявки пошли в первую неделю."),
        ]
        done = 0
        for buyer_name, seller_name, rating, text in plan:
            buyer, seller = users[buyer_name], users[seller_name]
            gig = Gig.objects.filter(seller=seller, status=Gig.Status.ACTIVE).order_by("pk").first()
            if gig is None:
                continue
            order = order_services.order_place(buyer=buyer, gig_id=gig.pk, package_tier=1, extra_ids=[])
            wallet_top_up(user=buyer, amount=Money(order.total.amount, order.total.currency), key=f"demo:{order.pk}")
            order_services.order_pay(order_id=order.pk, buyer=buyer)
            order.refresh_from_db()
            if order.status == Order.Status.AWAITING_REQUIREMENTS:
                answers = [
                    order_services.AnswerData(question_id=q["id"], answer=(q.get("choices") or ["Demo"])[0])
                    for q in order.questions
                    if q["kind"] != "file"
                ]
                order_services.order_submit_requirements(order_id=order.pk, buyer=buyer, answers=answers)
            order_services.order_deliver(order_id=order.pk, seller=seller, message="Готово / Done.", files=[])
            order_services.order_accept(order_id=order.pk, buyer=buyer)
            review_services.review_submit(
                order_id=order.pk,
                author=buyer,
                data=review_services.ReviewData(rating, text, communication=5, quality=rating, on_time=5),
            )
            review_services.review_submit(
                order_id=order.pk,
                author=seller,
                data=review_services.ReviewData(5, "Вежливый заказчик, понятное ТЗ. / Clear brief, prompt answers."),
            )
            done += 1
        review_services.reputation_refresh_all()
        return done

    def _portfolio(self, users) -> int:
        created = 0
        for username, title, description, (section, slug), color, images, linked in DEMO_PORTFOLIO:
            seller = users[username]
            if PortfolioItem.objects.filter(owner=seller, title=title).exists():
                continue
            category = Category.objects.filter(parent__slug=section, parent__parent=None, slug=slug).first()
            if category is None:
                category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
            own = Gig.objects.filter(seller=seller, status=Gig.Status.ACTIVE).order_by("pk")
            gig = (own.filter(category=category).first() or own.first()) if linked else None
            files = [
                SimpleUploadedFile(f"work{n}.jpg", cover_image(f"{title} {n}", color), "image/jpeg")
                for n in range(images)
            ]
            data = PortfolioData(title=title, description=description, category_id=category.pk,
                                 gig_id=gig.pk if gig else None)  # fmt: skip
            portfolio_item_save(owner=seller, data=data, new_images=files)
            created += 1
        return created

    def _users(self) -> dict:
        User = get_user_model()
        rows = list(DEMO_USERS)
        for username, (email, name, headline, skills, languages, _country) in DEMO_SELLERS.items():
            rows.append((username, email, name, True, False, headline, skills, languages))
        users = {}
        for username, email, name, seller, staff, headline, skills, languages in rows:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(username=username, email=email, password=DEMO_PASSWORD)
            user.is_staff = user.is_superuser = staff
            user.is_seller = seller
            if seller and user.seller_since is None:
                user.seller_since = user.date_joined
            user.save()
            # get_or_create and update: update_or_create's FOR UPDATE breaks the lock rule (README, "Lock order").
            address, _ = EmailAddress.objects.get_or_create(user=user, email=email)
            EmailAddress.objects.filter(pk=address.pk).update(verified=True, primary=True)
            # The demo people have accepted the current terms, as they would have at sign-up.
            legal_accept_current(user=user, ip=None, source=LegalAcceptance.Source.SIGNUP)
            profile = profile_ensure(user=user)
            profile.display_name = name
            profile.headline = headline
            profile.skills = skills
            profile.languages = languages
            profile.country = "RU" if languages[0] == "Русский" else "GB"
            profile.save()
            users[username] = user
        return users
