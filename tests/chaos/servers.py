"""The chaos tests' own servers and the site's own processes, all real.

A PostgreSQL cluster (initdb into a temporary folder, on a free port) and a redis-server (on
another), which the tests stop, kill, freeze and restart at will without touching the shared
servers on 5432 and 6379 that other tests use. Against them, with production settings
(DEBUG=0, a secret key, secure cookies behind an HTTPS proxy), gunicorn as the Procfile runs
it and Celery workers. Every process writes a log of its own into the run's folder; a failing
test prints their tails.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:g} s")
        time.sleep(interval)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries on the machine (Debian keeps them out of PATH)."""
    if os.environ.get("CHAOS_PG_BIN"):
        return Path(os.environ["CHAOS_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing_programs() -> list[str]:
    missing = []
    if postgres_bin() is None or not (postgres_bin() / "pg_ctl").exists():
        missing.append("PostgreSQL server binaries (initdb, pg_ctl: apt-get install postgresql)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server (apt-get install redis-server)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser (util-linux), to run PostgreSQL as its own user")
    return missing


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text[-lines:])


class Postgres:
    """A cluster of our own. As root, its folder belongs to `postgres` and every binary runs
    as that user (PostgreSQL refuses to run as root)."""

    def __init__(self, root: Path):
        self.bin = postgres_bin()
        self.dir = root / "pg"
        self.data = self.dir / "data"
        self.log = root / "logs" / "postgres.log"
        self.port = free_port()
        self.database = "chaos"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess:
        argv = [str(self.bin / command[0]), *command[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} failed: {result.stdout}{result.stderr}\n{tail(self.log)}")
        return result

    def create(self) -> None:
        self.dir.mkdir(parents=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.log, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "-N")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database)

    def start(self) -> None:
        # Durability is not what is tested: fsync off keeps the run fast; a fast shutdown still
        # writes everything, and nothing here kills PostgreSQL itself.
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):  # it was not running
            self.stop("immediate")


class Redis:
    """A redis-server of our own that forgets everything when stopped, as a cache-only Redis
    without persistence does."""

    def __init__(self, root: Path):
        self.dir = root / "redis"
        self.log = root / "logs" / "redis.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        # No snapshot, no log: stopped, it comes back empty.
        options = f"--port {self.port} --bind 127.0.0.1 --appendonly no --protected-mode no --dir {self.dir}"
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), *options.split(), "--save", ""],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, timeout=10, what="redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Gone, and its data with it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case it was frozen
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """Still accepting connections (the kernel does), answering nothing: a hung server or a
        network that drops packets. Its data stays."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class Process:
    """One of the site's processes, in a session of its own so that it and its children
    (Celery's pool, gunicorn's workers) are signalled together."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log: Path):
        self.name = name
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self.popen = subprocess.Popen(  # noqa: S603
            argv, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: nothing runs a handler, nothing is cleaned up."""
        if self.alive:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if not self.alive:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# The test run's own settings never reach the site's processes: they get theirs below.
NOT_INHERITED_PREFIXES = ("DJANGO_", "CELERY_", "SECURE_", "EMAIL_", "PYTEST")
NOT_INHERITED = {
    "DATABASE_URL", "REDIS_URL", "TESTING", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "TEST_REDIS_DB", "VAR_DIR", "STATIC_ROOT", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "CONN_MAX_AGE", "SITE_URL",
    "LOG_LEVEL", "PAYOUT_DETAILS_KEY",
}  # fmt: skip


class Site:
    """The site's environment and processes against the throwaway servers."""

    def __init__(self, root: Path, postgres: Postgres, redis: Redis):
        self.root = root
        self.postgres = postgres
        self.redis = redis
        self.web_port = free_port()
        self.mail_dir = root / "mail"
        self.logs = root / "logs"
        self.processes: list[Process] = []
        self.env = self._environment()

    @property
    def origin(self) -> str:
        # What the browser sees: HTTPS at the proxy, which talks plain HTTP to gunicorn.
        return f"https://127.0.0.1:{self.web_port}"

    def _environment(self) -> dict:
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(NOT_INHERITED_PREFIXES) and key not in NOT_INHERITED
        }
        return inherited | {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            # Production, as `make check` configures it.
            "DEBUG": "0",
            "TESTING": "0",
            "SECRET_KEY": "chaos-" + secrets.token_hex(24),
            "PAYOUT_DETAILS_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{self.web_port}",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "VAR_DIR": str(self.root / "var"),
            "STATIC_ROOT": str(self.root / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "LOG_LEVEL": "INFO",
        }

    def manage(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def start(self, name: str, argv: list[str], **env: str) -> Process:
        process = Process(name, argv, env=self.env | env, log=self.logs / f"{name}.log")
        self.processes.append(process)
        return process

    def gunicorn(self) -> Process:
        # As the Procfile runs it, with two workers for two cores.
        options = f"--bind 127.0.0.1:{self.web_port} --workers 2 --timeout 30 --graceful-timeout 5 --access-logfile -"
        web = self.start("gunicorn", [PYTHON, "-m", "gunicorn", "marketplace.wsgi", *options.split()])
        wait_until(lambda: self._answers() or not web.alive, timeout=30, what="gunicorn")
        assert web.alive, tail(web.log)
        return web

    def _answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.web_port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def worker(self, name: str, *, complete_delay: float | None = None) -> Process:
        """A Celery worker (one pool process). With `complete_delay`, through slow_worker.py:
        each order completion holds its transaction that long, so a kill lands inside one."""
        options = f"--loglevel=INFO --concurrency=1 --hostname={name}@chaos --without-gossip --without-mingle"
        options = [*options.split(), "--without-heartbeat"]
        if complete_delay is None:
            argv = [PYTHON, "-m", "celery", "-A", "marketplace", "worker", *options]
            env = {}
        else:
            argv = [PYTHON, str(HERE / "slow_worker.py"), *options]
            env = {"CHAOS_COMPLETE_DELAY": str(complete_delay), "CHAOS_TRACE": str(self.logs / f"{name}.trace")}
        worker = self.start(name, argv, **env)
        wait_until(lambda: "ready." in worker.log_text() or not worker.alive, timeout=60, what=f"worker {name}")
        assert worker.alive, tail(worker.log)
        return worker

    def trace(self, name: str) -> list[tuple[int, float]]:
        """The orders a slow worker began to complete, in order, with when (time.monotonic())."""
        path = self.logs / f"{name}.trace"
        text = path.read_text() if path.exists() else ""
        return [(int(number), float(at)) for number, at in re.findall(r"completing order (\d+) at ([\d.]+)", text)]

    def tasks_succeeded(self, worker: Process, task: str) -> int:
        return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", worker.log_text()))

    def reconcile(self) -> str:
        """`manage.py ledger_reconcile`: every ledger invariant against the rows, exit 0 and
        "No drift" or the test fails with the drift it found."""
        result = self.manage("ledger_reconcile", "--no-email", check=False)
        assert result.returncode == 0 and "No drift" in result.stdout, result.stdout + result.stderr
        return result.stdout.strip()

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop(timeout=5)
