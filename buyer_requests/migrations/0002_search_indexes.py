from django.db import migrations

from marketplace.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    # gigs.0003 creates the pg_trgm extension the trigram index needs.
    dependencies = [("buyer_requests", "0001_initial"), ("gigs", "0003_search_indexes")]

    operations = [
        PostgresOnlySQL(
            "CREATE INDEX breq_search_vector_gin ON buyer_requests_buyerrequest USING gin (search_vector);",
            "DROP INDEX IF EXISTS breq_search_vector_gin;",
        ),
        PostgresOnlySQL(
            "CREATE INDEX breq_title_trgm ON buyer_requests_buyerrequest USING gin (title gin_trgm_ops);",
            "DROP INDEX IF EXISTS breq_title_trgm;",
        ),
    ]
