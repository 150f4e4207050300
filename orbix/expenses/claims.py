"""Which invoice bills an expense: the shared claim rules (``common.claims``) over
``expenses`` and ``expense_claims``, exactly as for time entries. Invoicing calls these;
expense edits of billed fields hold a reservation (``EXPENSE_CLAIMS.reserved``)."""

from ..common.claims import Claims, unbilled_query
from ..db import collection
from . import EXPENSE_CLAIMS as CLAIMS
from . import EXPENSES

EXPENSE_CLAIMS = Claims(EXPENSES, CLAIMS)
UNBILLED = {"billable": True, "invoice_id": None}


def unbilled_expenses(user_id, client_id, project_id=None, expense_ids=None, start=None, end=None):
    """The caller's billable, not yet billed expenses of a client (and project), optionally
    among ``expense_ids`` and dated in ``[start, end)``: ``_id`` and ``currency`` of each."""
    query = unbilled_query(user_id, client_id, UNBILLED, project_id, expense_ids, "date", start, end)
    return list(collection(EXPENSES).find(query, {"currency": 1}).sort([("date", 1), ("_id", 1)]))
