"""Log-in backend: Django's, reading the person's profile with them in one written-out query.

Every signed-in page reads the person and shows their avatar and name from their profile.
The ORM took 2 ms of Python to build the two-table `select_related` on every request, four
times what PostgreSQL took to answer it, so the row is read through `marketplace.rows` (the
models' own columns and converters). Sessions made before this backend name Django's own,
which stays in AUTHENTICATION_BACKENDS for them.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from marketplace.rows import Columns, split


@functools.cache
def _parts() -> tuple[tuple[Columns, Columns], str]:
    from .models import Profile

    User = get_user_model()
    parts = (Columns(User, "u"), Columns(Profile, "pr"))
    sql = (
        f"SELECT {parts[0].sql}, {parts[1].sql} FROM {User._meta.db_table} u"  # noqa: S608 - the models' names
        f" LEFT JOIN {Profile._meta.db_table} pr ON pr.user_id = u.id WHERE u.id = %s"
    )
    return parts, sql


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id):
        parts, sql = _parts()
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user, profile = split(row, *parts)
        type(user).profile.related.set_cached_value(user, profile)
        if profile is not None:
            type(profile).user.field.set_cached_value(profile, user)
        return user if self.user_can_authenticate(user) else None
