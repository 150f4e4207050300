"""Refuses request bodies that JSON can carry but nothing downstream can handle, before
any view, rate limit or schema reads them.

- Size: a body over ``MAX_CONTENT_LENGTH`` is 413, whether it declares a Content-Length
  or is streamed (``Transfer-Encoding: chunked``, which gunicorn dechunks). Werkzeug
  silently cuts a streamed body at the limit instead, so the rest went unnoticed.
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
from array import array
from itertools import accumulate

from flask import request

from .errors import error_response

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


def init_input_guard(app):
    @app.before_request
    def _guard_body():
        if not request.is_json:
            return None  # only JSON bodies are read (by the schemas); others are never parsed
        raw = _body()
        if raw is None:
            return error_response(413, f"Request body too large (at most {request.max_content_length} bytes)")
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
