"""Why gig X ranks above gig Y for a query: `manage.py search_explain "логотип" 12 40`."""

import itertools

from django.core.management.base import BaseCommand, CommandError

from gigs.selectors import search_explain


class Command(BaseCommand):
    help = "Explain the search order of some gigs for a query: their text tier and the parts of their score."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("gig_ids", nargs="+", type=int)

    def handle(self, *args, query, gig_ids, **options):
        if not query.strip():
            raise CommandError("Give the search words.")
        found = search_explain(query, gig_ids)
        missing = sorted(set(gig_ids) - {e.gig_id for e in found})
        if missing:
            raise CommandError(f"No such gig: {', '.join(map(str, missing))}")
        self.stdout.write(f'Search "{query}", best first:')
        for e in found:
            parts = " + ".join(f"{name} {e.weights.get(name, 0):g}×{value:.3f}" for name, value in e.parts.items())
            self.stdout.write(f"  #{e.gig_id} {e.title!r}")
            self.stdout.write(f"      tier {e.tier} ({e.tier_name}); score {e.score:.4f} = {parts}")
        for above, below in itertools.pairwise(found):
            self.stdout.write(f"#{above.gig_id} is above #{below.gig_id}: {_why(above, below)}")


def _why(a, b) -> str:
    if a.tier != b.tier:
        return f"a better text match (tier {a.tier}: {a.tier_name}; tier {b.tier}: {b.tier_name})"
    if a.score != b.score:
        gains = sorted(
            ((a.weights.get(k, 0) * (a.parts.get(k, 0) - b.parts.get(k, 0)), k) for k in a.parts), reverse=True
        )
        reasons = ", ".join(f"{k} {d:+.3f}" for d, k in gains if abs(d) >= 0.0005)
        return f"the same text match, a higher score by {a.score - b.score:.4f} ({reasons})"
    return "the same text match and score: the newer gig (higher id) comes first"
