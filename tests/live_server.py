"""A real gunicorn server for the end-to-end and fault-tolerance tests.

``Server(env, port, log)`` runs ``gunicorn web:create_app()`` from this virtual
environment in its own process group, so that ``kill()`` takes the master and its
workers at once (SIGKILL), as a crash would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent


def server_env(database_url: str, secrets: Any, **extra: str) -> dict[str, str]:
    """The environment of a server on this store with these secrets (no VOISINAGE_* leaks
    in from the test run's own environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOISINAGE_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        VOISINAGE_SECRET_KEY=secrets.secret_key,
        VOISINAGE_PSEUDONYM_KEY=secrets.pseudonym_key.hex(),
        VOISINAGE_CHECKPOINT_KEY=getattr(secrets, "checkpoint_key", ""),
        PYTHONPATH=str(Path(__file__).resolve().parents[1]),
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A gunicorn server in its own process group (so a kill takes master and workers);
    ``dev=True`` runs Flask's development server instead (``flask run``, one process,
    a thread per request)."""

    def __init__(
        self, env: dict[str, str], port: int, log: Path, workers: int = 2, *, dev: bool = False
    ) -> None:
        self.env, self.port, self.log, self.workers, self.dev = env, port, log, workers, dev
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The API's base address."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    def __enter__(self) -> Server:
        self.start()
        self.wait_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.dev:
            command = [
                str(VENV_BIN / "flask"),
                "--app",
                "web:create_app()",
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--with-threads",
            ]
        else:
            command = self._gunicorn()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _gunicorn(self) -> list[str]:
        return [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            str(self.workers),
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            "web:create_app()",
        ]

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/api/v1/processes", timeout=2
                ):
                    return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise AssertionError(f"server not ready: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group we started (master and its workers)."""
        assert self.process is not None
        group = self.process.pid
        os.killpg(group, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until the workers are gone too
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)

    def restart(self, timeout: float = 60.0) -> None:
        """Start again until the server answers (a bind may fail while the port frees)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.start()
            try:
                self.wait_ready(timeout=15)
                return
            except AssertionError:
                self.stop()
        raise AssertionError(f"server did not restart: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
