from decimal import Decimal

import pytest

from gigs import services
from gigs.models import Gig, GigEvent
from gigs.services import ExtraData, GigData, GigError, PackageData, QuestionData
from tests.factories import CategoryFactory, GigFactory, UserFactory, rub
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def _data(category, **overrides) -> GigData:
    values = {
        "title": "I will design a logo",
        "category_id": category.pk,
        "description": "x" * 150,
        "tags": ["logo", "design"],
        "packages": [
            PackageData("Basic", "One concept", Decimal("1500"), 3, 1),
            PackageData("Standard", "Three concepts", Decimal("3000"), 5, 3),
        ],
        "extras": [ExtraData("Express", Decimal("700"), 0)],
        "questions": [QuestionData("Your company name?")],
    }
    values.update(overrides)
    return GigData(**values)


def test_create_draft_then_submit_approve(seller, django_capture_on_commit_callbacks):
    category = CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        gig = services.gig_save(seller=seller, data=_data(category), new_images=[upload(image_bytes())])
    assert gig.status == Gig.Status.DRAFT
    assert gig.price_from == rub(1500)
    assert gig.days_min == 3
    assert gig.packages.count() == 2 and gig.extras.count() == 1 and gig.questions.count() == 1
    assert gig.images.count() == 1
    image = gig.images.get()
    assert image.image.name.endswith(".jpg")
    assert image.thumbnail  # the Celery task ran after commit (eager in tests)
    assert image.thumbnail.width == 600 and image.thumbnail.height == 400

    services.gig_submit(gig_id=gig.pk, seller=seller)
    gig.refresh_from_db()
    assert gig.status == Gig.Status.PENDING

    staff = UserFactory(is_staff=True)
    services.gig_approve(gig_id=gig.pk, actor=staff)
    gig.refresh_from_db()
    assert gig.status == Gig.Status.ACTIVE and gig.published_at is not None
    assert list(gig.events.values_list("to_status", flat=True)) == ["active", "pending", "draft"]


def test_submit_needs_an_image(seller):
    gig = services.gig_save(seller=seller, data=_data(CategoryFactory()))
    with pytest.raises(GigError):
        services.gig_submit(gig_id=gig.pk, seller=seller)
    with pytest.raises(GigError):
        services.gig_save(seller=seller, data=_data(CategoryFactory()), submit=True)


def test_editing_an_active_gig_sends_it_back_to_moderation(seller):
    gig = GigFactory(seller=seller, with_image=True)
    services.gig_save(seller=seller, gig_id=gig.pk, data=_data(gig.category, title="New title"))
    gig.refresh_from_db()
    assert gig.status == Gig.Status.PENDING
    assert gig.title == "New title"


def test_package_ids_survive_an_edit(seller):
    gig = GigFactory(seller=seller, with_image=True, packages=[(1000, 2, 1), (2000, 4, 2)])
    ids = list(gig.packages.values_list("pk", flat=True))
    services.gig_save(seller=seller, gig_id=gig.pk, data=_data(gig.category))
    assert list(gig.packages.values_list("pk", flat=True)) == ids


def test_reject_needs_a_reason_and_shows_it(seller):
    gig = GigFactory(seller=seller, status=Gig.Status.PENDING, published_at=None)
    staff = UserFactory(is_staff=True)
    with pytest.raises(GigError):
        services.gig_reject(gig_id=gig.pk, actor=staff, reason="  ")
    services.gig_reject(gig_id=gig.pk, actor=staff, reason="Images contain contacts")
    gig.refresh_from_db()
    assert gig.status == Gig.Status.REJECTED and gig.rejection_reason == "Images contain contacts"


def test_cannot_approve_a_draft_or_reject_an_active_gig():
    staff = UserFactory(is_staff=True)
    draft = GigFactory(status=Gig.Status.DRAFT)
    active = GigFactory()
    with pytest.raises(GigError):
        services.gig_approve(gig_id=draft.pk, actor=staff)
    with pytest.raises(GigError):
        services.gig_reject(gig_id=active.pk, actor=staff, reason="no")
    assert Gig.objects.get(pk=draft.pk).status == Gig.Status.DRAFT


