"""Starts a throwaway redis-server (Debian's package) for `make run` and the tests,
when no RATELIMIT_STORAGE_URI is given: rate-limit counters must be shared by all
gunicorn workers, which per-process memory cannot do."""

import shutil
import socket
import subprocess
import tempfile
import time

from .managed import Managed


class RedisServerError(RuntimeError):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer(Managed):
    def __init__(self, port=None, binary=None):
        self.binary = binary or shutil.which("redis-server")
        self.port = port or free_port()
        self.process = None
        self._dir = None

    @property
    def uri(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=10):
        if not self.binary:
            raise RedisServerError("redis-server is not installed: `make` installs it (apt-get install redis-server)")
        self._dir = tempfile.mkdtemp(prefix="orbix-redis-")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self._dir, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self.uri
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RedisServerError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
