from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from marketplace.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("gigs", "0002_gig_favorite_gigevent_gigextra_gigfaq_gigimage_and_more")]

    operations = [
        # CREATE EXTENSION runs on PostgreSQL only (Django skips it elsewhere).
        TrigramExtension(),
        PostgresOnlySQL(
            "CREATE INDEX gig_search_vector_gin ON gigs_gig USING gin (search_vector);",
            "DROP INDEX IF EXISTS gig_search_vector_gin;",
        ),
        PostgresOnlySQL(
            "CREATE INDEX gig_title_trgm ON gigs_gig USING gin (title gin_trgm_ops);",
            "DROP INDEX IF EXISTS gig_title_trgm;",
        ),
    ]
