"""A live Orbix for benchmarks and fuzzing: the embedded database (temporary directory),
a redis-server and gunicorn with the production config on a free port."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.dev.redis_server import RedisServer, free_port  # noqa: E402


def call(base, method, path, body=None, token=None):
    """A JSON request to the live server; returns the decoded body."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def upload(base, path, filename, data, token, fields=None):
    """A multipart/form-data POST of one file part ``file`` (and text ``fields``); returns the
    decoded body."""
    boundary = "orbix-" + os.urandom(8).hex()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in (fields or {}).items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n\r\n'.encode()
        + data + b"\r\n"
    )
    request = urllib.request.Request(
        base + path, data=b"".join(parts) + f"--{boundary}--\r\n".encode(), method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def send_chunked(base, path, body, headers=None, chunk_size=65536, timeout=30):
    """POST ``body`` (bytes) with ``Transfer-Encoding: chunked`` over a raw socket, as
    urllib cannot; returns (status, decoded JSON body). The server may answer (a 413) and
    close before the whole body is sent: the answer is read all the same."""
    host, port = base.rsplit("/", 1)[-1].split(":")
    head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Content-Type: application/json",
            "Transfer-Encoding: chunked", "Connection: close"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    chunks = [body[i:i + chunk_size] for i in range(0, len(body), chunk_size)]
    payload = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        with suppress(BrokenPipeError, ConnectionResetError):  # answered early: the answer is buffered
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        received = b""
        with suppress(ConnectionResetError):
            while data := sock.recv(65536):
                received += data
    status_line, _, rest = received.partition(b"\r\n")
    _, _, content = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(content or b"null")


def wait_ready(base, timeout=30):
    """Until /ready answers 200 (RuntimeError after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            call(base, "GET", "/ready")
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    raise RuntimeError("server did not become ready")


def _stack_env(database, redis, **overrides):
    return {
        **os.environ,
        "MONGO_URI": database.uri.rstrip("/") + "/orbix_live",
        "RATELIMIT_STORAGE_URI": redis.uri,
        "JWT_SECRET_KEY": "live-stack-secret-live-stack-secret-0123456789",
        "ORBIX_ENCRYPTION_KEY": "live-stack-encryption-secret-0123456789abcdef",
        "ORBIX_ENV": "production",
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def _start(command, env, log_path):
    """A child process whose output is appended to ``log_path`` (or discarded)."""
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed by _stop
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT if log_path else subprocess.DEVNULL)
    process.log = log
    return process


def _stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.log is not subprocess.DEVNULL:
        process.log.close()


BIN_DIR = Path(sys.executable).parent
GUNICORN = [str(BIN_DIR / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
WORKER = [sys.executable, "-m", "orbix.jobs.worker"]


def _migrate(env):
    subprocess.run([str(BIN_DIR / "flask"), "--app", "wsgi", "migrate"], env=env, cwd=ROOT, check=True,
                   capture_output=True)


@contextmanager
def live_stack(log_path=None, **env_overrides):
    """Yields (base_url, gunicorn master process). With ``log_path`` the server's output
    (JSON logs, tracebacks of 500s) is appended to that file instead of discarded."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with EmbeddedDatabase() as database, RedisServer() as redis:
        env = _stack_env(database, redis, PORT=str(port), **env_overrides)
        _migrate(env)
        server = _start(GUNICORN, env, log_path)
        try:
            wait_ready(base)
            yield base, server
        finally:
            _stop(server)


class Cluster:
    """App instances and workers sharing one database and one Redis (see ``live_cluster``)."""

    def __init__(self, env, log_dir):
        self.env, self.log_dir = env, Path(log_dir)
        self.bases, self.workers, self.processes = [], [], []

    def start_apps(self, count):
        for _ in range(count):
            port = free_port()
            self.bases.append(f"http://127.0.0.1:{port}")
            log = self.log_dir / f"app-{len(self.bases)}.log"
            self.processes.append(_start(GUNICORN, {**self.env, "PORT": str(port)}, log))
        for base in self.bases:
            wait_ready(base)

    def start_workers(self, count):
        for _ in range(count):
            worker = _start(WORKER, self.env, self.log_dir / f"worker-{len(self.workers) + 1}.log")
            self.workers.append(worker)
            self.processes.append(worker)

    def logs(self, kind):
        """The JSON log lines of every ``kind`` process ("app" or "worker"), decoded."""
        lines = []
        for path in sorted(self.log_dir.glob(f"{kind}-*.log")):
            for line in path.read_text(errors="replace").splitlines():
                with suppress(ValueError):
                    lines.append(json.loads(line))
        return lines


@contextmanager
def live_cluster(log_dir, apps=2, **env_overrides):
    """Several app instances (gunicorn) on one database and one Redis, as a scaled deployment
    runs; ``cluster.start_workers(n)`` adds job workers. Each process logs to
    ``log_dir/app-N.log`` or ``log_dir/worker-N.log``."""
    with EmbeddedDatabase() as database, RedisServer() as redis:
        env = _stack_env(database, redis, **env_overrides)
        _migrate(env)
        cluster = Cluster(env, log_dir)
        try:
            cluster.start_apps(apps)
            yield cluster
        finally:
            for process in cluster.processes:
                _stop(process)
