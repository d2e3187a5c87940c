"""Full-text search of gigs.

On PostgreSQL a generated, stored `tsvector` column holds the title (weight A), tags (B)
and description (C), indexed with GIN. The `russian` text-search configuration stems
Cyrillic words with the Russian Snowball stemmer and Latin words with the English one, so
"логотипы" finds "логотип" and "designs" finds "design" from one vector. A trigram index on
the title catches typos when the full-text query finds nothing. SQLite has no such
machinery; there the catalog falls back to matching every word in the title, tags or
description.
"""

import functools
import itertools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db.models import BooleanField, CharField, F, Func, Q

SEARCH_CONFIG = "russian"

GIG_SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('russian'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('russian'::regconfig, coalesce(tags_text, '')), 'B') || "
    "setweight(to_tsvector('russian'::regconfig, coalesce(description, '')), 'C')"
)


GIG_TITLE_VECTOR_SQL = "to_tsvector('russian'::regconfig, coalesce(title, ''))"
GIG_HEAD_VECTOR_SQL = "to_tsvector('russian'::regconfig, coalesce(title, '') || ' ' || coalesce(tags_text, ''))"


class GigTitleVector(Func):
    """The title alone (tiers 4 and 3): its own column, so the planner has its own statistics
    and a title tier is searched through its own index instead of a walk of every match."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return GIG_TITLE_VECTOR_SQL, []


class GigHeadVector(GigTitleVector):
    """The title and the tags (tier 2)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return GIG_HEAD_VECTOR_SQL, []


class GigSearchVector(Func):
    """The expression of the generated `search_vector` column (NULL where unsupported)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return GIG_SEARCH_VECTOR_SQL, []


# --- what a query means ------------------------------------------------------------------------

MAX_TERMS = 8
_STRIP = ".,;:!?()[]{}<>«»„“”\"'`*&|/\\+=#~^"


@dataclass(frozen=True)
class Terms:
    """A search box's words, read the way websearch syntax reads them: `"two words"` is a
    phrase, `-word` excludes; the rest are words every result should have. Casefolded."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    @property
    def count(self) -> int:
        return len(self.words) + len(self.phrases)


def _clean(token: str) -> str:
    return token.strip(_STRIP).casefold()


def parse_terms(q: str) -> Terms:
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    for index, part in enumerate(q.split('"')):
        if index % 2:  # inside quotes
            phrase = tuple(w for w in (_clean(t) for t in part.split()) if w)
            if len(phrase) == 1:
                words.append(phrase[0])
            elif phrase:
                phrases.append(phrase)
            continue
        for token in part.split():
            if token.startswith("-") and len(token) > 1:
                word = _clean(token[1:])
                if word:
                    excluded.append(word)
                continue
            word = _clean(token)
            if word:
                words.append(word)
    words = list(dict.fromkeys(words))
    budget = MAX_TERMS
    phrases = phrases[:budget]
    words = words[: max(budget - len(phrases), 0)]
    return Terms(words=tuple(words), phrases=tuple(phrases), excluded=tuple(dict.fromkeys(excluded))[:MAX_TERMS])


def synonyms(word: str) -> tuple[str, ...]:
    """The word and the words it also finds (`SEARCH_SYNONYMS`, both ways)."""
    table = _synonym_table()
    return (word, *table.get(word, ()))


@functools.cache
def _synonym_table_for(items: tuple) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for group in items:
        group = [w.casefold() for w in group]
        for word in group:
            table.setdefault(word, []).extend(w for w in group if w != word and w not in table.get(word, []))
    return {word: tuple(others) for word, others in table.items()}


def _synonym_table() -> dict[str, tuple[str, ...]]:
    groups = getattr(settings, "SEARCH_SYNONYMS", ())
    return _synonym_table_for(tuple(tuple(group) for group in groups))


# --- tiers: PostgreSQL (tsquery over the weighted vector) ---------------------------------------

TIER_NAMES = {
    4: "the words as a phrase in the title",
    3: "every word in the title",
    2: "every word in the title or tags",
    1: "every word",
    0: "some of the words",
}


