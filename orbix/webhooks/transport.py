"""One webhook POST, with the standard library's ``http.client``.

It connects to the address ``targets.resolve`` checked while the Host header, TLS server
name and certificate check use the URL's host. Redirects are not followed (a 3xx is a
failed attempt), no proxy from the environment is used, the whole exchange has one
deadline (a receiver trickling its answer cannot hold a worker longer), and at most
``RESPONSE_LIMIT`` bytes of the answer are read and kept.
"""

import http.client
import socket
import ssl
import threading
import time
from contextlib import suppress
from dataclasses import dataclass

from ..jobs.registry import error_text

RESPONSE_LIMIT = 1024


@dataclass(frozen=True)
class Outcome:
    status: int | None = None  # the response code, None when there was no response
    body: str | None = None  # the first RESPONSE_LIMIT bytes of the answer, as text
    duration_ms: int = 0
    error: str | None = None

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300


class _Pinned:
    """An HTTP(S) connection to ``address`` that speaks to the server as ``host``."""

    def __init__(self, *args, address, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = lambda _named, *rest, **options: socket.create_connection(
            (address, self.port), *rest, **options
        )


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    pass


def _connection(target, timeout):
    if target.scheme == "https":
        return _PinnedHTTPS(target.host, target.port, timeout=timeout, context=ssl.create_default_context(),
                            address=target.address)
    return _PinnedHTTP(target.host, target.port, timeout=timeout, address=target.address)


def _cut_off(conn, expired):
    """The deadline passed: end the exchange by shutting the socket (the read then fails)."""
    expired.set()
    sock = conn.sock
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def post(target, body, headers, timeout):
    """POST ``body`` (bytes) to ``target``; an ``Outcome`` whatever happens (never raises)."""
    conn = _connection(target, timeout)
    expired = threading.Event()
    deadline = threading.Timer(timeout, _cut_off, (conn, expired))
    deadline.daemon = True
    started = time.monotonic()

    def elapsed():
        return round((time.monotonic() - started) * 1000)

    deadline.start()
    try:
        conn.request("POST", target.path, body=body, headers={**headers, "Connection": "close"})
        response = conn.getresponse()
        raw = response.read(RESPONSE_LIMIT)
        status = response.status
        error = None if 200 <= status < 300 else f"HTTP {status} {response.reason}".strip()
        return Outcome(status, raw.decode("utf-8", "replace"), elapsed(), error)
    except TimeoutError:
        return Outcome(duration_ms=elapsed(), error=f"Timed out after {timeout:g} s")
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            return Outcome(duration_ms=elapsed(), error=f"Timed out after {timeout:g} s")
        return Outcome(duration_ms=elapsed(), error=error_text(exc, 500))
    finally:
        deadline.cancel()
        conn.close()
