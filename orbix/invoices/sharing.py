"""Public links to invoices: ``POST``/``DELETE /api/invoices/{id}/public-link``, the links that
invoice e-mails carry, and what the public page ``/i/<token>`` reads.

A draft has no public page: a link is issued only for an invoice that was sent (``POST
.../public-link`` on a draft is 409; ``POST .../send`` moves the draft to sent first). Each
link is a ``public_links`` token (only its hash is stored); revoking kills every link of the
invoice at once, and a new link can be issued afterwards.

Each view of the page counts: ``view_count`` goes up by one and ``viewed_at`` keeps the first
view (``$inc`` and ``$min`` in one update). It runs under the invoice's lock like every other
write to an invoice (``common/locks.py``): the embedded FerretDB does not apply concurrent
updates of one document atomically, so an unlocked count could interleave with a payment being
recorded. The first view of each link is also the ``invoice.viewed`` webhook event.
"""

from ..auth.service import find_user
from ..common.exceptions import conflict, not_found
from ..common.timeutil import utcnow
from ..db import collection
from ..public_links import links
from ..webhooks import events as webhook_events
from . import INVOICES, lifecycle, service
from .payments import invoice_lock
from .schemas import InvoiceSchema

KIND = service.LINK_KIND
PAGE_PATH = "/i/"


def page_url(base_url, token):
    return f"{base_url}{PAGE_PATH}{token}"


def issue_link(user_id, invoice):
    """A new token for a sent invoice's public page; (token, link document)."""
    if lifecycle.effective_status(invoice) == lifecycle.DRAFT:
        conflict("A draft invoice has no public page: send it first (POST /api/invoices/{id}/send)")
    return links.issue(user_id, KIND, invoice["_id"])


def create_link(user, invoice_id, base_url):
    """``POST .../public-link``: a new link, shown once ({url, created_at})."""
    invoice = service.find_invoice(user["_id"], invoice_id)
    token, link = issue_link(user["_id"], invoice)
    return {"url": page_url(base_url, token), "created_at": link["created_at"]}


def revoke_links(user, invoice_id):
    """``DELETE .../public-link``: every link of the invoice stops working."""
    invoice = service.find_invoice(user["_id"], invoice_id)
    count = links.revoke_all(KIND, invoice["_id"])
    return {"message": f"Public links revoked: {count}"}


def _count_view(invoice):
    with invoice_lock(invoice["_id"]):
        collection(INVOICES).update_one(
            {"_id": invoice["_id"]}, {"$inc": {"view_count": 1}, "$min": {"viewed_at": utcnow()}}
        )


def shared_invoice(token, count_view=False):
    """(invoice view, owner) that a live link opens, the view counted when asked; 404 for a
    wrong, revoked or unknown token and for an invoice that is gone or not issued."""
    link = links.resolve(token, KIND)
    invoice = collection(INVOICES).find_one({"_id": link["target_id"]}) if link else None
    user = find_user(link["user_id"]) if invoice else None
    if (
        user is None
        or invoice["user_id"] != link["user_id"]
        or lifecycle.effective_status(invoice) == lifecycle.DRAFT
    ):
        not_found("Invoice")
    view = service.present(invoice, user)
    if count_view:
        _count_view(invoice)
        # The first opening of each link is the invoice.viewed event (the key makes it once).
        webhook_events.emit(user["_id"], "invoice.viewed", InvoiceSchema().dump(view), key=link["_id"])
    return view, user