class TsMatch(Func):
    """`<vector> @@ '<tsquery>'::tsquery`: a tsquery we built from lexemes (no second
    normalisation, which to_tsquery would apply to a stem)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, tsquery: str, column: str = "search_vector"):
        super().__init__(F(column))
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} @@ %s::tsquery)", [*params, self.tsquery]


def _literal(lexeme: str, weights: str = "", prefix: bool = False) -> str:
    quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    suffix = (":" if weights or prefix else "") + ("*" if prefix else "") + weights
    return quoted + suffix


@functools.lru_cache(maxsize=4096)
def _lexemes(texts: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], ...]:
    """For each text, its (lexeme, first position) in the search configuration, in order;
    stop words give none."""
    from django.db import connection

    if not texts:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.i, v.lexeme, v.positions[1] FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, i) "
            "CROSS JOIN LATERAL unnest(to_tsvector(%s::regconfig, t.w)) AS v "
            "ORDER BY t.i, v.positions[1]",
            [list(texts), SEARCH_CONFIG],
        )
        rows = cursor.fetchall()
    found: list[list[tuple[str, int]]] = [[] for _ in texts]
    for i, lexeme, position in rows:
        found[i - 1].append((lexeme, position))
    return tuple(tuple(items) for items in found)


def _and(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def _or(parts: list[str]) -> str:
    parts = list(dict.fromkeys(p for p in parts if p))
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def _phrase(items: tuple[tuple[str, int], ...], weights: str) -> str:
    if not items:
        return ""
    out = _literal(items[0][0], weights)
    for (_, before), (lexeme, position) in itertools.pairwise(items):
        out += f" <{max(position - before, 1)}> " + _literal(lexeme, weights)
    return "(" + out + ")" if len(items) > 1 else out


@dataclass(frozen=True)
class PgQueries:
    tiers: tuple[tuple[int, str, str], ...]  # (tier, vector column, tsquery), best first, each inside the next
    any_words: str  # the fallback: some of the words, in search_vector
    exclude: str = ""  # -words: none of them anywhere in the gig


def pg_queries(terms: Terms, *, prefix_last: bool = False) -> PgQueries:
    words = list(terms.words)
    alternatives = [synonyms(word) for word in words]
    flat = [alt for group in alternatives for alt in group]
    texts = tuple(flat) + tuple(" ".join(p) for p in terms.phrases) + tuple(terms.excluded)
    if len(words) >= 2 and not terms.phrases:
        texts += (" ".join(words),)
    found = _lexemes(texts)
    cursor = 0
    word_lexemes: list[list[tuple[tuple[str, int], ...]]] = []
    for group in alternatives:
        word_lexemes.append(list(found[cursor : cursor + len(group)]))
        cursor += len(group)
    phrase_lexemes = found[cursor : cursor + len(terms.phrases)]
    cursor += len(terms.phrases)
    excluded_lexemes = found[cursor : cursor + len(terms.excluded)]
    cursor += len(terms.excluded)
    title_phrase = found[cursor] if cursor < len(found) else ()

    def word(index: int, weights: str) -> str:
        return _or([_and([_literal(lex, weights) for lex, _ in alt]) for alt in word_lexemes[index]])

    def all_words(weights: str) -> str:
        parts = [word(i, weights) for i in range(len(words))]
        parts += [_phrase(p, weights) for p in phrase_lexemes]
        return _and(parts)

    exclude = _or([_literal(lex) for items in excluded_lexemes for lex, _ in items])

    # Exclusions look in the whole gig, whichever vector a tier searches.
    everything = all_words("")
    tiers = []
    if not everything:  # only stop words: nothing to look for
        return PgQueries(tiers=(), any_words="")
    if len(words) >= 2 and not terms.phrases and len(title_phrase) >= 2:
        tiers.append((4, "title_vector", _phrase(title_phrase, "")))
    tiers += [(3, "title_vector", everything), (2, "head_vector", everything), (1, "search_vector", everything)]
    some = [word(i, "") for i in range(len(words))] + [_phrase(p, "") for p in phrase_lexemes]
    any_words = _or(some) if terms.count >= 2 else ""
    return PgQueries(tiers=tuple(tiers), any_words=any_words, exclude=exclude)


# --- tiers: SQLite (the embedded default: casefolded substrings) --------------------------------


class Casefold(Func):
    """Python's str.casefold() in SQL: SQLite's lower() and LIKE fold ASCII only, so
    "Логотип" would not find "логотип" (registered for SQLite in GigsConfig.ready)."""

    function = "py_casefold"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="LOWER", **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "py_casefold", 1, lambda text: text.casefold() if isinstance(text, str) else text, deterministic=True
        )


FOLDED = {"title": "search_title", "tags_text": "search_tags", "description": "search_body"}


def folded(queryset):
    """The queryset with the casefolded columns the SQLite tiers look in."""
    return queryset.annotate(**{alias: Casefold(F(field)) for field, alias in FOLDED.items()})


# What may come right before a word: "лого" must find "логотип", not "налогообложение".
WORD_STARTS = (" ", "-", "(", "«", '"', "/", "\n")


def _contains(text: str, fields: tuple[str, ...]) -> Q:
    """Some field has `text` at the start of a word (SQLite: casefolded LIKE)."""
    condition = Q()
    for field in fields:
        column = FOLDED[field]
        condition |= Q(**{f"{column}__startswith": text})
        for before in WORD_STARTS:
            condition |= Q(**{f"{column}__contains": before + text})
    return condition


def word_start(text: str, field: str) -> Q:
    return _contains(text, (field,))


@dataclass(frozen=True)
class SqliteQueries:
    tiers: tuple[tuple[int, Q], ...]
    any_words: Q | None


def sqlite_queries(terms: Terms) -> SqliteQueries:
    everywhere = ("title", "tags_text", "description")

    def word(text: str, fields) -> Q:
        condition = Q()
        for alternative in synonyms(text):
            condition |= _contains(alternative, fields)
        return condition

    def all_words(fields) -> Q:
        condition = Q()
        for text in terms.words:
            condition &= word(text, fields)
        for phrase in terms.phrases:
            condition &= _contains(" ".join(phrase), fields)
        return condition

    exclude = Q()
    for text in terms.excluded:
        exclude &= ~_contains(text, everywhere)
    tiers = []
    if len(terms.words) >= 2 and not terms.phrases:
        tiers.append((4, _contains(" ".join(terms.words), ("title",)) & exclude))
    tiers += [
        (3, all_words(("title",)) & exclude),
        (2, all_words(("title", "tags_text")) & exclude),
        (1, all_words(everywhere) & exclude),
    ]
    any_words = None
    if terms.count >= 2:
        some = Q()
        for text in terms.words:
            some |= word(text, everywhere)
        for phrase in terms.phrases:
            some |= _contains(" ".join(phrase), everywhere)
        any_words = some & exclude
    return SqliteQueries(tiers=tuple(tiers), any_words=any_words)


def tsquery_literal(text: str, *, prefix: bool = False) -> str:
    return _literal(text, prefix=prefix)


def search_lexemes(word: str) -> list[str]:
    """The word's lexemes in the search configuration (PostgreSQL)."""
    return [lexeme for lexeme, _ in _lexemes((word,))[0]]
