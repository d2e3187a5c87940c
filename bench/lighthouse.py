"""Lighthouse (mobile) on five pages under the production settings: `make lighthouse`.

Collects the static files with the production storage (whitenoise's compressed manifest),
starts gunicorn with DEBUG=0 on 127.0.0.1, finds a gig and its seller from the catalog,
runs Lighthouse's default mobile run on the home page, the catalog, a search, the gig and
the seller's profile, and prints one table (bench/README.md, "Lighthouse").

Lighthouse comes from npm, installed outside the repository (`npm install lighthouse` in a
folder named by LIGHTHOUSE_DIR); the browser is the system's Chromium (CHROMIUM). The data
is the demo database of `make demo` unless DATABASE_URL says otherwise.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"CLS": "cumulative-layout-shift", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time"}
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"


def log(message: str) -> None:
    print(f"[lighthouse] {message}", file=sys.stderr, flush=True)


def lighthouse_command() -> list[str]:
    folder = os.environ.get("LIGHTHOUSE_DIR")
    binary = Path(folder, "node_modules", ".bin", "lighthouse") if folder else shutil.which("lighthouse")
    if not binary or not Path(binary).exists():
        sys.exit(
            "Lighthouse not found: `npm install lighthouse` in a folder outside the repository, set LIGHTHOUSE_DIR."
        )
    return [str(binary)]


def server_env(args) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "lighthouse-only-" + "4b1e9c7d2a0f8e6d5c3b1a9f7e5d3c1b0a8f6e4d",
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback: no redirect to HTTPS, no HSTS.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(args.static_root),
        "LOG_LEVEL": "WARNING",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server on the loopback
        return response.read().decode()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped while starting (its log is above)")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def pages(base: str, query: str) -> dict[str, str]:
    """The five pages; the gig and the profile are the first ones the catalog links to."""
    catalog = fetch(base + "/catalog/")
    gig = re.search(r'href="(/(?:[a-z]{2}/)?gig/\d+/[^"]+/)"', catalog)
    if not gig:
        sys.exit("The catalog lists no gig: load the demo data (`make demo`).")
    gig_page = fetch(base + gig.group(1))
    profile = re.search(r'href="(/(?:[a-z]{2}/)?u/[^"/]+/)"', gig_page)
    if not profile:
        sys.exit(f"No seller profile link on {gig.group(1)}")
    return {
        "home": "/",
        "catalog": "/catalog/",
        "search": "/catalog/?" + urllib.parse.urlencode({"q": query}),
        "gig": gig.group(1),
        "profile": profile.group(1),
    }


def run_lighthouse(command: list[str], url: str, output: Path, attempts: int = 3) -> dict:
    """One run; Lighthouse now and then loses its trace on a busy machine (NO_NAVSTART): tried again."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    arguments = [
        *command,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(CATEGORIES),
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    for attempt in range(1, attempts + 1):
        done = subprocess.run(arguments, env=env, check=False)  # noqa: S603 - the Lighthouse CLI
        if done.returncode == 0:
            break
        log(f"Lighthouse failed on {url} (attempt {attempt} of {attempts})")
    else:
        sys.exit(f"Lighthouse failed {attempts} times on {url}")
    report = json.loads(output.read_text())
    row = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = report["audits"]
    row["CLS"] = round(audits[METRICS["CLS"]]["numericValue"], 3)
    row["LCP"] = round(audits[METRICS["LCP"]]["numericValue"] / 1000, 2)
    row["TBT"] = round(audits[METRICS["TBT"]]["numericValue"])
    # Lighthouse's measure of this machine's speed at the time (a busy machine scores low and its
    # simulated phone is slower still: TBT grows first).
    row["benchmark"] = round(report["environment"]["benchmarkIndex"])
    scored = {
        ref["id"] for name in CATEGORIES[1:] for ref in report["categories"][name]["auditRefs"] if ref.get("weight")
    }
    row["failed"] = sorted(key for key in scored if (audits[key].get("score") is not None and audits[key]["score"] < 1))
    return row


def markdown(rows: dict[str, dict], paths: dict[str, str]) -> str:
    lines = [
        "| page | path | performance | accessibility | best practices | SEO | CLS | LCP, s | TBT, ms | CPU index |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | `{paths[name]}` | {row['performance']} | {row['accessibility']} | {row['best-practices']} "
            f"| {row['seo']} | {row['CLS']} | {row['LCP']} | {row['TBT']} | {row['benchmark']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--only", nargs="*", help="page names (home catalog search gig profile)")
    parser.add_argument("--query", default="логотип", help="the search page's words")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the run of median performance is kept")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL", "")
    command = lighthouse_command()

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as workdir:
        args.static_root = Path(workdir, "static")
        env = server_env(args)
        log("collectstatic (compressed manifest storage)")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        port = args.port or free_port()
        base = f"http://{HOST}:{port}"
        server = subprocess.Popen(  # noqa: S603 - gunicorn as the Procfile runs it
            [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(base + "/healthz", server)
            paths = pages(base, args.query)
            if args.only:
                paths = {name: path for name, path in paths.items() if name in args.only}
            rows = {}
            for name, path in paths.items():
                fetch(base + path)  # warm the caches as a second visitor would find them
                runs = []
                for number in range(args.runs):
                    log(f"{name}: {path} (run {number + 1})")
                    runs.append(run_lighthouse(command, base + path, Path(workdir, f"{name}-{number}.json")))
                runs.sort(key=lambda row: row["performance"])
                rows[name] = runs[len(runs) // 2]
                log(f"{name}: " + ", ".join(f"{key} {value}" for key, value in rows[name].items() if key != "failed"))
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(markdown(rows, paths))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, row in rows.items():
        if row["failed"]:
            print(f"{name}: audits below 100: {', '.join(row['failed'])}")
    if args.json:
        args.json.write_text(json.dumps({"paths": paths, "rows": rows}, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
