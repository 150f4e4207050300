"""The one error shape, and helpers that raise it.

Every error body is ``{code, status, message, error, errors?}``: ``message`` and
its twin ``error`` (read by the existing web client) always hold readable text.
Services raise ``common.exceptions`` (domain errors); this module alone turns them,
werkzeug's HTTP errors and database outages into responses.
"""

import logging

from flask import current_app, g, jsonify
from pymongo.errors import ConnectionFailure, NetworkTimeout, ServerSelectionTimeoutError
from werkzeug.exceptions import HTTPException

from ..common.exceptions import DomainError
from .request_ids import request_ids

log = logging.getLogger(__name__)

# What a 503 for a database outage tells clients (and load balancers) to wait, in seconds.
DATABASE_RETRY_AFTER_SECONDS = "5"

DEFAULT_MESSAGES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def error_body(code, message=None, errors=None, **extra):
    """The JSON body for an error response."""
    from http import HTTPStatus

    try:
        status = HTTPStatus(code).phrase
    except ValueError:
        status = "Error"
    text = message or DEFAULT_MESSAGES.get(code, status)
    body = {"code": code, "status": status, "message": text, "error": text}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def error_response(code, message=None, errors=None, headers=None, **extra):
    response = jsonify(error_body(code, message, errors, **extra))
    response.status_code = code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def handle_domain_error(error):
    """A service's ``common.exceptions.DomainError``: its status, message and field errors."""
    return error_response(error.status, error.message, error.errors, headers=error.headers, **error.extra)


def too_large_message():
    """The 413 text for this request: its route's own limit (``input_guard.body_limit``), else
    the global ``MAX_CONTENT_LENGTH``."""
    limit = g.get("body_limit")
    if limit is not None:
        return limit.message
    return f"Request body too large: the limit is {current_app.config['MAX_CONTENT_LENGTH']} bytes"


def _message_for(error):
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        return data["message"]
    errors = data.get("errors") or data.get("messages") or {}
    if isinstance(errors, dict) and errors.get("json") == ["Invalid JSON body."]:
        return "Malformed JSON body"
    if error.code == 400 and "json" in (error.description or "").lower():
        return "Malformed JSON body"
    if error.code == 413 and current_app.config.get("MAX_CONTENT_LENGTH"):
        return too_large_message()
    if error.code in DEFAULT_MESSAGES:
        return DEFAULT_MESSAGES[error.code]
    return error.description or error.name


def _errors_for(error):
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if isinstance(errors, dict) and "json" in errors and errors.get("json") == {"_schema": ["Invalid input type."]}:
        return {"json": {"_schema": ["The body must be a JSON object."]}}
    return errors


def handle_http_exception(error):
    if getattr(error, "response", None) is not None:
        return error.response  # built already in our shape (e.g. the rate limiter's 429)
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    response = error_response(error.code or 500, _message_for(error), _errors_for(error), headers=headers)
    if error.code == 429 and "Retry-After" not in response.headers:
        retry = getattr(error, "retry_after", None)
        if retry:
            response.headers["Retry-After"] = str(retry)
    return response


def database_unavailable(message="The database is unavailable; try again shortly", **extra):
    """503 with ``Retry-After``: every answer given during a database outage (requests, /ready)."""
    return error_response(503, message, headers={"Retry-After": DATABASE_RETRY_AFTER_SECONDS}, **extra)


def handle_database_unavailable(error):
    log.warning("database unavailable: %s", error.__class__.__name__)
    return database_unavailable()


def handle_database_timeout(error):
    """A query that outlasted the socket timeout: the database is up but too slow for it."""
    log.warning("database query timed out: %s", error.__class__.__name__)
    return error_response(
        504, "The database took too long to answer this request; narrow it (filters, page_size) or retry"
    )


def handle_unexpected(error):
    request_id = getattr(g, "request_id", None) or request_ids.new()
    log.exception("unhandled error (request_id=%s)", request_id)
    return error_response(500, f"Internal server error (request id {request_id})", request_id=request_id)


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(ServerSelectionTimeoutError, handle_database_unavailable)
    app.register_error_handler(ConnectionFailure, handle_database_unavailable)
    app.register_error_handler(NetworkTimeout, handle_database_timeout)
    app.register_error_handler(Exception, handle_unexpected)
