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


@contextmanager
def live_stack(log_path=None, **env_overrides):
    """Yields (base_url, gunicorn master process). With ``log_path`` the server's output
    (JSON logs, tracebacks of 500s) is appended to that file instead of discarded."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with EmbeddedDatabase() as database, RedisServer() as redis:
        env = {
            **os.environ,
            "MONGO_URI": database.uri.rstrip("/") + "/orbix_live",
            "RATELIMIT_STORAGE_URI": redis.uri,
            "JWT_SECRET_KEY": "live-stack-secret-live-stack-secret-0123456789",
            "ORBIX_ENV": "production",
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            **env_overrides,
        }
        bin_dir = Path(sys.executable).parent
        subprocess.run(
            [str(bin_dir / "flask"), "--app", "wsgi", "migrate"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT if log_path else subprocess.DEVNULL,
        )
        try:
            wait_ready(base)
            yield base, server
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            if log_path:
                log.close()
