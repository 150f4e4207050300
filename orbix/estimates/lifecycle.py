"""Estimate statuses: draft -> sent -> accepted | declined, and expired computed from
``valid_until`` (like an invoice's overdue): a sent estimate past its last valid day reads
``expired`` in every response and filter, and can no longer be accepted."""

from ..invoices.lifecycle import check_move, start_of, today

DRAFT, SENT, ACCEPTED, DECLINED, EXPIRED = "draft", "sent", "accepted", "declined", "expired"
STATUSES = (DRAFT, SENT, ACCEPTED, DECLINED, EXPIRED)
ANSWERED = (ACCEPTED, DECLINED)

# Moves the owner may ask for (PUT {status}): send without e-mail, or record the client's
# answer given another way. ``expired`` is never set, only computed.
TRANSITIONS = {DRAFT: {SENT}, SENT: {ACCEPTED, DECLINED}, ACCEPTED: set(), DECLINED: set(), EXPIRED: set()}


def effective_status(doc, on=None):
    """Stored status, or ``expired`` once a sent estimate is past ``valid_until``."""
    status = doc.get("status")
    if status == SENT and doc["valid_until"].date() < (on or today()):
        return EXPIRED
    return status


def status_query(status, on=None):
    """A filter matching estimates whose *effective* status is ``status``."""
    if status == EXPIRED:
        return {"status": SENT, "valid_until": {"$lt": start_of(on or today())}}
    if status == SENT:
        return {"status": SENT, "valid_until": {"$gte": start_of(on or today())}}
    return {"status": status}


def check_transition(current, target):
    check_move(TRANSITIONS, current, target, "estimate")
