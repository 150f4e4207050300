"""Invoice statuses: the allowed moves, and overdue computed from the due date.

``overdue`` is never waited for: a sent (or part-paid) invoice whose due date has
passed reads as overdue in every response and filter; the ``mark-overdue`` CLI
command only persists it so reports can query the stored status.
"""

from datetime import datetime, time

from ..common import timeutil
from ..common.exceptions import conflict
from ..common.timeutil import UTC

DRAFT, SENT, PARTIAL, PAID, OVERDUE, VOID = "draft", "sent", "partial", "paid", "overdue", "void"
STATUSES = (DRAFT, SENT, PARTIAL, PAID, OVERDUE, VOID)
OPEN = (SENT, PARTIAL, OVERDUE)  # issued and not settled: payments allowed
CAN_BECOME_OVERDUE = (SENT, PARTIAL)

# Moves a caller may ask for (PUT {status}). ``partial`` and ``paid`` also follow from
# payments; ``paid`` asked for directly records a payment of the balance.
TRANSITIONS = {
    DRAFT: {SENT, VOID},
    SENT: {PAID, OVERDUE, VOID},
    PARTIAL: {PAID, OVERDUE},
    OVERDUE: {PAID, VOID},
    PAID: set(),
    VOID: set(),
}


def today():
    return timeutil.utc_today()


def start_of(day):
    """A calendar date as the stored BSON date (UTC midnight)."""
    return datetime.combine(day, time(), UTC)


def effective_status(doc, on=None):
    """The status as callers see it: stored, or ``overdue`` once an unpaid invoice is past due."""
    status = doc.get("status")
    due = doc.get("due_date")
    if status in CAN_BECOME_OVERDUE and due is not None and due.date() < (on or today()):
        return OVERDUE
    return status


def past_due_query(on=None):
    return {"status": {"$in": list(CAN_BECOME_OVERDUE)}, "due_date": {"$lt": start_of(on or today())}}


def status_query(status, on=None):
    """A MongoDB filter matching invoices whose *effective* status is ``status``."""
    if status == OVERDUE:
        return {"$or": [{"status": OVERDUE}, past_due_query(on)]}
    if status in CAN_BECOME_OVERDUE:
        return {"status": status, "due_date": {"$gte": start_of(on or today())}}
    return {"status": status}


def overdue_query(flag, on=None):
    """``overdue=true`` / ``overdue=false`` as a filter."""
    if flag:
        return status_query(OVERDUE, on)
    return {
        "$or": [
            {"status": {"$in": [DRAFT, PAID, VOID]}},
            {"status": {"$in": list(CAN_BECOME_OVERDUE)}, "due_date": {"$gte": start_of(on or today())}},
        ]
    }


def check_move(transitions, current, target, what):
    """409 naming both states unless ``current -> target`` is in ``transitions`` (same state is
    a no-op); ``what`` names the document (invoice, estimate)."""
    if target == current or target in transitions.get(current, set()):
        return
    allowed = ", ".join(sorted(transitions.get(current, set()))) or "none (final)"
    conflict(f"Cannot change {what} status from {current} to {target} (allowed from {current}: {allowed})")


def check_transition(current, target):
    check_move(TRANSITIONS, current, target, "invoice")


def status_after_payments(total, paid):
    """Stored status of an issued invoice from what has been paid."""
    if paid <= 0:
        return SENT
    return PAID if paid >= total else PARTIAL
