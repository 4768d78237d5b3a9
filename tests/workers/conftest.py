"""Real servers for the distributed tests: the local RabbitMQ (started when down, as .ci/run does)
and a fresh PostgreSQL schema per test; a queue name of its own per test, deleted afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from govinspect.settings import Settings

BROKER_URL = os.environ.get("GOVINSPECT_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def broker_url() -> str:
    """The local RabbitMQ; `rabbitmq-server -detached` when it is down; skip when it cannot start."""
    url = make_url(BROKER_URL.replace("amqp://", "postgresql://", 1))  # only to read host and port
    host, port = url.host or "127.0.0.1", url.port or 5672
    if not _port_open(host, port):
        if shutil.which("rabbitmq-server") is None:
            pytest.skip(f"RabbitMQ is not running at {host}:{port} and rabbitmq-server is not installed")
        subprocess.run(["rabbitmq-server", "-detached"], check=False, capture_output=True)
        for _ in range(60):
            if _port_open(host, port):
                break
            time.sleep(1)
        else:
            pytest.skip(f"RabbitMQ did not start at {host}:{port} (rabbitmq-server -detached)")
    return BROKER_URL


@pytest.fixture
def dist_settings(broker_url, pg_url) -> Settings:
    """Settings of this test: its own database schema and its own queue."""
    queue = f"gi-test-{uuid.uuid4().hex[:10]}"
    settings = replace(Settings(), database_url=pg_url, broker_url=broker_url, queue=queue, out_dir=None)
    yield settings
    from govinspect.workers import make_app

    app = make_app(settings)
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for name in (queue, f"{queue}.probe"):
            with contextlib.suppress(Exception):  # never declared in this test
                channel.queue_delete(name)


class Worker:
    """`govinspect worker` in a subprocess of its own session (SIGKILL of the group = a lost machine)."""

    def __init__(self, settings: Settings, name: str, log_dir: Path, concurrency: int = 1):
        env = {
            **os.environ,
            "GOVINSPECT_DATABASE_URL": settings.database_url,
            "GOVINSPECT_BROKER_URL": settings.broker_url,
            "GOVINSPECT_QUEUE": settings.queue,
            "GOVINSPECT_VANTAGE": name,
            "PYTHONUNBUFFERED": "1",
        }
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            env.pop(var, None)
        self.name = f"{name}@{settings.queue}"
        self.log = log_dir / f"{name}.log"
        argv = [sys.executable, "-m", "govinspect", "worker", f"--concurrency={concurrency}"]
        argv += ["--hostname", self.name, "--loglevel", "info"]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.log.read_text(errors='replace')}")
            if "ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise AssertionError(f"worker not ready in {timeout_s}s:\n{self.log.read_text(errors='replace')}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once."""
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def kill_pool_child(self) -> None:
        """SIGKILL the pool process running the task; the worker's main process lives on."""
        import signal

        pid = self.proc.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert children, "the worker has no pool process"
        for child in children:
            os.kill(int(child), signal.SIGKILL)

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(dist_settings, tmp_path):
    workers: list[Worker] = []

    def start(name: str, concurrency: int = 1, settings: Settings | None = None) -> Worker:
        w = Worker(settings or dist_settings, name, tmp_path, concurrency)
        workers.append(w)
        return w

    yield start
    for w in workers:
        w.stop()
