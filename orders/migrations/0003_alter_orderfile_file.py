"""Private files get their own storage outside MEDIA_ROOT (marketplace/uploads.py), and the
files already uploaded move there under the same names, for every app's private fields."""

from django.conf import settings

import marketplace.uploads
import orders.models
from django.db import migrations, models


def move_files(apps, schema_editor):
    moved = marketplace.uploads.move_private_files_out_of_media(
        media_root=settings.MEDIA_ROOT, private_root=settings.PRIVATE_MEDIA_ROOT
    )
    if moved:
        print(f"\n  moved {moved} private files to {settings.PRIVATE_MEDIA_ROOT}")


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0002_milestones'),
    ]

    operations = [
        migrations.AlterField(
            model_name='orderfile',
            name='file',
            field=models.FileField(storage=marketplace.uploads.private_storage, upload_to=orders.models.private_upload_to),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]
