"""Version 1 of the terms, the privacy policy and the personal-data consent, in Russian and
English, with the fees and timers of this site's settings (legal/seed.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from legal.seed import seed_documents

    seed_documents(apps.get_model("legal", "LegalDocument"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
