import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import AccountEvent
from tests.factories import UserFactory
from tests.images import decompression_bomb_png, image_bytes, truncated_jpeg, upload

pytestmark = pytest.mark.django_db

PROFILE_DATA = {
    "display_name": "Анна",
    "headline": "Logo designer",
    "bio": "Eight years in branding.",
    "skills": "Figma, Logo, figma , Branding",
    "languages": "Russian, English",
    "country": "RU",
    "time_zone": "Europe/Moscow",
}


def test_public_profile_page_and_unknown_user(client, user):
    response = client.get(reverse("accounts:profile", args=[user.username]))
    assert response.status_code == 200
    assert user.username in response.content.decode()
    assert client.get("/u/nobody-here/").status_code == 404


def test_public_profile_hides_inactive_user(client):
    person = UserFactory(is_active=False)
    assert client.get(reverse("accounts:profile", args=[person.username])).status_code == 404


def test_profile_edit_saves_fields(user_client, user):
    response = user_client.post(reverse("accounts:settings"), PROFILE_DATA)
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Анна"
    assert user.profile.skills == ["Figma", "Logo", "Branding"]
    assert user.profile.languages == ["Russian", "English"]
    assert AccountEvent.objects.filter(user=user, kind="profile_updated").exists()
    page = user_client.get(reverse("accounts:profile", args=[user.username])).content.decode()
    assert "Logo designer" in page and "Branding" in page


def test_valid_avatar_is_reencoded(user_client, user):
    data = {**PROFILE_DATA, "avatar": upload(image_bytes("PNG", size=(1200, 900)), "me.png")}
    response = user_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.avatar.name.endswith(".jpg")
    with Image.open(user.profile.avatar.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (400, 400)


@pytest.mark.parametrize(
    ("payload", "name", "message"),
    [
        (b"MZ\x90\x00 this is an exe, not a picture", "virus.png", "not a valid image"),
        (truncated_jpeg(), "half.jpg", "not a valid image"),
        (decompression_bomb_png(), "bomb.png", "megapixels"),
    ],
    ids=["not-an-image", "truncated", "decompression-bomb"],
)
def test_bad_avatar_gets_a_form_error_and_saves_nothing(user_client, user, payload, name, message):
    data = {**PROFILE_DATA, "display_name": "Changed", "avatar": upload(payload, name)}
    response = user_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["avatar"]
    assert any(message in str(e) for e in errors), errors
    user.profile.refresh_from_db()
    assert not user.profile.avatar
    assert user.profile.display_name == ""  # nothing saved half-way


def test_oversized_avatar_is_refused(user_client, user, settings):
    settings.AVATAR_MAX_BYTES = 10_000
    data = {**PROFILE_DATA, "avatar": upload(image_bytes("PNG", size=(1500, 1500)) + b"\0" * 20_000)}
    response = user_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200
    assert "too large" in str(response.context["form"].errors["avatar"])


def test_settings_need_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_settings_only_ever_edit_the_signed_in_user(user_client, user):
    other = UserFactory()
    # A forged field naming another user is ignored: there is no way to address their profile.
    user_client.post(reverse("accounts:settings"), {**PROFILE_DATA, "user": other.pk, "username": other.username})
    other.profile.refresh_from_db()
    assert other.profile.display_name == ""
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Анна"


def test_start_and_stop_selling(user_client, user):
    response = user_client.post(reverse("accounts:selling"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_seller and user.seller_since is not None
    page = user_client.get(reverse("accounts:profile", args=[user.username])).content.decode()
    assert "badge text-bg-success" in page  # the freelancer badge
    user_client.post(reverse("accounts:selling"), {"action": "stop"})
    user.refresh_from_db()
    assert not user.is_seller


def test_selling_switch_needs_post_and_login(client, user):
    assert client.post(reverse("accounts:selling")).status_code == 302
    user.refresh_from_db()
    assert not user.is_seller
    client.force_login(user)
    assert client.get(reverse("accounts:selling")).status_code == 405
