"""The real server (gunicorn in a subprocess) and a lean HTTP/1.1 keep-alive client.

The client writes prepared request bytes on a plain socket and reads the answer by
Content-Length: a few tens of microseconds of client CPU per request, so that on a
2-core machine the load generator takes as little as possible from the server.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT, child_env


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HttpError(RuntimeError):
    """The connection broke or the answer could not be read."""


class Client:
    """One keep-alive connection; `request` returns (status, body)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buffer = sock, b""
        return sock

    def close(self) -> None:
        """Close the connection."""
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """Send one request (JSON body if given); retry once on a closed connection."""
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        if body is not None:
            lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(payload)}")
        lines.extend(f"{k}: {v}" for k, v in (headers or {}).items())
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        for attempt in range(2):
            sock = self.sock or self._connect()
            try:
                sock.sendall(raw)
                return self._read()
            except (OSError, HttpError):
                self.close()
                if attempt:
                    raise
        raise HttpError("unreachable")

    def _read(self) -> tuple[int, bytes]:
        assert self.sock is not None
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise HttpError("connection closed")
            self.buffer += chunk
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close, chunked = 0, False, False
        for header in lines[1:]:
            name, _, value = header.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            return status, self._read_chunked(rest, close)
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise HttpError("connection closed in the body")
            rest += chunk
        body, self.buffer = rest[:length], rest[length:]
        if close:
            self.close()
        return status, body

    def _read_chunked(self, rest: bytes, close: bool) -> bytes:
        assert self.sock is not None
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += self.sock.recv(65536)
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += self.sock.recv(65536)
            body += rest[:size]
            rest = rest[size + 2 :]
            if size == 0:
                break
        self.buffer = rest
        if close:
            self.close()
        return body


