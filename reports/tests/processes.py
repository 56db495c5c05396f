"""Real processes for the report fault tests: Celery workers that can be killed, a Redis that can be stopped."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

from conftest import require_in_ci

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, every: float = 0.2, what: str):
    """``predicate()``'s first true value, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def worker_database_url() -> str:
    """The test database, for a worker process: PostgreSQL only (SQLite's test database lives in memory)."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        require_in_ci("a worker process shares the test database only on PostgreSQL (DATABASE_URL)")
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def note_on(page: bytes) -> str:
    """The run page's account of a fault (the ``report-note`` box), or ''."""
    found = re.search(rb'data-testid="report-note">([^<]*)<', page)
    return found.group(1).decode() if found else ""


class FaultWorkers:
    """Prefork workers (concurrency 1: a parent and one child building) on a queue of the test's own.

    Each worker leads its own process group, so a test can kill the child alone or the whole worker.
    """

    def __init__(self, *, tmp_path: Path, stale_after: float, build_seconds: float):
        self.queue = f"test-faults-{uuid.uuid4().hex[:8]}"
        self.log = tmp_path / "builds.log"
        self.log.touch()
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_QUEUE": self.queue,
            "MEDIA_ROOT": str(tmp_path / "worker-media"),
            "REPORT_TEST_STALE_AFTER": str(stale_after),
            "REPORT_TEST_BUILD_SECONDS": str(build_seconds),
            "REPORT_TEST_BUILD_LOG": str(self.log),
        }
        self.started: list[subprocess.Popen] = []

    def start(self, **env) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reports.tests.fault_worker",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
            ],
            cwd=ROOT,
            env={**self.env, **env},
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def builds(self) -> list[int]:
        """The process id of every build started, in order."""
        return [int(line) for line in self.log.read_text().split()]

    def wait_for_builds(self, count: int, *, timeout: float = 30) -> list[int]:
        return wait_for(
            lambda: len(self.builds()) >= count and self.builds(), timeout=timeout, what=f"{count} build(s)"
        )

    @staticmethod
    def kill_whole_worker(process: subprocess.Popen) -> None:
        """As an out-of-memory kill or a lost machine would: the parent and its child, no clean-up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


class RedisServer:
    """A Redis of the test's own on a free port, without persistence, that the test stops and starts."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            require_in_ci("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, every=0.05, what="redis-server")

    def has(self, key: str) -> bool:
        import redis

        with redis.Redis.from_url(self.url, socket_timeout=1) as client:
            return bool(client.exists(key))

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
