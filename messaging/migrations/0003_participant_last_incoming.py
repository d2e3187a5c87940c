"""Each participant's `last_incoming_id` (the latest message the partner sent in the
conversation), computed from the messages already there, and the partial index the
header's unread counter reads."""

from django.conf import settings
from django.db import migrations, models

BACKFILL = """
    UPDATE messaging_participant SET last_incoming_id = COALESCE((
        SELECT MAX(m.id) FROM messaging_message m
        WHERE m.conversation_id = messaging_participant.conversation_id
          AND m.sender_id = messaging_participant.partner_id
    ), 0)
"""


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_custom_offers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="last_incoming_id",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(
                condition=models.Q(("last_incoming_id__gt", models.F("last_read_id"))),
                fields=["user"],
                name="participant_unread",
            ),
        ),
    ]
