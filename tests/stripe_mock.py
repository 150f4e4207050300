"""stripe-mock (Stripe's own API mock, built by `make` into bin/stripe-mock) on a free port, for
the card payment tests (not a test module). It answers every Stripe API call with fixture data
after validating the request against Stripe's OpenAPI document, so a call we build wrongly fails
as it would at Stripe."""

import socket
import subprocess
import tempfile
import time
from pathlib import Path

from orbix.dev.managed import Managed
from orbix.dev.redis_server import free_port

BINARY = Path(__file__).resolve().parents[1] / "bin" / "stripe-mock"


class StripeMock(Managed):
    def __init__(self):
        self.port = free_port()
        self.process = self.log = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        assert BINARY.exists(), "bin/stripe-mock is missing: `make test` builds it (tools/stripe-mock/build.sh)"
        # stripe-mock also serves HTTPS, on port 12112 unless told: a free port of its own, so two
        # mocks at once (two test runs, the fuzzer) never collide on it.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop
        self.process = subprocess.Popen(
            [str(BINARY), "-http-addr", f"127.0.0.1:{self.port}", "-https-addr", f"127.0.0.1:{free_port()}"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self.url
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.log.seek(0)
        output = self.log.read()[-2000:].decode(errors="replace")
        self.stop()
        raise RuntimeError(f"stripe-mock did not start: {output}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        if self.log:
            self.log.close()
