"""``Idempotency-Key`` for creates: a retried POST returns the first response instead
of writing twice.

Keys are scoped to the caller (token subject) and stored in MongoDB under
``_id = sha256(user, key)``, so a lookup is a primary-key read and two concurrent
requests with one key cannot both insert the record (the second gets 409 while the
first is in flight). The record holds a fingerprint of method, path and body (a multipart
body by its parts): the same key with a different request is 422. Records expire after 24
hours; failures (5xx, exceptions) release the key so the client can retry. Creates whose answer
carries a secret (``never_replayed``) are not recorded: the database would hold the secret.
"""

import contextlib
import hashlib
from datetime import timedelta

from flask import current_app, g, request
from pymongo.errors import DuplicateKeyError

from ..common.timeutil import utcnow
from ..db import collection
from .caller import caller_id, view_refusal
from .errors import error_response
from .fused_hooks import writes_only

COLLECTION = "idempotency_keys"
HEADER = "Idempotency-Key"
# /api/tokens: a replay would keep a new personal access token in clear in the stored response.
EXCLUDED_PREFIXES = ("/api/auth", "/api/public", "/api/tokens")
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("Content-Type", "Location", "Content-Disposition")


def never_replayed(view):
    """Mark a create whose answer carries a secret shown once (a public link's token): it is
    not stored for replays, so a retry with the same key simply creates another."""
    view.never_replayed = True
    return view


def _applies():
    return (
        request.method == "POST"
        and request.path.startswith("/api/")
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and HEADER in request.headers
        and not getattr(current_app.view_functions.get(request.endpoint), "never_replayed", False)
    )


def _begin():
    if not _applies():
        return None
    key = request.headers[HEADER].strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return error_response(422, f"{HEADER} must be 1-{MAX_KEY_LENGTH} characters",
                              errors={"headers": {HEADER: ["Must be 1-255 characters."]}})
    subject = caller_id()
    if subject is None or view_refusal() is not None:
        return None  # the view will answer 401 or 403; nothing to remember or replay
    record_id = hashlib.sha256(f"{subject}\x00{key}".encode()).hexdigest()
    fingerprint = hashlib.sha256(
        request.method.encode() + b"\x00" + request.path.encode() + b"\x00" + _body_digest()
    ).hexdigest()
    now = utcnow()
    keys = collection(COLLECTION)
    record = {"_id": record_id, "user_id": subject, "fingerprint": fingerprint, "state": "pending",
              "created_at": now, "expires_at": now + timedelta(seconds=_ttl())}
    try:
        keys.insert_one(record)
    except DuplicateKeyError:
        existing = keys.find_one({"_id": record_id})
        if existing is None or existing["expires_at"] <= now:
            keys.delete_one({"_id": record_id, "expires_at": {"$lte": now}})
            return _begin()
        if existing["fingerprint"] != fingerprint:
            return error_response(
                422,
                f"This {HEADER} was already used with a different request",
                errors={"headers": {HEADER: ["Reused with a different body or path."]}},
            )
        if existing["state"] != "done":
            return error_response(
                409, f"A request with this {HEADER} is still in progress", headers={"Retry-After": "1"}
            )
        return _replay(existing)
    g.idempotency_record = record_id
    return None


def _body_digest():
    """The body as the fingerprint sees it. A multipart body is taken by its parts (fields, file
    names and bytes), because a client retrying an upload picks a new random boundary."""
    if request.mimetype != "multipart/form-data":
        return request.get_data(cache=True)
    digest = hashlib.sha256()
    for name, value in sorted(request.form.items(multi=True)):
        digest.update(f"{name}\x00{value}\x00".encode())
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: (item[0], item[1].filename or "")):
        digest.update(f"{name}\x00{upload.filename}\x00".encode())
        for piece in iter(lambda stream=upload.stream: stream.read(1 << 20), b""):
            digest.update(piece)
        upload.stream.seek(0)  # the view reads it again
    return digest.digest()


def _ttl():
    return current_app.config.get("IDEMPOTENCY_TTL_SECONDS", 24 * 3600)


def _replay(existing):
    response = error_response(existing["status"])  # a JSON response to fill in
    response.set_data(existing["body"])
    response.status_code = existing["status"]
    for name, value in existing.get("headers", {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _finish(response):
    record_id = g.pop("idempotency_record", None)
    if record_id is None:
        return response
    keys = collection(COLLECTION)
    if response.status_code >= 500 or response.is_streamed:
        keys.delete_one({"_id": record_id})
        return response
    headers = {name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers}
    keys.update_one(
        {"_id": record_id},
        {"$set": {"state": "done", "status": response.status_code, "body": response.get_data(), "headers": headers}},
    )
    return response


def _abandon(exc):
    record_id = g.pop("idempotency_record", None)
    if record_id is not None:
        with contextlib.suppress(Exception):  # else the key simply expires
            collection(COLLECTION).delete_one({"_id": record_id})


def init_idempotency(app):
    app.before_request(writes_only(_begin))
    app.after_request(writes_only(_finish))
    app.teardown_request(writes_only(_abandon))


def purge_expired():
    """Remove expired records (FerretDB has no TTL indexes); returns how many."""
    return collection(COLLECTION).delete_many({"expires_at": {"$lte": utcnow()}}).deleted_count
