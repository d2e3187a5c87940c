"""The profile's country and time zone lists: in the page's language, the common zones first."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import TIME_ZONE_CHOICES
from accounts.timezones import COMMON
from tests.accounts.test_views import PROFILE_DATA

pytestmark = pytest.mark.django_db


def _ru(name, *args) -> str:
    """The Russian page's address (reverse() inside the tests' English override gives /en/...)."""
    with translation.override("ru"):
        return reverse(name, args=args)


def _select(page: str, name: str) -> str:
    return page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def test_countries_are_named_in_the_page_language(user_client):
    russian = _select(user_client.get(_ru("accounts:settings")).content.decode(), "country")
    assert '<option value="RU">Россия</option>' in russian and "Germany" not in russian
    english = _select(user_client.get(reverse("accounts:settings")).content.decode(), "country")
    assert '<option value="RU">Russia</option>' in english


def test_common_time_zones_come_first_with_their_offset_then_every_other(user_client, user):
    page = user_client.get(_ru("accounts:settings")).content.decode()
    zones = _select(page, "time_zone")
    common, others = zones.split('<optgroup label="Все часовые пояса">', 1)
    assert '<optgroup label="Часто выбирают">' in common
    values = re.findall(r'<option value="([^"]+)"', common)
    assert values == [name for name, _label in COMMON]
    assert ">(UTC+03:00) Москва</option>" in common and ">(UTC+02:00) Калининград</option>" in common
    assert "(UTC−05:00) Нью-Йорк" in common or "(UTC−04:00) Нью-Йорк" in common  # daylight saving time
    rest = re.findall(r'<option value="([^"]+)"', others)
    assert set(rest) | set(values) == {name for name, _n in TIME_ZONE_CHOICES} and not set(rest) & set(values)
    assert "Токио — Asia/Tokyo" in others  # Babel's city names, in Russian too
    offsets = [int(h) * (1 if s == "+" else -1) for s, h in re.findall(r">\(UTC([+−])(\d\d):\d\d\)", others)]
    assert offsets == sorted(offsets)  # west to east
    # The current zone is selected, and any zone of the list saves.
    assert 'value="Europe/Moscow" selected' in common
    response = user_client.post(_ru("accounts:settings"), {**PROFILE_DATA, "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Asia/Tokyo"
    english = _select(user_client.get(reverse("accounts:settings")).content.decode(), "time_zone")
    assert ">(UTC+03:00) Moscow</option>" in english and '<optgroup label="Common time zones">' in english
