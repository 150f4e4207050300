"""A live Orbix for benchmarks and fuzzing: the embedded database (temporary directory),
a redis-server and gunicorn with the production config on a free port."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
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
