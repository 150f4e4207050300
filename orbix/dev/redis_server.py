"""Starts a throwaway redis-server (Debian's package) for `make run` and the tests,
when no RATELIMIT_STORAGE_URI is given: rate-limit counters must be shared by all
gunicorn workers, which per-process memory cannot do. With ``tls=(certificate, key)`` it
serves TLS only (``rediss://``), like hosted Redis (Heroku's), for the tests."""

import shutil
import socket
import ssl
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


def _probe_context():
    """Only asks a local server we started whether it is up: no verification."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class RedisServer(Managed):
    def __init__(self, port=None, binary=None, tls=None):
        self.binary = binary or shutil.which("redis-server")
        self.port = port or free_port()
        self.tls = tls
        self.process = None
        self._dir = None

    @property
    def uri(self):
        return f"{'rediss' if self.tls else 'redis'}://127.0.0.1:{self.port}/0"

    def _listen_arguments(self):
        if not self.tls:
            return ["--port", str(self.port)]
        certificate, key = self.tls
        return ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", str(certificate),
                "--tls-key-file", str(key), "--tls-auth-clients", "no"]

    def _pong(self):
        with (socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as raw,
              _probe_context().wrap_socket(raw) if self.tls else raw as sock):
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def start(self, timeout=10):
        if not self.binary:
            raise RedisServerError("redis-server is not installed: `make` installs it (apt-get install redis-server)")
        self._dir = tempfile.mkdtemp(prefix="orbix-redis-")
        self.process = subprocess.Popen(
            [self.binary, *self._listen_arguments(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self._dir, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self._pong():
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
