"""Full-text search of gigs.

On PostgreSQL a generated, stored `tsvector` column holds the title (weight A), tags (B)
and description (C), indexed with GIN. The `russian` text-search configuration stems
Cyrillic words with the Russian Snowball stemmer and Latin words with the English one, so
"логотипы" finds "логотип" and "designs" finds "design" from one vector. A trigram index on
the title catches typos when the full-text query finds nothing. SQLite has no such
machinery; there the catalog falls back to matching every word in the title, tags or
description.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Func

SEARCH_CONFIG = "russian"

GIG_SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('russian'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('russian'::regconfig, coalesce(tags_text, '')), 'B') || "
    "setweight(to_tsvector('russian'::regconfig, coalesce(description, '')), 'C')"
)


class GigSearchVector(Func):
    """The expression of the generated `search_vector` column (NULL where unsupported)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return GIG_SEARCH_VECTOR_SQL, []
