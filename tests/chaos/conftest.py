"""Faults injected on purpose, against a site of the tests' own: `make chaos` (CHAOS=1).

One session builds it: a throwaway PostgreSQL and Redis (servers.py), the database migrated
once, static files collected (DEBUG=0 serves the manifest's names), gunicorn, and a probe
process (probe.py) with Django set up against the same servers, which seeds data and reads
back the invariants. Each scenario starts the Celery workers it needs, breaks something,
and ends with `manage.py ledger_reconcile` reporting no drift.

Skipped unless CHAOS=1: the run starts and stops real servers and takes a few minutes. With
CHAOS=1 a missing program (initdb, redis-server) fails the run instead of skipping it.
"""

from __future__ import annotations

import email
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import pytest

from .browser import Browser
from .servers import HERE, PYTHON, Postgres, Redis, Site, missing_programs, tail

ENABLED = os.environ.get("CHAOS") == "1"
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/chaos" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)
            if not ENABLED:
                item.add_marker(pytest.mark.skip(reason="fault injection runs with CHAOS=1 (make chaos)"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.chaos_failed = report.failed


class Probe:
    """Commands for probe.py, one JSON line each way."""

    def __init__(self, site: Site):
        self.log = site.logs / "probe.log"
        self.process = subprocess.Popen(  # noqa: S603
            [PYTHON, str(HERE / "probe.py")], env=site.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log.open("ab"), text=True, bufsize=1,
        )  # fmt: skip
        self._answers: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        assert self("ping") == "pong"

    def _read(self) -> None:
        for line in self.process.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def __call__(self, op: str, timeout: float = 120, **kw):
        with self._lock:
            self.process.stdin.write(json.dumps({"op": op, "kw": kw}) + "\n")
            self.process.stdin.flush()
            try:
                line = self._answers.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"probe {op}: no answer in {timeout} s\n{tail(self.log)}") from None
        assert line is not None, f"the probe died\n{tail(self.log)}"
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"probe {op} failed:\n{answer['error']}")
        return answer["ok"]

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Stack:
    root: Path
    postgres: Postgres
    redis: Redis
    site: Site
    probe: Probe
    report: list[str] = field(default_factory=list)

    def browser(self, name: str = "visitor") -> Browser:
        return Browser(self.site.web_port, name=name)

    def emails(self) -> list[email.message.EmailMessage]:
        found = []
        for path in sorted(self.site.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=policy.default))
        return found

    def note(self, scenario: str, text: str) -> None:
        line = f"{scenario}: {text}"
        self.report.append(line)
        print(line)


_REPORT: list[str] = []


@pytest.fixture(scope="session")
def stack():
    if missing := missing_programs():
        pytest.fail("CHAOS=1 but these are missing: " + "; ".join(missing), pytrace=False)
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="gigmarket-chaos-"))
    root.chmod(0o755)  # PostgreSQL runs as its own user and must reach its folder
    postgres, redis = Postgres(root), Redis(root)
    site = Site(root, postgres, redis)
    probe = None
    try:
        with ThreadPoolExecutor(2) as pool:
            servers = [pool.submit(postgres.create), pool.submit(redis.start)]
            for future in servers:
                future.result()
            # Migrations and the static manifest (CompressedManifestStaticFilesStorage) side by side.
            jobs = [pool.submit(site.manage, "migrate", "--noinput", "-v0", timeout=300),
                    pool.submit(site.manage, "collectstatic", "--noinput", "-v0", timeout=300)]  # fmt: skip
            for future in jobs:
                future.result()
        probe = Probe(site)
        site.gunicorn()
        built = Stack(root, postgres, redis, site, probe, _REPORT)
        built.note("set-up", f"throwaway PostgreSQL :{postgres.port}, Redis :{redis.port}, gunicorn "
                             f":{site.web_port}, migrated and ready in {time.monotonic() - started:.1f} s")  # fmt: skip
        yield built
    finally:
        site.stop_all()
        if probe is not None:
            probe.close()
        redis.stop()
        postgres.destroy()
        if os.environ.get("CHAOS_KEEP") == "1":
            print(f"chaos: logs and data kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def chaos(stack, request):
    """The stack for one scenario; on failure, the tails of every log are printed."""
    started = time.monotonic()
    workers_before = len(stack.site.processes)
    yield stack
    for process in stack.site.processes[workers_before:]:
        process.stop(timeout=5)
    stack.note(request.node.name, f"took {time.monotonic() - started:.1f} s")
    if getattr(request.node, "chaos_failed", False):
        for log in sorted(stack.site.logs.glob("*.log")):
            print(f"===== {log.name} =====\n{tail(log, 60)}")
    # What a failed scenario left broken is mended for the next one.
    if not stack.redis.answers():
        stack.redis.stop()
        stack.redis.start()
    if subprocess.run([stack.postgres.bin / "pg_isready", "-h", "127.0.0.1", "-p", str(stack.postgres.port)],  # noqa: S603
                      capture_output=True, check=False).returncode != 0:  # fmt: skip
        stack.postgres.start()


def pytest_terminal_summary(terminalreporter):
    if _REPORT:
        terminalreporter.section("chaos")
        for line in _REPORT:
            terminalreporter.write_line(line)
