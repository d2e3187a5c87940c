"""Indexes for every sort of the catalog, alone and within a category, and cheaper search vectors.

The catalog pages by keyset (`gigs.selectors.catalog_page`): each sort reads its index from
where the last page ended, so page 1 000 costs what page 1 costs. Broad filters (a section,
a price range, the delivery time, the level, the rating) are checked while walking the
sort's index; a category, the narrowest filter, has its own index per sort. Partial
indexes: only active gigs are ever listed.

The search vector is kept in the row (STORAGE MAIN, lz4) instead of the TOAST table:
ranking a capped candidate set reads a few hundred vectors per search, and an out-of-line
vector costs two extra index lookups each. Rows written before this migration keep their
old storage until they are next updated.

PostgreSQL only (the embedded SQLite default needs none of this), built CONCURRENTLY so
that a live catalog keeps taking writes while it builds.
"""

from django.db import migrations

from marketplace.migration_ops import PostgresOnlySQL

ACTIVE = "WHERE status = 'active'"

SORTS = {
    "popular": "orders_count DESC, rating_avg DESC, id DESC",
    "rating": "rating_avg DESC, rating_count DESC, id DESC",
    "price": "price_from, id",
    "newest": "published_at DESC, id DESC",
}


def _index(name: str, columns: str) -> PostgresOnlySQL:
    return PostgresOnlySQL(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON gigs_gig ({columns}) {ACTIVE};",
        f"DROP INDEX CONCURRENTLY IF EXISTS {name};",
    )


STORAGE = """
ALTER TABLE gigs_gig ALTER COLUMN search_vector SET STORAGE MAIN;
DO $$
BEGIN
    ALTER TABLE gigs_gig ALTER COLUMN search_vector SET COMPRESSION lz4;
    ALTER TABLE gigs_gig ALTER COLUMN description SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;  -- a server built without lz4 keeps pglz
END $$;
"""

STORAGE_BACK = """
ALTER TABLE gigs_gig ALTER COLUMN search_vector SET STORAGE EXTENDED;
ALTER TABLE gigs_gig ALTER COLUMN search_vector SET COMPRESSION DEFAULT;
ALTER TABLE gigs_gig ALTER COLUMN description SET COMPRESSION DEFAULT;
"""


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("gigs", "0003_search_indexes")]

    operations = [
        PostgresOnlySQL(STORAGE, STORAGE_BACK),
        *[_index(f"gig_active_{name}", columns) for name, columns in SORTS.items()],
        *[_index(f"gig_active_cat_{name}", f"category_id, {columns}") for name, columns in SORTS.items()],
    ]
