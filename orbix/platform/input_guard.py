"""Request bodies the API refuses before any view, rate limit or schema reads them.

- Size: a body over ``MAX_CONTENT_LENGTH`` (or its route's own limit, ``body_limit``) is 413,
  whether it declares a Content-Length (whatever its content type) or is streamed
  (``Transfer-Encoding: chunked``, which gunicorn dechunks; werkzeug silently cuts a streamed
  JSON body at the limit instead, and refuses a streamed form body past it).
  Under gunicorn the client must also be able to *read* that 413: a client sends the whole
  body before it reads the answer, and gunicorn drains at most 64 KiB of an unread body
  before closing, so a client still sending got a connection reset. ``drain_refused_body``
  (called by ``platform.wsgi_edge``) reads and discards the rest of a refused body before the
  answer goes out, up to ``DRAIN_MAX_BYTES`` and ``DRAIN_SECONDS``; past either bound gunicorn
  sends the 413 and closes the connection.
- Depth: JSON nested deeper than ``MAX_JSON_DEPTH`` is 400. Python's json raises
  RecursionError (not a ValueError) near 1,000 levels, which every parser above us
  reported as a 500. Checked on the raw bytes, in C-speed passes.
- Syntax: anything json cannot parse (including integers over Python's 4,300-digit
  conversion limit, a ValueError the schema parser does not catch) is 400 here.
- Unicode: JSON may encode lone UTF-16 surrogates (``"\\ud800"``); Python decodes them
  into strings that cannot be encoded as UTF-8, so bcrypt, BSON and PDF rendering would
  fail deep inside a handler. Refusing them up front answers 400 before anything is written.
"""


import json
import re
import time
from array import array
from itertools import accumulate
from typing import NamedTuple

from flask import current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import error_response

DRAIN_MAX_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10
DRAIN_PIECE = 64 * 1024

# Far deeper than any body the API takes (a resume is 4 levels), far below the recursion limit.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_SIGN = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def nested_too_deep(raw, limit=MAX_JSON_DEPTH):
    """Whether the JSON text ``raw`` (bytes) nests arrays/objects more than ``limit`` deep.

    Strings are cut out (brackets inside them do not nest), every other byte but the
    brackets dropped, and the running depth is the prefix sum of +1/-1 per bracket."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    signs = array("b", _JSON_STRING.sub(b"", raw).translate(_BRACKET_SIGN, _NOT_BRACKET))
    return max(accumulate(signs), default=0) > limit


def _has_lone_surrogate(data):
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _streamed():
    return request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _body():
    """The body bytes (empty without one), or None when a streamed body outgrows the limit.

    Werkzeug reads a streamed body only up to ``max_content_length`` and stops without an
    error; one more byte left in the server's stream means the body was larger."""
    if _streamed():
        raw = request.get_data(cache=True)
        limit = request.max_content_length
        if limit is not None and len(raw) >= limit and request.environ["wsgi.input"].read(1):
            return None
        return raw
    if not request.content_length:
        return b""
    return request.get_data(cache=True)  # a declared length over the limit raises 413 here


def drain_refused_body(environ):
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


class BodyLimit(NamedTuple):
    max_bytes: int
    message: str


def body_limit(max_bytes, message):
    """Route decorator (below ``blp.route``): this endpoint takes bodies up to ``max_bytes``
    instead of ``MAX_CONTENT_LENGTH`` (file uploads), and refuses larger ones with 413 and
    ``message``. Every other route keeps the global limit."""

    def mark(view):
        view.body_limit = BodyLimit(max_bytes, message)
        return view

    return mark


_route_limits = {}  # endpoint -> its BodyLimit or None, looked up once per process (the decorators are fixed)


def _route_limit(endpoint):
    if endpoint not in _route_limits:
        view = current_app.view_functions.get(endpoint) if endpoint else None
        _route_limits[endpoint] = getattr(view, "body_limit", None)
    return _route_limits[endpoint]


def _refuse_oversized(current):
    """413 for a declared length over the route's limit (or ``MAX_CONTENT_LENGTH``)."""
    route_limit = _route_limit(current.endpoint)
    if route_limit is not None:
        g.body_limit = route_limit
        current.max_content_length = route_limit.max_bytes  # werkzeug's form parser enforces it too
    elif "CONTENT_LENGTH" not in current.environ:
        return  # no declared length: nothing to compare (chunked bodies are read with the limit)
    limit = current.max_content_length
    if limit and current.content_length and current.content_length > limit:
        raise RequestEntityTooLarge()


def _json_body_refusal(current):
    """The error answer for a JSON body too large, too deep, malformed or with a lone surrogate;
    None when it is fine."""
    raw = _body()
    if raw is None:
        return error_response(413, f"Request body too large (at most {current.max_content_length} bytes)")
    if not raw:
        return None
    if nested_too_deep(raw):
        return error_response(400, f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)")
    try:
        data = json.loads(raw)
    except ValueError:
        return error_response(400, "Malformed JSON body")
    if _has_lone_surrogate(data):
        return error_response(400, "The body contains invalid Unicode (a lone surrogate escape such as \\ud800)")
    return None


def init_input_guard(app):
    @app.before_request
    def _guard_input():
        current = request._get_current_object()  # one context lookup, not one per attribute
        _refuse_oversized(current)
        if "json" not in current.environ.get("CONTENT_TYPE", "") or not current.is_json:
            return None  # only JSON bodies are read (by the schemas); others are never parsed
        return _json_body_refusal(current)
