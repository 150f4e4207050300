"""The signing audit trail (``contract_events``): one document per event of a contract, in the
order they happened, each with who (name, e-mail, IP, user agent, the signer's time zone when
known) and the SHA-256 of the text at that moment. Written by the step that makes the event,
after its write to the contract; read by ``GET /api/contracts/{id}/events`` and printed on the
PDF's audit certificate. Events are never changed; they go with their contract."""

from ..common.timeutil import utcnow
from ..db import collection
from . import CONTRACT_EVENTS

TYPES = ("created", "sent", "viewed", "signed", "countersigned", "declined", "expired")


def record(contract, type_, requester=None, *, name=None, email=None, timezone=None, details=None, at=None):
    """Append one event of ``contract`` (as it stands after the step); returns it."""
    requester = requester or {}
    event = {
        "contract_id": contract["_id"],
        "user_id": contract["user_id"],
        "type": type_,
        "at": at or utcnow(),
        "ip": requester.get("ip"),
        "user_agent": requester.get("user_agent"),
        "email": email,
        "name": name,
        "document_sha256": contract.get("content_sha256"),
        "signer_timezone": timezone,
        "details": details or {},
    }
    collection(CONTRACT_EVENTS).insert_one(event)
    return event


def events_of(contract):
    """Every event of the contract, oldest first."""
    return list(
        collection(CONTRACT_EVENTS).find(
            {"user_id": contract["user_id"], "contract_id": contract["_id"]}, sort=[("at", 1), ("_id", 1)]
        )
    )


def forget(contract):
    collection(CONTRACT_EVENTS).delete_many({"user_id": contract["user_id"], "contract_id": contract["_id"]})
