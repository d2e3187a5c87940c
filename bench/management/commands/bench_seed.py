from django.core.management.base import BaseCommand, CommandError

from bench.seed import SIZES, SeedError, seed


class Command(BaseCommand):
    help = (
        "Fill the database in DATABASE_URL (PostgreSQL) with the deterministic benchmark dataset: "
        "--size S (100 000 gigs) or L (1 000 000 gigs). See bench/README.md."
    )

    def add_arguments(self, parser):
        # XS (a few hundred gigs) is the tests' size; --help names only the real ones.
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="S",
            metavar="S|L",
            help="S: 100 000 gigs (default); L: 1 000 000 gigs",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Replace the users, gigs, orders and messages already there."
        )

    def handle(self, *args, size, reset, **options):
        try:
            seed(size=SIZES[size], reset=reset, log=self.stdout.write)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
