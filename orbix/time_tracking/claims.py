"""Which invoice bills a time entry: the shared claim rules (``common.claims``) over
``time_entries`` and ``time_entry_claims``. Invoicing calls these functions; only this package
writes those collections.
"""

from ..common.claims import Claims, unbilled_query
from ..db import collection
from ..projects.store import projects_by_id
from . import TIME_ENTRIES as ENTRIES
from . import TIME_ENTRY_CLAIMS as CLAIMS
from . import ledger
from .billing import follow_project_client

UNBILLED = {"is_billable": True, "end_time": {"$ne": None}, "invoice_id": None, "duration": {"$gt": 0}}


def unbilled_entry_ids(user_id, client_id, project_id=None, entry_ids=None, start=None, end=None):
    """Ids of the caller's billable, stopped, not yet invoiced entries for a client (and
    project), optionally among ``entry_ids`` and starting in ``[start, end)``."""
    query = unbilled_query(user_id, client_id, UNBILLED, project_id, entry_ids, "start_time", start, end)
    return [e["_id"] for e in collection(ENTRIES).find(query, {"_id": 1})]


def _follow_projects(entry_ids, user_id):
    """Give released entries their project's current client: moving a project to another
    client skips invoiced entries (``billing.follow_project_client``)."""
    entries = collection(ENTRIES).find(
        {"_id": {"$in": entry_ids}, "user_id": user_id, "project_id": {"$ne": None}}, {"project_id": 1}
    )
    project_ids = [e["project_id"] for e in entries]
    for project in projects_by_id(user_id, project_ids, {"client_id": 1}).values():
        follow_project_client(user_id, project["_id"], project.get("client_id"), entry_ids)


ENTRY_CLAIMS = Claims(ENTRIES, CLAIMS, touched=ledger.touched, released=_follow_projects)


def claimed_entries(entry_ids, invoice_id):
    """The entries claimed for ``invoice_id`` among ``entry_ids``."""
    return ENTRY_CLAIMS.claimed(entry_ids, invoice_id)


def claim(entry_ids, invoice_id, user_id, invoice_exists):
    """Claim as many of ``entry_ids`` as are free; returns the set claimed for ``invoice_id``."""
    return ENTRY_CLAIMS.claim(entry_ids, invoice_id, user_id, invoice_exists)


def release_entries(entry_ids, invoice_id, user_id):
    ENTRY_CLAIMS.release(entry_ids, invoice_id, user_id)


def release_invoice(invoice_id, user_id):
    """Un-bill every entry of a deleted or voided invoice."""
    ENTRY_CLAIMS.release_invoice(invoice_id, user_id)
