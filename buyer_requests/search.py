"""Full-text search of buyer requests, the same engine as the gig catalog (gigs/search.py).

On PostgreSQL a generated, stored `tsvector` column holds the title (weight A) and the
description (B), indexed with GIN; the `russian` configuration stems Cyrillic words with
the Russian stemmer and Latin words with the English one. A trigram index on the title
catches typos when the full-text query finds nothing. On SQLite the board falls back to
matching every word in the title or the description.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Func

SEARCH_CONFIG = "russian"

REQUEST_SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('russian'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('russian'::regconfig, coalesce(description, '')), 'B')"
)


class RequestSearchVector(Func):
    """The expression of the generated `search_vector` column (NULL where unsupported)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return REQUEST_SEARCH_VECTOR_SQL, []
