"""Demo data for `make run`: safe to run again, it updates what is there instead of duplicating."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.services import profile_ensure
from gigs.services import category_tree_seed

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


class Command(BaseCommand):
    help = "Create demo categories and users with known passwords (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        categories = category_tree_seed()
        User = get_user_model()
        rows = []
        for username, email, name, seller, staff, headline, skills, languages in DEMO_USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(username=username, email=email, password=DEMO_PASSWORD)
            user.is_staff = user.is_superuser = staff
            user.is_seller = seller
            if seller and user.seller_since is None:
                user.seller_since = user.date_joined
            user.save()
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            profile = profile_ensure(user=user)
            profile.display_name = name
            profile.headline = headline
            profile.skills = skills
            profile.languages = languages
            profile.country = "RU" if languages[0] == "Русский" else "GB"
            profile.save()
            rows.append((email, "staff" if staff else "freelancer" if seller else "client"))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {categories} categories, {len(rows)} users."))
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for email, role in rows:
            self.stdout.write(f"  {email:<32} {role}")
