"""How search results are ordered: one formula, its weights in settings (`SEARCH_RANKING`).

A result's place is decided by, in this order:

1. **Text relevance, in tiers** (gigs/search.py builds the queries):
   4. the words as a phrase in the title (a query of two words or more),
   3. every word in the title,
   2. every word in the title or the tags,
   1. every word anywhere (the description too),
   0. some of the words: only when no gig has them all, instead of "nothing found".
   A query word also matches its synonyms (`SEARCH_SYNONYMS`): "логотип" finds "logo".
2. **Quality**, `Gig.search_score`, stored and indexed, a weighted sum of parts each from 0 to 1:
   - rating: the average of the gig's reviews pulled towards `rating_prior` by `rating_confidence`
     reviews' worth ((prior x C + sum of stars) / (C + n)), so 5.0 from one review is not 5.0 from
     a hundred, and a gig with none starts at the prior: it can surface, it does not lead;
   - orders: completed orders on a log scale, full at `orders_full`;
   - on time and completion: the seller's rates (the prior for a seller with no history);
   - level: the seller's level (new 0, advanced 0.5, professional 1);
   - freshness: 1 on the day the gig is published, falling to 0 over `fresh_days`.
3. The newer gig (the higher id) on a tie, so the order is total: pages never overlap.

`gig_scores_refresh` recomputes the score in SQL (the same expression on PostgreSQL and
SQLite) when what it depends on changes, and nightly for every gig (freshness decays).
`manage.py search_explain "query" X Y` shows why gig X ranks above gig Y.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, Ln
from django.utils import timezone

DEFAULTS = {
    "weights": {"rating": 0.35, "orders": 0.25, "on_time": 0.1, "completion": 0.1, "level": 0.1, "fresh": 0.1},
    "rating_prior": 4.0,
    "rating_confidence": 5,
    "orders_full": 200,
    "rate_prior": 0.9,
    "fresh_days": 30,
}
LEVEL_VALUE = {"new": 0.0, "advanced": 0.5, "professional": 1.0}
_FLOAT = FloatField()


def ranking_settings() -> dict:
    conf = {**DEFAULTS, **getattr(settings, "SEARCH_RANKING", {})}
    conf["weights"] = {**DEFAULTS["weights"], **conf.get("weights", {})}
    return conf


def _f(expression):
    return Cast(expression, _FLOAT)


def score_parts(now=None, *, profile_model=None) -> dict[str, object]:
    """Each part of the quality score as an expression over a Gig queryset, from 0 to 1."""
    from accounts.models import Profile

    Profile = profile_model or Profile
    conf = ranking_settings()
    now = now or timezone.now()
    prior, confidence = float(conf["rating_prior"]), float(conf["rating_confidence"])
    profile = Profile.objects.filter(pk=OuterRef("seller_id"))

    def seller(field: str):
        return Coalesce(_f(Subquery(profile.values(field)[:1])), Value(float(conf["rate_prior"])))

    rating = (Value(prior * confidence) + _f(F("rating_avg")) * _f(F("rating_count"))) / (
        Value(confidence) + _f(F("rating_count"))
    )
    level = Subquery(
        profile.annotate(
            v=Case(*(When(seller_level=k, then=Value(v)) for k, v in LEVEL_VALUE.items()), default=Value(0.0))
        ).values("v")[:1],
        output_field=_FLOAT,
    )
    fresh_seconds = float(conf["fresh_days"]) * 86400
    age = ExpressionWrapper(
        Value(now, output_field=DateTimeField()) - Coalesce(F("published_at"), F("created_at")),
        output_field=DurationField(),
    )
    return {
        "rating": ExpressionWrapper((rating - Value(1.0)) / Value(4.0), output_field=_FLOAT),
        "orders": Least(
            Ln(Value(1.0) + _f(F("orders_count"))) / Value(math.log1p(float(conf["orders_full"]))), Value(1.0)
        ),
        "on_time": seller("on_time_rate"),
        "completion": seller("completion_rate"),
        "level": Coalesce(level, Value(0.0)),
        "fresh": Greatest(Value(0.0), Least(Value(1.0), Value(1.0) - _Seconds(age) / Value(fresh_seconds))),
    }


class _Seconds(ExpressionWrapper):
    """A duration in seconds, as a float, on PostgreSQL and SQLite."""

    def __init__(self, duration):
        super().__init__(duration, output_field=_FLOAT)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.expression)
        if connection.vendor == "postgresql":
            return f"EXTRACT(EPOCH FROM ({sql}))::float8", params
        # SQLite stores durations as microseconds.
        return f"(CAST(({sql}) AS REAL) / 1000000.0)", params


def score_expression(now=None, *, profile_model=None):
    weights = ranking_settings()["weights"]
    parts = score_parts(now, profile_model=profile_model)
    total = Value(0.0)
    for name, expression in parts.items():
        total = total + Value(float(weights.get(name, 0.0))) * expression
    return ExpressionWrapper(total, output_field=_FLOAT)


def gig_scores_refresh(
    *, gig_ids: Iterable[int] | None = None, seller_ids: Iterable[int] | None = None, now=None, models=None
) -> int:
    """Recompute `search_score` for these gigs (or every gig of these sellers; or all).
    `models`: (Gig, Profile) of a migration's state."""
    from accounts.models import Profile

    from .models import Gig

    Gig, Profile = models or (Gig, Profile)
    gigs = Gig.objects.all()
    if gig_ids is not None:
        gigs = gigs.filter(pk__in=list(gig_ids))
    if seller_ids is not None:
        gigs = gigs.filter(seller_id__in=list(seller_ids))
    return gigs.update(search_score=score_expression(now, profile_model=Profile))


@dataclass(frozen=True)
class Explanation:
    gig_id: int
    title: str
    tier: int
    tier_name: str
    score: float
    parts: dict[str, float]
    weights: dict[str, float]


def explain_scores(gig_ids: list[int], now=None) -> dict[int, dict[str, float]]:
    """Each part of each gig's quality score, as the refresh computes it."""
    from .models import Gig

    parts = score_parts(now)
    rows = Gig.objects.filter(pk__in=gig_ids).annotate(**{f"part_{k}": v for k, v in parts.items()})
    return {row.pk: {k: float(getattr(row, f"part_{k}")) for k in parts} for row in rows}
