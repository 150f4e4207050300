"""The message log and the ``mail.send`` job.

``queue(...)`` renders the bodies, writes the record (``queued``) and enqueues its job; if
the queue is unreachable the record is deleted again and ``Unavailable`` (503) propagates,
so nothing half-written remains. The job sends what the record holds (attachments are
built then, by the builder registered for their type), keyed by the message id, with a
``Message-ID`` header derived from it so a receiver can tell a repeat. Each attempt is
counted and its error kept; after the last one the record reads ``failed``.
"""

import logging

from bson import ObjectId
from flask import current_app, g

from ..common.exceptions import Unavailable
from ..common.timeutil import utcnow
from ..db import collection
from ..jobs.queue import enqueue
from ..jobs.registry import error_text, job
from . import MESSAGES, compose, rendering, transport

log = logging.getLogger(__name__)

SEND_JOB = "mail.send"
QUEUED, SENT, FAILED = "queued", "sent", "failed"

_attachment_builders = {}


def attachment_builder(kind):
    """Register ``build(user_id, spec) -> (filename, mimetype, bytes)`` for attachments of ``kind``."""

    def register(func):
        _attachment_builders[kind] = func
        return func

    return register


def _mail_settings():
    config = current_app.config
    if not config.get("SMTP_URL") or not config.get("MAIL_FROM"):
        raise Unavailable(
            "E-mail is not configured on this server (SMTP_URL, MAIL_FROM)", headers={"Retry-After": "60"}
        )
    return compose.parse_mailbox(config["MAIL_FROM"])


def queue(*, user_id, kind, to, subject, template, context, cc=(), sender_name=None, reply_to=None,
          attachments=(), invoice_id=None):
    """Record and enqueue one e-mail; returns the record.

    ``reply_to`` is (name, address) of the user; the From address is ``MAIL_FROM``'s, shown as
    ``sender_name`` when given. ``attachments`` are specs ``{"type": ..., "filename": ..., ...}``
    for the registered builders."""
    from_name, from_address = _mail_settings()
    text, html = rendering.render(template, subject=subject, sender_name=sender_name or from_name, **context)
    now = utcnow()
    message_id = ObjectId()
    record = {
        "_id": message_id,
        "user_id": user_id,
        "invoice_id": invoice_id,
        "kind": kind,
        "from": compose.mailbox_text(compose.display_name(sender_name or from_name), from_address),
        "reply_to": compose.mailbox_text(compose.display_name(reply_to[0]), reply_to[1]) if reply_to else None,
        "to": list(to),
        "cc": list(cc),
        "subject": subject,
        "text": text,
        "html": html,
        "attachments": [dict(spec) for spec in attachments],
        "status": QUEUED,
        "attempts": 0,
        "error": None,
        "request_id": getattr(g, "request_id", None),
        "queued_at": now,
        "sent_at": None,
        "failed_at": None,
        "created_at": now,
        "updated_at": now,
    }
    messages = collection(MESSAGES)
    messages.insert_one(record)
    try:
        record["job_id"] = enqueue(SEND_JOB, key=str(message_id), user_id=user_id)
    except Unavailable:
        messages.delete_one({"_id": message_id})
        raise
    return record


def list_for_invoice(user_id, invoice_id):
    """Every message about the invoice, oldest first (the log a user reads)."""
    return list(collection(MESSAGES).find({"user_id": user_id, "invoice_id": invoice_id}, sort=[("created_at", 1)]))


def _email(record):
    config = current_app.config
    _, from_address = compose.parse_mailbox(config["MAIL_FROM"])
    sender_name, _ = compose.parse_mailbox(record["from"])
    reply_to = compose.parse_mailbox(record["reply_to"]) if record.get("reply_to") else None
    files = [_attachment_builders[spec["type"]](record["user_id"], spec) for spec in record.get("attachments", [])]
    return compose.build(
        sender=(sender_name, from_address),
        to=record["to"],
        cc=record.get("cc") or (),
        reply_to=reply_to,
        subject=record["subject"],
        text=record["text"],
        html=record.get("html"),
        message_id=f"<{record['_id']}@{from_address.split('@', 1)[1]}>",
        attachments=files,
    )


def _mark_failed(message_id, error):
    now = utcnow()
    collection(MESSAGES).update_one(
        {"_id": ObjectId(message_id), "status": {"$ne": SENT}},
        {"$set": {"status": FAILED, "error": error, "failed_at": now, "updated_at": now}},
    )


@job(SEND_JOB, on_failure=_mark_failed)
def send(message_id):
    """Send the recorded message once: a message already sent (or deleted) is left alone."""
    messages = collection(MESSAGES)
    record = messages.find_one({"_id": ObjectId(message_id)})
    if record is None or record["status"] == SENT:
        return "skipped"
    messages.update_one({"_id": record["_id"]}, {"$inc": {"attempts": 1}, "$set": {"updated_at": utcnow()}})
    config = current_app.config
    try:
        transport.send(config["SMTP_URL"], _email(record), timeout=config["SMTP_TIMEOUT_SECONDS"])
    except Exception as exc:
        messages.update_one({"_id": record["_id"]}, {"$set": {"error": error_text(exc)}})
        raise
    now = utcnow()
    messages.update_one({"_id": record["_id"]}, {"$set": {"status": SENT, "sent_at": now, "error": None,
                                                         "updated_at": now}})
    log.info("message %s sent to %d recipients", message_id, len(record["to"]) + len(record.get("cc") or ()))
    return "sent"
