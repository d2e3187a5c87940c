import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from accounts.models import Profile

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


class SellerFactory(UserFactory):
    is_seller = True
    seller_since = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
