import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from accounts.models import Profile
from legal.models import LegalAcceptance
from legal.services import legal_accept_current

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    language = "en"  # tests read English messages; the Russian default is tested on its own
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def legal_accepted(self, create, extracted, **kwargs):
        # As at sign-up: the current terms, policy and consent are accepted, so pages open
        # without the accept page (legal/middleware.py). `legal_accepted=False` for a person who has not.
        if create and extracted is not False:
            legal_accept_current(user=self, ip=None, source=LegalAcceptance.Source.SIGNUP)


class SellerFactory(UserFactory):
    is_seller = True
    seller_since = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


# --- catalog ---------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from django.core.files.base import ContentFile  # noqa: E402
from djmoney.money import Money  # noqa: E402

from gigs.models import Category, Gig, GigImage, GigPackage  # noqa: E402


def rub(amount) -> Money:
    return Money(Decimal(str(amount)), "RUB")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("parent", "slug")

    parent = None
    slug = factory.Sequence(lambda n: f"section-{n}")
    name_ru = factory.LazyAttribute(lambda c: f"Раздел {c.slug}")
    name_en = factory.LazyAttribute(lambda c: f"Section {c.slug}")


class CategoryFactory(SectionFactory):
    parent = factory.SubFactory(SectionFactory)
    slug = factory.Sequence(lambda n: f"category-{n}")


class GigFactory(factory.django.DjangoModelFactory):
    """An active gig with one package (price 1000, 3 days) unless told otherwise."""

    class Meta:
        model = Gig
        skip_postgeneration_save = True

    seller = factory.SubFactory(SellerFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"I will do task number {n}")
    slug = factory.Sequence(lambda n: f"task-{n}")
    description = "A careful, detailed description of the work that is longer than one hundred characters in total."
    status = Gig.Status.ACTIVE
    price_from = factory.LazyFunction(lambda: rub(1000))
    days_min = 3
    published_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)

    @factory.post_generation
    def packages(self, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted or [(self.price_from.amount, self.days_min, 1)]
        for tier, (price, days, revisions) in enumerate(specs, start=1):
            GigPackage.objects.create(
                gig=self, tier=tier, name=f"Tier {tier}", description="What is included",
                price=rub(price), delivery_days=days, revisions=revisions,
            )  # fmt: skip

    @factory.post_generation
    def with_image(self, create, extracted, **kwargs):
        if create and extracted:
            from tests.images import image_bytes

            image = GigImage(gig=self, position=0)
            image.image.save("cover.jpg", ContentFile(image_bytes("JPEG")), save=True)
