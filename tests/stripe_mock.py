"""stripe-mock (Stripe's own API mock, built by `make` into bin/stripe-mock) on a free port, for
the card payment tests (not a test module). It answers every Stripe API call with fixture data
after validating the request against Stripe's OpenAPI document, so a call we build wrongly fails
as it would at Stripe."""

import socket
import subprocess
import time
from pathlib import Path

from orbix.dev.managed import Managed
from orbix.dev.redis_server import free_port

BINARY = Path(__file__).resolve().parents[1] / "bin" / "stripe-mock"


class StripeMock(Managed):
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        assert BINARY.exists(), "bin/stripe-mock is missing: `make test` builds it (tools/stripe-mock/build.sh)"
        self.process = subprocess.Popen([str(BINARY), "-http-addr", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self.url
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("stripe-mock did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