def test_pause_and_resume(seller):
    gig = GigFactory(seller=seller)
    services.gig_pause(gig_id=gig.pk, seller=seller)
    assert Gig.objects.get(pk=gig.pk).status == Gig.Status.PAUSED
    services.gig_resume(gig_id=gig.pk, seller=seller)
    assert Gig.objects.get(pk=gig.pk).status == Gig.Status.ACTIVE
    with pytest.raises(GigError):
        services.gig_resume(gig_id=gig.pk, seller=seller)


def test_only_the_owner_changes_a_gig(seller):
    gig = GigFactory()
    with pytest.raises(GigError):
        services.gig_pause(gig_id=gig.pk, seller=seller)
    with pytest.raises(GigError):
        services.gig_save(seller=seller, gig_id=gig.pk, data=_data(gig.category))
    assert Gig.objects.get(pk=gig.pk).status == Gig.Status.ACTIVE


def test_duplicate_copies_everything_as_a_draft(seller):
    gig = GigFactory(seller=seller, with_image=True, packages=[(1000, 2, 1), (2500, 5, 3)])
    copy = services.gig_duplicate(gig_id=gig.pk, seller=seller)
    assert copy.pk != gig.pk and copy.status == Gig.Status.DRAFT
    assert copy.packages.count() == 2 and copy.images.count() == 1
    assert copy.images.get().image.name != gig.images.get().image.name
    assert copy.title.endswith(gig.title)


def test_delete_only_an_unpublished_draft(seller):
    draft = GigFactory(seller=seller, status=Gig.Status.DRAFT, published_at=None)
    services.gig_delete_draft(gig_id=draft.pk, seller=seller)
    assert not Gig.objects.filter(pk=draft.pk).exists()
    active = GigFactory(seller=seller)
    with pytest.raises(GigError):
        services.gig_delete_draft(gig_id=active.pk, seller=seller)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"packages": []}, "one to three"),
        ({"packages": [PackageData("A", "a", Decimal("1000"), 1, 1)] * 4}, "one to three"),
        ({"packages": [PackageData("A", "a", Decimal("499.99"), 1, 1)]}, "from 500"),
        ({"packages": [PackageData("A", "a", Decimal("1000.001"), 1, 1)]}, "two decimal"),
        ({"packages": [PackageData("A", "a", Decimal("1000"), 0, 1)]}, "1 to 90"),
        ({"title": "x" * 10_000}, "80 characters"),
    ],
)
def test_service_refuses_bad_input_and_writes_nothing(seller, overrides, message):
    with pytest.raises(GigError, match=message):
        services.gig_save(seller=seller, data=_data(CategoryFactory(), **overrides))
    assert not Gig.objects.exists() and not GigEvent.objects.exists()


def test_a_non_seller_cannot_create_gigs():
    with pytest.raises(GigError):
        services.gig_save(seller=UserFactory(), data=_data(CategoryFactory()))


def test_a_bad_image_leaves_the_gig_as_it_was(seller):
    gig = GigFactory(seller=seller, status=Gig.Status.DRAFT, published_at=None)
    from marketplace.images import ImageRejected

    with pytest.raises(ImageRejected):
        services.gig_save(
            seller=seller,
            gig_id=gig.pk,
            data=_data(gig.category, title="Changed"),
            new_images=[upload(b"not an image")],
        )
    gig.refresh_from_db()
    assert gig.title != "Changed"


def test_at_most_eight_images(seller, settings):
    gig = GigFactory(seller=seller, status=Gig.Status.DRAFT, published_at=None)
    files = [upload(image_bytes(size=(60, 40))) for _ in range(9)]
    with pytest.raises(GigError, match="at most 8"):
        services.gig_save(seller=seller, gig_id=gig.pk, data=_data(gig.category), new_images=files)
    assert gig.images.count() == 0


def test_favorite_toggle(user):
    gig = GigFactory()
    assert services.favorite_toggle(user=user, gig_id=gig.pk) is True
    assert services.favorite_toggle(user=user, gig_id=gig.pk) is False
    assert not user.favorites.exists()


def test_view_count_is_atomic():
    gig = GigFactory()
    services.gig_register_view(gig_id=gig.pk)
    services.gig_register_view(gig_id=gig.pk)
    services.gig_views_flush()
    gig.refresh_from_db()
    assert gig.views_count == 2
