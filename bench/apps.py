from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark data and baseline pages. Installed only when BENCH_BASELINES=1 (never in production)."""

    name = "bench"
    verbose_name = "Benchmarks"
