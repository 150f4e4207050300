"""``POST /api/estimates/{id}/convert``: an accepted estimate becomes a draft invoice, once.

Under the estimate's lock, the estimate is read again: if it already names an invoice the
call is 409 naming it, so concurrent calls make exactly one invoice. The invoice is made by
``invoices.service.new_invoice`` from the estimate's lines (priced again by the same rules,
so the amounts are equal), tax and discount (as amounts or rates, as given), payment terms
and notes. With ``create_project`` a project for the client is made first, its budget the
estimate's total (in the estimate's currency, which must be the client's billing currency,
the one projects keep their money in); if the invoice then cannot be made it is deleted again.
"""

from ..clients.service import require_client
from ..common import money, rates
from ..common.exceptions import conflict, unprocessable
from ..common.timeutil import utcnow
from ..db import collection
from ..invoices import INVOICES, totals
from ..invoices import service as invoices
from ..projects import service as projects
from . import lifecycle, service


def _project(user, estimate, client, data):
    """A new project for the client with the total as budget, or None when not asked."""
    if not data.get("create_project"):
        return None
    if estimate.get("project_id"):
        unprocessable("create_project", "The estimate has a project already; its invoice is billed to it.")
    if rates.billing_currency(client, user) != estimate["currency"]:
        unprocessable("create_project", "A project keeps its budget in the client's billing currency "
                                        f"({rates.billing_currency(client, user)}), not {estimate['currency']}.")
    name = data.get("project_name") or f"Estimate {estimate['estimate_number']}"
    budget = money.from_minor(estimate["total"], estimate["currency"])
    fields = {"name": name, "client_id": client["_id"], "budget": budget, "status": "active", "archived": False}
    return projects.create_project(user, fields)


def _invoice(user, estimate, client, project_id, due_date):
    data = {
        "due_date": due_date,
        "payment_terms": estimate.get("payment_terms"),
        "notes": estimate.get("notes"),
        **totals.adjustments_after(estimate),
    }
    items = [totals.input_item(item) for item in estimate["items"]]
    invoice = invoices.new_invoice(user, client, data, items, estimate["currency"], project_id=project_id,
                                   estimate_id=estimate["_id"])
    return invoice


def convert(user, estimate_id, data):
    """The draft invoice made from the estimate (with its project when asked)."""
    estimate = service.find_estimate(user["_id"], estimate_id)
    with service.estimate_lock(estimate["_id"]):
        estimate = service.find_estimate(user["_id"], estimate_id)
        if estimate.get("converted_invoice_id"):
            made = collection(INVOICES).find_one({"_id": estimate["converted_invoice_id"]}, {"invoice_number": 1})
            conflict(f"This estimate was converted already, into invoice "
                     f"{made['invoice_number'] if made else estimate['converted_invoice_id']}")
        status = lifecycle.effective_status(estimate)
        if status != lifecycle.ACCEPTED:
            conflict(f"Only accepted estimates can be converted; this one is {status}")
        client = require_client(user["_id"], estimate["client_id"], "client_id")
        project = _project(user, estimate, client, data)
        try:
            project_id = project["_id"] if project else estimate.get("project_id")
            invoice = _invoice(user, estimate, client, project_id, data.get("due_date"))
        except Exception:
            if project:
                projects.delete_project(user["_id"], project["_id"])
            raise
        service.save(estimate, {"converted_invoice_id": invoice["_id"], "converted_at": utcnow()})
    return invoices.present(invoice, user)
