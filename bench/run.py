"""`make bench`: measure every page against its baseline in the same run, and write the table.

Starts gunicorn with production settings (DEBUG=0, a SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
SECURE_SSL_REDIRECT=0, BENCH_BASELINES=1) against the PostgreSQL database in DATABASE_URL
(default: marketplace_bench on 127.0.0.1, filled by `manage.py bench_seed`) and Redis
(BENCH_REDIS_URL), then drives load on loopback:

- throughput: closed loops with wrk (one thread), page and baseline rounds alternating,
  at least 3 rounds each, the median kept;
- latency: an open loop at 50% of the page's measured maximum (`bench/loadgen.py`: a
  fixed-rate asyncio client, latency counted from when each request was due);
- order placement: a closed loop of 8 buyers checking out and paying (`bench/loadgen.py`),
  then the ledger reconciliation.

Writes bench/results/<date>.json and .md and prints the table. See bench/README.md.
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402  (plain asyncio: no Django in this process)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/marketplace_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# --- environment --------------------------------------------------------------------------------


def server_env(args) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "bench-only-" + "5e1f0c2b9a8d7e6f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_BASELINES": "1",
        "DATABASE_URL": args.database_url,
        "VAR_DIR": args.var_dir,
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(args.workers),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(args, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py, arguments from this script
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=server_env(args),
        capture_output=True,
        text=True,
        check=check,
    )


def preflight(args) -> None:
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL (SQLite is not supported).")
    if shutil.which("nginx") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            log("nginx is missing: apt-get install -y nginx-light")
            subprocess.run(["apt-get", "install", "-y", "nginx-light"], check=True, stdout=subprocess.DEVNULL)  # noqa: S607
        else:
            sys.exit("nginx is missing: install it (Debian/Ubuntu: sudo apt-get install -y nginx-light) and run again.")
    if shutil.which("wrk") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            log("wrk is missing: apt-get install -y wrk")
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)  # noqa: S607
        else:
            sys.exit("wrk is missing: install it (Debian/Ubuntu: sudo apt-get install -y wrk) and run again.")
    if args.redis_url and not _reachable(args.redis_url, 6379):
        log(f"Redis at {args.redis_url} is not reachable: the cache falls back to the database (slower).")
        args.redis_url = ""
    log("migrate, collectstatic")
    manage(args, "migrate", "--noinput")
    if not args.redis_url:
        manage(args, "createcachetable")
    manage(args, "collectstatic", "--noinput")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or HOST, parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def answers_hello(port: int, process: subprocess.Popen, *, seconds: float) -> bool:
    """Whether /bench/hello answers 200 on `port` within `seconds`, while `process` runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/bench/hello", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    return False


class Server:
    """gunicorn as the Procfile runs it (sync workers), without the access log."""

    def __init__(self, args):
        self.args = args
        self.port = args.port or free_port()
        self.process = None

    def __enter__(self):
        command = [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", f"{HOST}:{self.port}"]
        command += ["--workers", str(self.args.workers), "--log-level", "warning"]
        self.log_file = open(Path(self.args.var_dir) / "gunicorn.log", "w")
        OURS["server"] = f"--bind {HOST}:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn, arguments from this script
            command, cwd=ROOT, env=server_env(self.args), stdout=self.log_file, stderr=self.log_file
        )
        if not answers_hello(self.port, self.process, seconds=60):
            self.stop()
            sys.exit(f"gunicorn did not answer /bench/hello within 60 s: see {self.log_file.name}")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log_file.close()

    def __exit__(self, *exc):
        self.stop()


