"""Request bodies the API refuses before any route looks at them.

Too large: a body declared larger than ``MAX_CONTENT_LENGTH`` is 413, whatever its content
type (werkzeug alone would refuse it only when something reads it). Under gunicorn the client
must also be able to *read* that 413: a client sends the whole body before it reads the
answer, and gunicorn drains at most 64 KiB of an unread body before closing, so a client
still sending got a connection reset instead. ``DrainRefusedBody`` therefore reads and
discards the rest of a refused body before the answer goes out, up to ``DRAIN_MAX_BYTES``
and ``DRAIN_SECONDS``. Past either bound (a body declared larger is not read at all) gunicorn
sends the 413 and closes the connection: only a client that reads while it sends sees it, and
one sending that much is not one the API can serve anyway.

Invalid Unicode: JSON may encode lone UTF-16 surrogates (``"\\ud800"``); Python decodes them
into strings that cannot be encoded as UTF-8, so bcrypt, BSON and PDF rendering would fail deep
inside a handler. Refusing them up front answers 400 before anything is written.
"""

import json
import time

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import error_response

DRAIN_MAX_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10
DRAIN_PIECE = 64 * 1024


def _has_lone_surrogate(data):
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _drain(environ):
    """Read and discard what is left of the request body, within the bounds."""
    declared = environ.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > DRAIN_MAX_BYTES:
        return
    stream, sock = environ["wsgi.input"], environ.get("gunicorn.socket")
    deadline, drained = time.monotonic() + DRAIN_SECONDS, 0
    previous_timeout = sock.gettimeout() if sock is not None else None
    try:
        while drained <= DRAIN_MAX_BYTES and time.monotonic() < deadline:
            if sock is not None:
                sock.settimeout(deadline - time.monotonic())  # a stalled client must not hold this thread
            piece = stream.read(DRAIN_PIECE)
            if not piece:
                return
            drained += len(piece)
    except Exception:  # noqa: BLE001 - a timeout or a client gone: gunicorn closes the connection
        pass
    finally:
        if sock is not None:
            sock.settimeout(previous_timeout)


class DrainRefusedBody:
    """WSGI middleware: after the app refused a body with 413, and before the answer is
    written, drain the unread rest of the body (see the module docstring)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        statuses = []

        def remember(status, headers, exc_info=None):
            statuses.append(status)
            return start_response(status, headers, exc_info)

        body = self.app(environ, remember)
        if statuses and statuses[-1].startswith("413"):
            _drain(environ)
        return body


def init_input_guard(app):
    app.wsgi_app = DrainRefusedBody(app.wsgi_app)

    @app.before_request
    def _refuse_oversized_body():
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length and request.content_length > limit:
            raise RequestEntityTooLarge()

    @app.before_request
    def _reject_invalid_unicode():
        if not request.is_json or not request.content_length:
            return None
        data = request.get_json(silent=True)
        if data is not None and _has_lone_surrogate(data):
            return error_response(400, "The body contains invalid Unicode (a lone surrogate escape such as \\ud800)")
        return None
