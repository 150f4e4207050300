"""Starts and stops the embedded database (FerretDB on SQLite, our Go launcher in
tools/ferretdb) for development and tests, when no MONGO_URI is given; ``supervise``
restarts it when it dies (``make run``)."""

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .managed import Managed

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = ROOT / "bin" / "orbix-ferretdb"
# Restart delays after the database dies: doubling from the first to the last, and back to
# the first once a restarted process has stayed up for STABLE_SECONDS.
RESTART_BACKOFF_SECONDS = (1, 30)
STABLE_SECONDS = 60

log = logging.getLogger(__name__)


class EmbeddedDatabaseError(RuntimeError):
    pass


class EmbeddedDatabase(Managed):
    """A FerretDB process; ``data_dir=None`` gives a throwaway store in a temporary
    directory (FerretDB's in-memory SQLite mode deadlocks a write behind an open
    read, so tests use files too, on /dev/shm when available)."""

    def __init__(self, data_dir=None, listen="127.0.0.1:0", binary=None, start_timeout=30):
        self.binary = Path(binary or os.environ.get("ORBIX_FERRETDB_BIN") or DEFAULT_BINARY)
        self.data_dir = data_dir
        self.listen = listen
        self.start_timeout = start_timeout
        self.process = None
        self.uri = None
        self._tempdir = None
        self._lock = threading.Lock()  # a restart and stop() never interleave
        self._stopping = threading.Event()
        self._watcher = None

    def start(self):
        if not self.binary.exists():
            raise EmbeddedDatabaseError(f"{self.binary} is missing: run `make bin/orbix-ferretdb` (or `make run`)")
        if self.data_dir is None:
            shm = Path("/dev/shm")
            self._tempdir = tempfile.mkdtemp(prefix="orbix-db-", dir=shm if shm.is_dir() else None)
            self.data_dir = self._tempdir
        args = [str(self.binary), "-listen", self.listen, "-data-dir", str(self.data_dir)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not line or not line[0].startswith("mongodb://"):
            self._stop_process()
            raise EmbeddedDatabaseError("the embedded database did not start (see its output above)")
        self.uri = line[0].strip()
        return self.uri

    @property
    def address(self):
        """host:port the server listens on (for restarting it on the same port)."""
        return self.uri.removeprefix("mongodb://").rstrip("/") if self.uri else None

    def supervise(self):
        """Restart the process, with backoff, whenever it exits without ``stop()``: same data
        directory and same address, so clients (the API's MONGO_URI) simply reconnect."""
        self.listen = self.address  # a port picked by the system (":0") is kept from now on
        self._stopping.clear()
        self._watcher = threading.Thread(target=self._watch, name="embedded-db-supervisor", daemon=True)
        self._watcher.start()

    def _watch(self):
        delay = RESTART_BACKOFF_SECONDS[0]
        while not self._stopping.is_set():
            process, started = self.process, time.monotonic()
            code = process.wait() if process else None
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= STABLE_SECONDS:
                delay = RESTART_BACKOFF_SECONDS[0]
            log.error("embedded database exited (code %s); restarting on %s in %s s", code, self.listen, delay)
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_BACKOFF_SECONDS[1])
            with self._lock:
                if self._stopping.is_set():
                    return
                self._discard_process()
                try:
                    self.start()
                except EmbeddedDatabaseError as error:
                    log.error("embedded database did not restart: %s", error)
                    continue
            log.warning("embedded database restarted at %s (data in %s)", self.uri, self.data_dir)

    def stop(self, timeout=10):
        self._stopping.set()
        with self._lock:
            self._stop_process(timeout)
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout)
            self._watcher = None

    def _stop_process(self, timeout=10):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._discard_process()

    def _discard_process(self):
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        self.process = None

    def cleanup(self):
        """Stop and remove a temporary data directory."""
        self.stop()
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None
            self.data_dir = None

    def close(self):
        self.cleanup()