class Proxy:
    """Debian's nginx with the committed configuration (deploy/nginx/), in front of the server:
    the visitors' rows through it show what a deployment serves from its micro-cache."""

    def __init__(self, args, server: Server, workdir: Path):
        self.args = args
        self.server = server
        self.workdir = workdir
        self.port = free_port()
        self.process = None

    def __enter__(self):
        sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
        import render

        var = Path(self.args.var_dir)
        config = render.render(out=self.workdir / "nginx", listen=f"{HOST}:{self.port}",
                               upstream=f"{HOST}:{self.server.port}", static_root=var / "static",
                               media_root=var / "media")  # fmt: skip
        OURS["proxy"] = "nginx: "  # its master and workers (the cmdline they show)
        self.process = subprocess.Popen(render.command(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        if not answers_hello(self.port, self.process, seconds=20):
            self.stop()
            sys.exit("nginx did not answer /bench/hello within 20 s.")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def __exit__(self, *exc):
        self.stop()


# --- measuring ---------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNITS[unit]


# --- other processes' CPU use ----------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# What counts as the benchmark's own: its server (by its address), Redis, and PostgreSQL's
# backends of its database (of other databases, not) and the server's own processes.
OURS = {"server": "--bind 127.0.0.1:0", "redis": "redis-server"}
BENCH_DATABASE = {"name": ""}


def _is_ours(command: str) -> bool:
    if command.startswith("postgres:"):
        # "postgres: 15/main: <user> <database> <client> <state>" for a backend; the server's
        # own processes (checkpointer, walwriter, ...) have no client part.
        parts = command.split()
        return len(parts) < 5 or "(" not in parts[4] or parts[3] == BENCH_DATABASE["name"]
    return any(name in command for name in OURS.values())


def _cpu_snapshot() -> tuple[float, float, float, dict[int, float]]:
    """(monotonic time, busy CPU seconds of the machine, CPU seconds of this runner and the
    wrk runs it waited for, and CPU seconds per process of the benchmark's own: the server,
    Redis, PostgreSQL's backends of its database and the database server's own processes)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    busy = (sum(fields[:8]) - fields[3] - fields[4]) / _TICK  # all but idle and iowait
    mine = os.times()  # this process and its finished children (wrk ends before the snapshot)
    processes = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            if not _is_ours(command.strip()):
                continue
            with open(f"/proc/{entry.name}/stat") as stat:
                values = stat.read().rsplit(")", 1)[1].split()
            processes[int(entry.name)] = (int(values[11]) + int(values[12])) / _TICK
        except OSError:
            continue  # the process ended meanwhile
    return time.monotonic(), busy, mine.user + mine.system + mine.children_user + mine.children_system, processes


def noise_between(before: tuple, after: tuple) -> float:
    """The share of the machine's CPUs that other processes used between two snapshots
    (other people's test runs on a shared machine), 0 to 1. Only the processes alive at the
    end are counted as ours (a process that ended in between counts as another's): it is a
    warning light, not a measurement."""
    elapsed = max(after[0] - before[0], 1e-6)
    ours = (after[2] - before[2]) + sum(cpu - before[3].get(pid, 0.0) for pid, cpu in after[3].items())
    others = (after[1] - before[1]) - ours
    return max(0.0, min(1.0, others / (elapsed * (os.cpu_count() or 1))))


class Bench:
    def __init__(self, args, server: Server, plan: dict, workdir: Path):
        self.args = args
        self.server = server
        self.plan = plan
        self.workdir = workdir
        self.host_header = f"{HOST}:{server.port}"

    def paths_file(self, name: str, lines: list[str]) -> Path:
        path = self.workdir / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def wrk(self, paths: Path, *, connections: int | None = None, duration: float | None = None,
            port: int | None = None) -> dict:  # fmt: skip
        connections = connections or self.args.connections
        duration = duration or self.args.duration
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(round(duration), 1)}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "wrk_paths.lua"),
        ]
        command += [f"http://{HOST}:{port}" if port else f"http://{self.host_header}", "--", str(paths)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        percentiles = {int(p): _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", output, re.M)}
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
        return {
            "rps": rps,
            "p50_ms": percentiles.get(50),
            "p99_ms": percentiles.get(99),
            "errors": int(errors.group(1)) if errors else 0,
            "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        }

    def quiet(self, measure, label: str) -> dict:
        """Run `measure()`; while other processes used more than --max-noise of the CPUs,
        run it again (at most twice) and keep the quietest run. Its noise goes in the result."""
        best = None
        for attempt in range(3):
            before = _cpu_snapshot()
            result = measure()
            result["noise"] = round(noise_between(before, _cpu_snapshot()), 3)
            if best is None or result["noise"] < best["noise"]:
                best = result
            if result["noise"] <= self.args.max_noise:
                break
            if attempt < 2:
                log(f"  {label}: other processes used {result['noise']:.0%} of the CPUs, measuring again")
        return best

    def closed_rounds(self, series: dict[str, Path], rounds: int | None = None, ports: dict | None = None) -> dict:
        """Alternate the series round by round; keep each one's median of every figure.
        `ports` sends some series elsewhere than the server (the proxy)."""
        ports = ports or {}
        runs: dict[str, list[dict]] = {name: [] for name in series}
        for round_number in range(rounds or self.args.rounds):
            for name, paths in series.items():
                result = self.quiet(lambda paths=paths, name=name: self.wrk(paths, port=ports.get(name)), name)
                runs[name].append(result)
                log(f"  round {round_number + 1} {name}: {result['rps']:.0f} req/s, p99 {result['p99_ms']:.1f} ms")
        return {name: _median_of(results) for name, results in runs.items()}

    def open_loop(self, lines: list[str], rate: float, duration: float | None = None) -> dict:
        requests = []
        for line in lines:
            path, _tab, cookie = line.partition("\t")
            requests.append(loadgen.get_request(self.host_header, path, cookie))
        result = asyncio.run(
            loadgen.open_loop(
                HOST, self.server.port, requests, rate=rate, duration=duration or self.args.latency_duration
            )
        )
        return {
            "rate": round(rate, 1),
            "achieved_rps": round(result.achieved_rate, 1),
            "p50_ms": loadgen.percentile(result.latencies_ms, 0.50),
            "p99_ms": loadgen.percentile(result.latencies_ms, 0.99),
            "max_ms": max(result.latencies_ms, default=float("nan")),
            "errors": result.errors,
        }

    def open_rounds(self, series: dict[str, tuple[list[str], float]], rounds: int | None = None) -> dict[str, dict]:
        runs: dict[str, list[dict]] = {name: [] for name in series}
        for round_number in range(rounds or self.args.rounds):
            for name, (lines, rate) in series.items():
                result = self.quiet(lambda lines=lines, rate=rate: self.open_loop(lines, rate), name)
                runs[name].append(result)
                log(
                    f"  round {round_number + 1} {name} at {rate:.0f} req/s: "
                    f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms"
                )
        return {name: _median_of(results) for name, results in runs.items()}

    def warm(self, lines: list[str]) -> None:
        """Every URL once (fragments, cards and counts are cached from here on), then a short run."""
        for line in lines:
            path, _tab, cookie = line.partition("\t")
            request = urllib.request.Request(
                f"http://{self.host_header}{path}", headers={"Cookie": cookie} if cookie else {}
            )
            try:
                urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - our own loopback server
            except urllib.error.HTTPError as exc:
                log(f"  warm-up: {path} answered {exc.code}")


def _median_of(results: list[dict]) -> dict:
    keys = [k for k, v in results[0].items() if isinstance(v, int | float)]
    merged = {k: statistics.median(r[k] for r in results) for k in keys}
    merged["rounds"] = len(results)
    if "errors" in merged:
        merged["errors"] = sum(r["errors"] for r in results)
    if "noise" in merged:
        merged["noise"] = max(r["noise"] for r in results)
    return merged


# --- scenarios -----------------------------------------------------------------------------------------


GROUPS = ("pages", "deep", "search", "placement", "thread")


def run_scenarios(bench: Bench, groups: tuple[str, ...] = GROUPS) -> list[dict]:
    """Run the chosen groups of scenarios (all by default) and return their rows."""
    plan = bench.plan
    bench.extra = {}
    paths = {
        "catalog": plan["catalog"],
        "gig": plan["gig"],
        "raw gig": [p.replace("/gig/", "/bench/raw/gig/", 1) for p in plan["gig"]],
        "search": [f"/catalog/?q={quote(w['word'])}" for w in plan["search"]],
        "thread": [f"{t['path']}\t{t['cookie']}" for t in plan["thread"]],
    }
    log("warm-up")
    if "pages" in groups:
        catalog = paths["catalog"]
        bench.warm(
            ["/bench/hello", *catalog, *("/bench/raw" + p for p in catalog), *("/bench/nocount" + p for p in catalog)]
        )
        bench.warm([*paths["gig"], *paths["raw gig"], *("/bench/raw" + p for p in paths["search"])])
    if "pages" in groups or "search" in groups:
        bench.warm(paths["search"])
    if "deep" in groups:
        bench.warm([*plan["deep"]["page 1"], *plan["deep"]["page 1000"]])
    if "thread" in groups:
        bench.warm(paths["thread"])
    scenarios: list[dict] = []
    for group in GROUPS:
        if group in groups:
            scenarios += GROUP_RUNNERS[group](bench, paths)
    return sorted(scenarios, key=lambda s: next(i for i, p in enumerate(TABLE_ORDER) if s["name"].startswith(p)))


# The order of the table.
TABLE_ORDER = (
    "Catalog with", "Catalog, signed in", "Catalog through", "Deep", "Result count", "Search, rare", "Search, 1%",
    "Search, 5%", "Search, 50%", "Search, multi", "Search relevance", "Gig page", "Order placement", "Message thread",
    "Raw-SQL",
)  # fmt: skip


def pages_group(bench: Bench, paths: dict) -> list[dict]:
    catalog, search_paths = paths["catalog"], paths["search"]
    files = {
        "hello": bench.paths_file("hello", ["/bench/hello"]),
        "raw catalog": bench.paths_file("raw-catalog", ["/bench/raw" + p for p in catalog]),
        "catalog": bench.paths_file("catalog", catalog),
        "gig page": bench.paths_file("gig", paths["gig"]),
        "raw gig page": bench.paths_file("raw-gig", paths["raw gig"]),
        # A signed-in person's catalog: favourite buttons and a header of their own, rendered for
        # them (only the cards are shared). Two people, alternating.
        "catalog, signed in": bench.paths_file(
            "catalog-signed-in",
            [f"{p}\t{bench.plan['placement'][i % 2]['cookie']}" for i, p in enumerate(catalog)],
        ),
        # Visitors through the proxy (deploy/nginx/): their pages come from its micro-cache.
        "catalog via proxy": bench.paths_file("catalog-proxy", catalog),
        "gig page via proxy": bench.paths_file("gig-proxy", paths["gig"]),
        "search (all classes)": bench.paths_file("search", search_paths),
        "raw search (all classes)": bench.paths_file("raw-search", ["/bench/raw" + p for p in search_paths]),
    }
    scenarios = []
    log("throughput: hello, catalog, gig page and search against their baselines (closed loop)")
    proxied = {"catalog via proxy": bench.proxy.port, "gig page via proxy": bench.proxy.port}
    closed = bench.closed_rounds(files, ports=proxied)
    hello, raw_catalog, page = closed["hello"], closed["raw catalog"], closed["catalog"]

    log("latency: catalog with and without its result count (open loop at 50% of the catalog's maximum)")
    rate = page["rps"] * 0.5
    opened = bench.open_rounds(
        {"catalog": (catalog, rate), "catalog without count": (["/bench/nocount" + p for p in catalog], rate)}
    )
    with_count, without_count = opened["catalog"], opened["catalog without count"]
    ratio = page["rps"] / raw_catalog["rps"]
    scenarios.append(
        _scenario(
            "Catalog with filters and sorts",
            target=">= 0.35 x the raw-SQL catalog; p99 <= 40 ms at 50% load",
            met=ratio >= 0.35 and with_count["p99_ms"] <= 40,
            rps=page["rps"],
            p50_ms=with_count["p50_ms"],
            p99_ms=with_count["p99_ms"],
            ratio=ratio,
            baseline=f"raw-SQL catalog {raw_catalog['rps']:.0f} req/s",
            load_rps=with_count["rate"],
            urls=len(catalog),
            closed_p99_ms=page["p99_ms"],
            noise=max(page["noise"], raw_catalog["noise"], with_count["noise"]),
            errors=page["errors"] + with_count["errors"],
        )
    )
    added = with_count["p99_ms"] - without_count["p99_ms"]
    scenarios.append(
        _scenario(
            "Result count shown on listings",
            target="adds <= 2 ms p99",
            met=added <= 2,
            p50_ms=with_count["p50_ms"],
            p99_ms=with_count["p99_ms"],
            added_p99_ms=added,
            added_p50_ms=with_count["p50_ms"] - without_count["p50_ms"],
            baseline=f"same pages without the count: p99 {without_count['p99_ms']:.1f} ms",
            load_rps=rate,
            noise=max(with_count["noise"], without_count["noise"]),
        )
    )

    ratio = raw_catalog["rps"] / hello["rps"]
    scenarios.append(
        _scenario(
            "Raw-SQL catalog / hello",
            target=">= 0.20 (catches lost connection reuse or a debug setting)",
            met=ratio >= 0.20,
            rps=raw_catalog["rps"],
            p50_ms=raw_catalog["p50_ms"],
            p99_ms=raw_catalog["p99_ms"],
            ratio=ratio,
            baseline=f"/bench/hello {hello['rps']:.0f} req/s",
            noise=max(raw_catalog["noise"], hello["noise"]),
        )
    )
    signed_in = closed["catalog, signed in"]
    own = check_signed_in(bench, catalog)
    ratio = signed_in["rps"] / raw_catalog["rps"]
    scenarios.append(
        _scenario(
            "Catalog, signed in",
            target=">= 0.30 x the raw-SQL catalog; each person gets only their own page",
            met=ratio >= 0.30 and own["correct"],
            rps=signed_in["rps"],
            p50_ms=signed_in["p50_ms"],
            p99_ms=signed_in["p99_ms"],
            ratio=ratio,
            baseline=f"raw-SQL catalog {raw_catalog['rps']:.0f} req/s; {own['summary']}",
            check=own,
            noise=max(signed_in["noise"], raw_catalog["noise"]),
        )
    )
    copies = check_visitor_copies(bench, [*catalog[:8], *paths["gig"][:8]])
    through = closed["catalog via proxy"]
    scenarios.append(
        _scenario(
            "Catalog through the proxy (visitors)",
            target="for the record: the proxy's copy is the application's page, byte for byte",
            met=copies["correct"],
            rps=through["rps"],
            p50_ms=through["p50_ms"],
            p99_ms=through["p99_ms"],
            ratio=through["rps"] / page["rps"],
            baseline=f"direct {page['rps']:.0f} req/s; {copies['summary']}",
            check=copies,
            noise=through["noise"],
        )
    )
    # A visitor's gig page is served by the proxy in a deployment (its micro-cache); the
    # application's own figure is kept beside it.
    gig, through = closed["gig page"], closed["gig page via proxy"]
    scenarios.append(
        _scenario(
            "Gig page (visitors, through the proxy)",
            target=">= 0.30 x /bench/hello; the proxy's copy is the application's page",
            met=through["rps"] / hello["rps"] >= 0.30 and copies["correct"],
            rps=through["rps"],
            p50_ms=through["p50_ms"],
            p99_ms=through["p99_ms"],
            ratio=through["rps"] / hello["rps"],
            baseline=(
                f"/bench/hello {hello['rps']:.0f} req/s; the application alone {gig['rps']:.0f} req/s "
                f"({gig['rps'] / hello['rps']:.2f} x hello, p99 {gig['p99_ms']:.0f} ms); {copies['summary']}"
            ),
            direct_rps=gig["rps"],
            direct_ratio=gig["rps"] / hello["rps"],
            raw_twin_rps=closed["raw gig page"]["rps"],
            ratio_to_raw_twin=gig["rps"] / closed["raw gig page"]["rps"],
            check=copies,
            noise=max(through["noise"], gig["noise"], hello["noise"]),
        )
    )
    search_all, raw_search = closed["search (all classes)"], closed["raw search (all classes)"]
    bench.extra |= {
        "hello": hello,
        "raw catalog": raw_catalog,
        "search, all classes mixed": {**search_all, "ratio_to_raw_sql": search_all["rps"] / raw_search["rps"]},
        "raw search": raw_search,
        "raw gig page": closed["raw gig page"],
    }
    return scenarios


def fetch(port: int, path: str, cookie: str = "", host: str = "") -> tuple[int, dict, str]:
    headers = ({"Cookie": cookie} if cookie else {}) | ({"Host": host} if host else {})
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own loopback servers
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


_TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def check_signed_in(bench: Bench, catalog: list[str]) -> dict:
    """The same run's correctness for the signed-in rows: two people open the same catalog
    pages, directly and through the proxy. Each page must name its own person and not the
    other, be `private`, never come from the proxy's cache, and carry only CSRF tokens of
    its own session."""
    from django.middleware.csrf import _unmask_cipher_token

    people = bench.plan["placement"][:2]
    problems, pages = [], 0
    for path in catalog[:8]:
        for me, other in (people, people[::-1]):
            for port, where in ((bench.server.port, "direct"), (bench.proxy.port, "proxy")):
                status, headers, body = fetch(port, path, me["cookie"])
                pages += 1
                tokens = {a or b for a, b in _TOKENS.findall(body)}
                if status != 200 or me["name"] not in body or other["name"] in body:
                    problems.append(f"{where} {path}: another person's page or none ({status})")
                if headers.get("Cache-Control") != "private" or headers.get("X-Cache-Status") not in (None, "BYPASS"):
                    problems.append(f"{where} {path}: cacheable ({headers.get('Cache-Control')})")
                if not tokens or any(_unmask_cipher_token(t) != me["csrf"] for t in tokens):
                    problems.append(f"{where} {path}: a CSRF token of another session")
    summary = f"{pages} pages of 2 people checked, {len(problems)} wrong"
    log(f"  signed-in pages: {summary}")
    return {"correct": not problems, "pages": pages, "problems": problems[:10], "summary": summary}


def check_visitor_copies(bench: Bench, paths: list[str]) -> dict:
    """The proxy's copy of a visitor's page is what the application sends: fetched through
    the proxy twice (the second from its cache) and directly, the three bodies identical,
    with no CSRF token and no session."""
    problems, hits = [], 0
    for path in paths:
        # A copy past its ten seconds is served once more while nginx fetches the new one
        # (STALE/UPDATING): ask until the copy is a fresh one, as the next visitor gets it.
        for _attempt in range(5):
            first = fetch(bench.proxy.port, path)
            if first[1].get("X-Cache-Status") not in ("STALE", "UPDATING"):
                break
            time.sleep(0.2)
        second = fetch(bench.proxy.port, path)
        # As the proxy asks for it: its own address is the page's (canonical and hreflang links).
        direct = fetch(bench.server.port, path, host=f"{HOST}:{bench.proxy.port}")
        hits += second[1].get("X-Cache-Status") == "HIT"
        if not first[2] == second[2] == direct[2] or first[0] != 200:
            where = next((i for i, (a, b) in enumerate(zip(second[2], direct[2], strict=False)) if a != b), None)
            context = direct[2][max(0, (where or 0) - 60) : (where or 0) + 60] if where is not None else ""
            problems.append(f"{path} ({first[1].get('X-Cache-Status')}): the proxy's copy differs: …{context}…")
        if _TOKENS.search(direct[2]) or "Set-Cookie" in direct[1]:
            problems.append(f"{path}: a visitor's page with a token or a cookie")
    summary = f"{len(paths)} pages compared with the application's, {hits} served from the cache, {len(problems)} wrong"
    log(f"  proxy copies: {summary}")
    return {"correct": not problems, "pages": len(paths), "hits": hits, "problems": problems[:10], "summary": summary}


def deep_group(bench: Bench, paths: dict) -> list[dict]:
    plan = bench.plan
    scenarios = []
    log("deep pages: page 1 against page 1 000 (closed loop)")
    deep = bench.closed_rounds(
        {
            "page 1": bench.paths_file("page-1", plan["deep"]["page 1"]),
            "page 1000": bench.paths_file("page-1000", plan["deep"]["page 1000"]),
        }
    )
    slower = deep["page 1"]["rps"] / deep["page 1000"]["rps"]
    scenarios.append(
        _scenario(
            "Deep pages (page 1 vs page 1 000)",
            target="any depth <= 1.2 x page 1 (keyset or capped pages, no deep OFFSET)",
            met=slower <= 1.2,
            rps=deep["page 1000"]["rps"],
            p50_ms=deep["page 1000"]["p50_ms"],
            p99_ms=deep["page 1000"]["p99_ms"],
            ratio=slower,
            baseline=f"page 1 {deep['page 1']['rps']:.0f} req/s, p50 {deep['page 1']['p50_ms']:.1f} ms",
            note="ratio = time per request at page 1 000 / at page 1",
            noise=max(deep["page 1"]["noise"], deep["page 1000"]["noise"]),
        )
    )

    return scenarios


def search_group(bench: Bench, paths: dict) -> list[dict]:
    plan = bench.plan
    search_paths = paths["search"]
    scenarios = []
    log("search by word frequency class: maximum (closed loop), then latency at 50% of it (open loop)")
    words = plan["search"]
    maxima = {}
    for path in search_paths:
        one = bench.paths_file("search-one", [path])
        maxima[path] = bench.quiet(lambda one=one: bench.wrk(one, duration=max(bench.args.duration - 1, 2)), path)[
            "rps"
        ]
    latency = bench.open_rounds({path: ([path], maxima[path] * 0.5) for path in search_paths})
    # Relevance, in the same run: page 1 as the server sends it against the brute-force top.
    served = {path: _gig_ids(fetch(bench.server.port, path)[2]) for path in search_paths}
    for name in ("rare", "1%", "5%", "50%", "multi"):
        rows = [(w, p) for w, p in zip(words, search_paths, strict=True) if w["class"] == name]
        if not rows:
            continue
        overlaps = [(w, len(set(served[p]) & set(w["expected_top"])), served[p] == w["expected_top"]) for w, p in rows]
        scenarios.append(
            _scenario(
                f"Search relevance, {name} words",
                target="page 1 = the brute-force top 24 of the documented order (24/24, same order)",
                met=all(exact for _w, _n, exact in overlaps),
                overlap=min(n for _w, n, _exact in overlaps),
                of=min(len(w["expected_top"]) for w, _n, _e in overlaps),
                baseline="; ".join(
                    f"“{w['word']}” ({w['gigs']} matches): {n}/{len(w['expected_top'])}"
                    + ("" if exact else ", order differs")
                    for w, n, exact in overlaps
                ),
            )
        )
    for name in ("rare", "1%", "5%", "50%", "multi"):
        rows = [(w, p) for w, p in zip(words, search_paths, strict=True) if w["class"] == name]
        worst = max(latency[p]["p99_ms"] for _w, p in rows)
        detail = "; ".join(
            f"{w['language']} “{w['word']}” ({w['share'] * 100:.2g}% of gigs): p50 {latency[p]['p50_ms']:.1f}, "
            f"p99 {latency[p]['p99_ms']:.1f} ms at {latency[p]['rate']:.0f} req/s"
            for w, p in rows
        )
        scenarios.append(
            _scenario(
                f"Search, {name} words",
                target="p99 <= 50 ms at S (<= 100 ms at L) for every class",
                met=worst <= (50 if plan["gigs"] < 500_000 else 100),
                p50_ms=max(latency[p]["p50_ms"] for _w, p in rows),
                p99_ms=worst,
                rps=min(maxima[p] for _w, p in rows),
                baseline=detail,
                words=[w["word"] for w, _p in rows],
                noise=max(latency[p]["noise"] for _w, p in rows),
            )
        )

    return scenarios


_GIG_LINK = re.compile(r'href="(?:/en)?/gig/(\d+)/')


def _gig_ids(html: str) -> list[int]:
    """The gigs of a results page, in the order the cards show them."""
    return list(dict.fromkeys(int(pk) for pk in _GIG_LINK.findall(html)))


def placement_group(bench: Bench, paths: dict) -> list[dict]:
    scenarios = []
    log("order placement with escrow: 8 buyers checking out and paying (closed loop), raw SQL alternating")
    placement = placement_rounds(bench)
    violations = reconcile(bench.args)
    ratio = placement["app"]["rate"] / placement["raw"]["rate"]
    scenarios.append(
        _scenario(
            "Order placement with escrow (POST, c=8)",
            target=">= 0.4 x the same transaction in raw SQL; 0 invariant violations after the run",
            met=ratio >= 0.4 and violations == 0,
            rps=placement["app"]["rate"],
            p50_ms=placement["app"]["p50_ms"],
            p99_ms=placement["app"]["p99_ms"],
            ratio=ratio,
            baseline=f"raw SQL {placement['raw']['rate']:.1f} placements/s",
            invariant_violations=violations,
            errors=placement["app"]["errors"] + placement["raw"]["errors"],
            note="rps = placements (checkout POST + pay POST) per second",
            noise=max(placement["app"]["noise"], placement["raw"]["noise"]),
        )
    )

    bench.extra["placement"] = placement
    return scenarios


def thread_group(bench: Bench, paths: dict) -> list[dict]:
    scenarios = []
    log("message thread view: maximum (closed loop), then latency at 50% of it (open loop)")
    thread_lines = paths["thread"]
    thread_file = bench.paths_file("thread", thread_lines)
    thread_max = bench.quiet(lambda: bench.wrk(thread_file), "thread")
    thread = bench.open_rounds({"thread": (thread_lines, thread_max["rps"] * 0.5)})["thread"]
    scenarios.append(
        _scenario(
            "Message thread view",
            target="p99 <= 30 ms",
            met=thread["p99_ms"] <= 30,
            rps=thread_max["rps"],
            p50_ms=thread["p50_ms"],
            p99_ms=thread["p99_ms"],
            load_rps=thread["rate"],
            noise=thread["noise"],
            baseline=f"{len(thread_lines)} conversations, the {len(thread_lines) // 4} longest among them",
        )
    )

    return scenarios


GROUP_RUNNERS = {
    "pages": pages_group,
    "deep": deep_group,
    "search": search_group,
    "placement": placement_group,
    "thread": thread_group,
}


def placement_rounds(bench: Bench) -> dict:
    buyers = bench.plan["placement"]
    runs = {"raw": [], "app": []}
    paths = {"raw": "/bench/raw/checkout/{gig_id}/", "app": "/checkout/{gig_id}/"}

    def measure(name: str) -> dict:
        result = asyncio.run(
            loadgen.placement_loop(
                HOST, bench.server.port, buyers, checkout_path=paths[name], concurrency=8, duration=bench.args.duration
            )
        )
        return {
            "rate": result.rate,
            "p50_ms": loadgen.percentile(result.latencies_ms, 0.5),
            "p99_ms": loadgen.percentile(result.latencies_ms, 0.99),
            "errors": result.errors,
            "placements": result.placements,
            "statuses": {str(k): v for k, v in result.statuses.items()},
        }

    for round_number in range(bench.args.rounds):
        for name in ("raw", "app"):
            figures = bench.quiet(lambda name=name: measure(name), f"placement {name}")
            runs[name].append(figures)
            log(
                f"  round {round_number + 1} {name}: {figures['rate']:.1f} placements/s "
                f"({figures['errors']} errors, statuses {figures['statuses']})"
            )
    return {name: _median_of(results) for name, results in runs.items()}


def reconcile(args) -> int:
    log("ledger reconciliation")
    done = manage(args, "ledger_reconcile", "--no-email", check=False)
    if done.returncode == 0:
        log("  " + done.stdout.strip())
        return 0
    found = re.search(r"Drift found: (\d+) problem", done.stderr)
    log("  " + (done.stderr.strip().splitlines() or ["reconciliation failed"])[-1])
    return int(found.group(1)) if found else -1


def drop_task_queue(url: str) -> None:
    """The server publishes its Celery tasks (the order emails) to the benchmark's Redis,
    where no worker takes them: drop them, so that a worker started later sends no mail."""
    if not url:
        return
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2).delete("celery")
    except Exception as exc:  # a leftover queue must not fail the run
        log(f"could not drop the task queue: {exc}")


def _scenario(name: str, *, target: str, met: bool, **figures) -> dict:
    clean = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in figures.items()}
    return {"name": name, **clean, "target": target, "met": bool(met)}


# --- report ----------------------------------------------------------------------------------------------


def markdown(scenarios: list[dict], meta: dict) -> str:
    def number(value, digits=1):
        return "" if value is None else f"{value:.{digits}f}"

    lines = [
        f"Run {meta['date']} on {meta['machine']}; {meta['gigs']} gigs ({meta['active_gigs']} active), "
        f"gunicorn {meta['workers']} sync workers, {meta['rounds']} rounds (median). Noise: the largest share of the "
        "CPUs other processes used during a measurement the row depends on (a measurement above "
        f"{meta['max_noise']:.0%} was repeated, at most twice, and the quietest kept).",
        "",
        "| scenario | req/s | p50 ms | p99 ms | ratio | measured against | target | met | noise |",
        "|---|---:|---:|---:|---:|---|---|:---:|---:|",
    ]
    for s in scenarios:
        extra = s.get("baseline", "")
        if "added_p99_ms" in s:
            extra = f"adds {s['added_p99_ms']:.1f} ms p99 ({s['added_p50_ms']:.1f} ms p50); {extra}"
        if "invariant_violations" in s:
            extra += f"; invariant violations: {s['invariant_violations']}"
        lines.append(
            f"| {s['name']} | {number(s.get('rps'), 0)} | {number(s.get('p50_ms'))} | {number(s.get('p99_ms'))} | "
            f"{number(s.get('ratio'), 2)} | {extra} | {s['target']} | {'yes' if s['met'] else '**no**'} | "
            f"{s.get('noise', 0):.0%} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per comparison (median kept)")
    parser.add_argument("--duration", type=float, default=5, help="seconds per closed-loop run")
    parser.add_argument("--latency-duration", type=float, default=8, help="seconds per open-loop run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (closed loop)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument(
        "--max-noise",
        type=float,
        default=0.15,
        help="measure again while other processes use more than this share of the CPUs (default 0.15)",
    )
    parser.add_argument(
        "--only", default=",".join(GROUPS), help=f"comma-separated groups to run (default: all of {', '.join(GROUPS)})"
    )
    args = parser.parse_args()
    # A stop (Ctrl+C, kill) still stops the server this started.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    groups = tuple(g for g in args.only.split(",") if g)
    if unknown := set(groups) - set(GROUPS):
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    args.database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    BENCH_DATABASE["name"] = urlsplit(args.database_url).path.lstrip("/")
    args.redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    args.var_dir = os.environ.get("BENCH_VAR_DIR") or str(ROOT / "var" / "bench")
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    preflight(args)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        log("preparing URLs, sessions and search words")
        prepared = manage(
            args,
            "bench_prepare",
            "--run-key",
            datetime.now(UTC).strftime("%Y%m%d%H%M%S"),
            "--out",
            str(workdir / "plan.json"),
            check=False,
        )
        if prepared.returncode:
            sys.exit(prepared.stderr.strip() or "bench_prepare failed")
        plan = json.loads((workdir / "plan.json").read_text(encoding="utf-8"))
        with Server(args) as server, Proxy(args, server, workdir) as proxy:
            log(f"gunicorn on {HOST}:{server.port}, {args.workers} workers; nginx on {HOST}:{proxy.port}")
            bench = Bench(args, server, plan, workdir)
            bench.proxy = proxy
            scenarios = run_scenarios(bench, groups)
        drop_task_queue(args.redis_url)

    date = datetime.now(UTC)
    meta = {
        "date": date.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, {socket.gethostname()}",
        "gigs": plan["gigs"],
        "active_gigs": plan["active_gigs"],
        "workers": args.workers,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "latency_duration_s": args.latency_duration,
        "groups": list(groups),
        "max_noise": args.max_noise,
        "search_words": plan["search"],
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    table = markdown(scenarios, meta)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = date.strftime("%Y-%m-%d-%H%M")
    (out / f"{stem}.json").write_text(
        json.dumps({"meta": meta, "scenarios": scenarios, "measurements": bench.extra}, indent=1, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    (out / f"{stem}.md").write_text(table, encoding="utf-8")
    print()
    print(table)
    log(f"written {out / (stem + '.json')} and .md in {meta['minutes']} min")


if __name__ == "__main__":
    main()
