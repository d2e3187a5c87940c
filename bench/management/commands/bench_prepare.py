import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.prepare import is_bench_database, prepare


class Command(BaseCommand):
    help = "Print, as JSON, what a benchmark run requests (URLs, sessions, search words). Used by bench/run.py."

    def add_arguments(self, parser):
        parser.add_argument("--run-key", required=True, help="A key unique to this run (for the wallet top-ups).")
        parser.add_argument("--out", required=True, help="Where to write the JSON.")

    def handle(self, *args, run_key, out, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks run on PostgreSQL: set DATABASE_URL.")
        if not is_bench_database():
            raise CommandError("This database has no benchmark data: run `manage.py bench_seed --size S` first.")
        with open(out, "w", encoding="utf-8") as file:
            json.dump(prepare(run_key=run_key), file, ensure_ascii=False, indent=1)
