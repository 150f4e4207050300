"""Rejects request bodies that JSON can carry but nothing downstream can store.

JSON may encode lone UTF-16 surrogates (``"\\ud800"``); Python decodes them into strings
that cannot be encoded as UTF-8, so bcrypt, BSON and PDF rendering would fail deep inside
a handler. Refusing them up front answers 400 before anything is written.
"""

import json

from flask import request

from .errors import error_response


def _has_lone_surrogate(data):
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def init_input_guard(app):
    @app.before_request
    def _reject_invalid_unicode():
        if not request.is_json or not request.content_length:
            return None
        data = request.get_json(silent=True)
        if data is not None and _has_lone_surrogate(data):
            return error_response(400, "The body contains invalid Unicode (a lone surrogate escape such as \\ud800)")
        return None
