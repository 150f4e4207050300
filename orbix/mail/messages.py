"""The message log and the ``mail.send`` job.

``queue(...)`` renders the bodies, writes the record (``queued``) and enqueues its job; if
the queue is unreachable the record is deleted again and ``Unavailable`` (503) propagates,
so nothing half-written remains. The job sends what the record holds (attachments are
built then, by the builder registered for their type), keyed by the message id, with a
``Message-ID`` header derived from it so a receiver can tell a repeat. Each attempt is
counted and its error kept; after the last one the record reads ``failed``. A kind of message
that may stop being wanted while it waits (a payment reminder once the invoice is paid)
registers a ``send_check``; the job asks it right before sending and, when it names a reason,
records the message as ``cancelled`` instead.

Links that carry a secret (the token of a public invoice page) are made by the job too, by
the builder registered for their type: the stored bodies hold a random marker in their place,
so the database never holds the secret, and each attempt replaces the marker with a new link.
"""

import logging
import secrets

from bson import ObjectId
from flask import current_app, g
from markupsafe import escape

from ..common.exceptions import Unavailable
from ..common.timeutil import utcnow
from ..db import collection
from ..jobs.queue import enqueue
from ..jobs.registry import error_text, job
from . import MESSAGES, compose, rendering, transport

log = logging.getLogger(__name__)

SEND_JOB = "mail.send"
QUEUED, SENT, FAILED, CANCELLED = "queued", "sent", "failed", "cancelled"

_attachment_builders = {}
_send_checks = {}
_link_builders = {}


def attachment_builder(kind):
    """Register ``build(user_id, spec) -> (filename, mimetype, bytes)`` for attachments of ``kind``."""

    def register(func):
        _attachment_builders[kind] = func
        return func

    return register


def send_check(kind):
    """Register ``check(record) -> reason or None`` for messages of ``kind``: a reason cancels
    the message instead of sending it."""

    def register(func):
        _send_checks[kind] = func
        return func

    return register


def link_builder(kind):
    """Register ``build(user_id, spec) -> url`` for links of ``kind``, made when the e-mail is sent."""

    def register(func):
        _link_builders[kind] = func
        return func

    return register


def configured():
    """Whether this server can send e-mail at all (SMTP_URL and MAIL_FROM set)."""
    config = current_app.config
    return bool(config.get("SMTP_URL") and config.get("MAIL_FROM"))


def _mail_settings():
    config = current_app.config
    if not configured():
        raise Unavailable(
            "E-mail is not configured on this server (SMTP_URL, MAIL_FROM)", headers={"Retry-After": "60"}
        )
    return compose.parse_mailbox(config["MAIL_FROM"])


def queue(*, user_id, kind, to, subject, template, context, cc=(), sender_name=None, reply_to=None,
          attachments=(), invoice_id=None, estimate_id=None, ref=None, links=None):
    """Record and enqueue one e-mail; returns the record.

    ``reply_to`` is (name, address) of the user; the From address is ``MAIL_FROM``'s, shown as
    ``sender_name`` when given. ``attachments`` are specs ``{"type": ..., "filename": ..., ...}``
    for the registered builders; ``links`` maps template variables to specs ``{"type": ...}`` of
    the registered link builders. ``ref`` names what the message was sent for (a reminder
    claim), so its sender can find it again. ``invoice_id`` or ``estimate_id`` names the
    document the message is about (its message log)."""
    from_name, from_address = _mail_settings()
    links = [{**spec, "marker": f"orbix-link-{secrets.token_hex(16)}", "name": name}
             for name, spec in (links or {}).items()]
    context = {**context, **{link["name"]: link["marker"] for link in links}}
    text, html = rendering.render(template, subject=subject, sender_name=sender_name or from_name, **context)
    now = utcnow()
    message_id = ObjectId()
    record = {
        "_id": message_id,
        "user_id": user_id,
        "invoice_id": invoice_id,
        **({"estimate_id": estimate_id} if estimate_id else {}),
        "kind": kind,
        "ref": ref,
        "from": compose.mailbox_text(compose.display_name(sender_name or from_name), from_address),
        "reply_to": compose.mailbox_text(compose.display_name(reply_to[0]), reply_to[1]) if reply_to else None,
        "to": list(to),
        "cc": list(cc),
        "subject": subject,
        "text": text,
        "html": html,
        "attachments": [dict(spec) for spec in attachments],
        "links": links,
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


def list_for(user_id, about):
    """Every message about a document, oldest first (the log a user reads); ``about`` is
    ``{"invoice_id": id}`` or ``{"estimate_id": id}``."""
    return list(collection(MESSAGES).find({"user_id": user_id, **about}, sort=[("created_at", 1)]))


def list_for_invoice(user_id, invoice_id):
    """Every message about the invoice, oldest first (the log a user reads)."""
    return list_for(user_id, {"invoice_id": invoice_id})


def last_link_base(user_id, invoice_id=None, about=None):
    """The base URL the latest e-mail about the invoice (or the document ``about`` names, see
    ``list_for``) linked to, or None: what a job (which has no request to take it from) links
    to when ``PUBLIC_BASE_URL`` is unset."""
    for record in collection(MESSAGES).find(
        {"user_id": user_id, **(about or {"invoice_id": invoice_id})}, {"links": 1}, sort=[("created_at", -1)],
        limit=20,
    ):
        for link in record.get("links") or ():
            if link.get("base_url"):
                return link["base_url"]
    return None


def _email(record):
    config = current_app.config
    _, from_address = compose.parse_mailbox(config["MAIL_FROM"])
    sender_name, _ = compose.parse_mailbox(record["from"])
    reply_to = compose.parse_mailbox(record["reply_to"]) if record.get("reply_to") else None
    files = [_attachment_builders[spec["type"]](record["user_id"], spec) for spec in record.get("attachments", [])]
    text, html = record["text"], record.get("html")
    for link in record.get("links", []):
        url = _link_builders[link["type"]](record["user_id"], link)
        text = text.replace(link["marker"], url)
        html = html.replace(link["marker"], str(escape(url))) if html else html
    return compose.build(
        sender=(sender_name, from_address),
        to=record["to"],
        cc=record.get("cc") or (),
        reply_to=reply_to,
        subject=record["subject"],
        text=text,
        html=html,
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
    if record is None or record["status"] in (SENT, CANCELLED):
        return "skipped"
    check = _send_checks.get(record["kind"])
    reason = check(record) if check else None
    if reason:
        now = utcnow()
        messages.update_one({"_id": record["_id"]}, {"$set": {"status": CANCELLED, "error": reason, "updated_at": now}})
        log.info("message %s cancelled: %s", message_id, reason)
        return "cancelled"
    messages.update_one({"_id": record["_id"]}, {"$inc": {"attempts": 1}, "$set": {"updated_at": utcnow()}})
    config = current_app.config
    try:
        transport.send(config["SMTP_URL"], _email(record), timeout=config["SMTP_TIMEOUT_SECONDS"],
                       ca_file=config.get("SMTP_CA_FILE"))
    except Exception as exc:
        messages.update_one({"_id": record["_id"]}, {"$set": {"error": error_text(exc)}})
        raise
    now = utcnow()
    messages.update_one({"_id": record["_id"]}, {"$set": {"status": SENT, "sent_at": now, "error": None,
                                                         "updated_at": now}})
    log.info("message %s sent to %d recipients", message_id, len(record["to"]) + len(record.get("cc") or ()))
    return "sent"