class Server:
    """gunicorn serving web:create_app() on a store, in a subprocess."""

    def __init__(
        self,
        database_url: str,
        secrets: Any,
        *,
        workers: int = 1,
        threads: int = 4,
        log: Path | None = None,
        extra_env: dict[str, str] | None = None,
        projector: bool = False,
    ) -> None:
        self.database_url = database_url
        self.secrets = secrets
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.log = log
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None
        #: One `voisinage projections run` process instead of projections in every worker.
        self.projector = projector
        self.projector_process: subprocess.Popen[bytes] | None = None

    def start(self, ready_path: str = "/api/v1/processes", timeout: float = 60.0) -> Server:
        """Start gunicorn and wait until it answers."""
        env = child_env(
            self.database_url,
            VOISINAGE_SECRET_KEY=self.secrets.secret_key,
            VOISINAGE_PSEUDONYM_KEY=self.secrets.pseudonym_key.hex(),
            VOISINAGE_CHECKPOINT_KEY=self.secrets.checkpoint_key,
            **self.extra_env,
        )
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        if self.projector:
            env["VOISINAGE_START_PROJECTIONS"] = "0"
            self.projector_process = subprocess.Popen(
                [
                    PYTHON,
                    "-c",
                    "import sys; from web.cli import main; "
                    "sys.argv = ['voisinage', 'projections', 'run']; main()",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--keep-alive",
            "30",
            "--backlog",
            "2048",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "web:create_app()",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                client = Client(self.port, timeout=5)
                status, _ = client.request("GET", ready_path)
                client.close()
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer in time")

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the gunicorn arbiter)."""
        if self.process is None:
            return []
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        """Stop gunicorn (the arbiter stops its workers) and the projector."""
        projector = self.projector_process
        if projector is not None and projector.poll() is None:
            projector.send_signal(signal.SIGTERM)
            try:
                projector.wait(timeout=20)
            except subprocess.TimeoutExpired:
                projector.kill()
                projector.wait(timeout=10)
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for pid in self.worker_pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextlib.contextmanager
def serving(database_url: str, secrets: Any, **options: Any) -> Iterator[Server]:
    """A started server, stopped at the end."""
    server = Server(database_url, secrets, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def profile_workers(server: Server, seconds: float, out: Path) -> str:
    """Sample the workers with py-spy for `seconds` (if installed): top functions, one line."""
    import shutil

    spy = shutil.which("py-spy") or str(Path(PYTHON).with_name("py-spy"))
    if not Path(spy).exists():
        return "py-spy not installed: no profile"
    pids = server.worker_pids()
    if not pids:
        return "no worker to profile"
    results: list[subprocess.Popen[bytes]] = []
    files = []
    for pid in pids[:2]:
        target = out.with_name(f"{out.stem}-{pid}.txt")
        files.append(target)
        results.append(
            subprocess.Popen(
                [
                    spy,
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(max(1, int(seconds))),
                    "--format",
                    "raw",
                    "--rate",
                    "200",
                    "--nonblocking",
                    "--output",
                    str(target),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    for process in results:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=seconds + 30)
    return summarise_collapsed(files)


#: Frames that say where a request's time goes (substring of a collapsed frame -> label).
HTTP_PARTS = [
    ("insert_events", "INSERT+commit"),
    ("select_events", "aggregate reads (SELECT)"),
    ("actor_from_token", "token check (incl. participant read)"),
    ("cast_ballot", "cast_ballot (all)"),
    ("process_batch", "projections applying events"),
    ("select_notifications", "projections reading the log"),
    ("wsgi", "Flask/WSGI"),
    ("handle_request", "gunicorn request handling"),
]


def summarise_collapsed(files: list[Path]) -> str:
    """Shares of samples (busy threads only) whose stack contains each part."""
    totals: dict[str, int] = {label: 0 for _, label in HTTP_PARTS}
    busy = 0
    for file in files:
        if not file.exists():
            continue
        for record in file.read_text(errors="replace").splitlines():
            stack, _, count_text = record.rpartition(" ")
            try:
                count = int(count_text)
            except ValueError:
                continue
            idle = any(i in stack for i in ("wait (threading", "select (selectors", "_wait"))
            if idle and "insert_events" not in stack and "select_events" not in stack:
                continue
            busy += count
            for needle, label in HTTP_PARTS:
                if needle in stack:
                    totals[label] += count
    if not busy:
        return "no busy samples"
    ranked = sorted(((n / busy, label) for label, n in totals.items() if n), reverse=True)
    return "py-spy (busy samples): " + ", ".join(f"{label} {share:.0%}" for share, label in ranked)


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (all their threads), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def postgres_pids() -> list[int]:
    """Every local process named postgres (the server and all its backends)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class CpuMeter:
    """CPU used by the server's workers, the projector, PostgreSQL and this process."""

    def __init__(self, server: Server) -> None:
        self.server = server

    def _sample(self) -> dict[str, float]:
        projector = self.server.projector_process
        times = os.times()
        return {
            "workers": cpu_seconds(self.server.worker_pids()),
            "projector": cpu_seconds([projector.pid] if projector else []),
            "postgres": cpu_seconds(postgres_pids()),
            "client": times.user + times.system,
        }

    def __enter__(self) -> CpuMeter:
        self.before = self._sample()
        return self

    def __exit__(self, *_: object) -> None:
        after = self._sample()
        self.used = {k: after[k] - self.before[k] for k in after}

    def per(self, count: int) -> str:
        """CPU milliseconds per operation, by process group."""
        if not count:
            return ""
        parts = [f"{k} {v * 1000 / count:.2f}" for k, v in self.used.items() if v > 0]
        return "CPU ms per ballot: " + ", ".join(parts)


def run_clients(
    clients: int,
    work: Any,
    seconds: float,
) -> tuple[int, int, float, list[float]]:
    """Run `work(client_number, client, stop_event) -> (ok, errors, latencies)` in threads.

    Returns (successes, errors, elapsed seconds, latencies).
    """
    stop = threading.Event()
    results: list[tuple[int, int, list[float]]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def body(number: int) -> None:
        barrier.wait()
        outcome = work(number, stop)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=body, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started
    ok = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    latencies = [x for r in results for x in r[2]]
    return ok, errors, elapsed, latencies
