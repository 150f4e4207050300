"""Sending an invoice to the client by e-mail: ``POST /api/invoices/{id}/send``.

Under the invoice's lock: a draft is moved to ``sent`` (frozen, as a status change does),
then ``mail.messages.queue`` records the message and enqueues its job. If the queue is
unreachable the message record is gone already and the invoice is put back as it was, so a
503 leaves nothing half-done. The PDF is rendered by the ``mail.send`` job (the invoice is
frozen by then), not in the request.
"""

from ..auth.service import business_profile, find_user
from ..common import money
from ..common.documents import restore_fields
from ..common.exceptions import Unavailable, conflict, unprocessable
from ..mail import messages
from . import lifecycle, service
from .payments import invoice_lock
from .pdf import render
from .schemas import money_view

ATTACHMENT = "invoice_pdf"
FROZEN_ON_SEND = ("status", "sent_at", "client_snapshot", "business_snapshot")  # what service._send writes


def public_page_url(user, invoice):
    """HOOK for the public invoice page (``/i/<token>``): the URL the e-mail links to, or None.

    The public page does not exist yet, so there is no link. Its owner replaces this with a
    function that issues (or reuses) the invoice's token and returns the page's absolute URL
    (``PUBLIC_BASE_URL``); the ``invoice`` templates show the link whenever it is not None."""
    return None


def default_subject(invoice, profile):
    return f"Invoice {invoice['invoice_number']} from {profile['business_name']}"


def _context(invoice, client, data, user):
    view = money_view(invoice)
    return {
        "client_name": (client or {}).get("name") or "there",
        "invoice_number": invoice["invoice_number"],
        "amount_due": money.format_amount(view["balance_due"], invoice["currency"]),
        "due_date": invoice["due_date"].date().isoformat(),
        "message": data.get("message"),
        "public_url": public_page_url(user, invoice),
        "attached": data["attach_pdf"],
    }


def send_invoice(user, invoice_id, data):
    """Queue the invoice e-mail (moving a draft to sent); returns the message record."""
    invoice = service.find_invoice(user["_id"], invoice_id)
    with invoice_lock(invoice["_id"]):
        invoice = service.find_invoice(user["_id"], invoice_id)
        status = lifecycle.effective_status(invoice)
        if status == lifecycle.VOID:
            conflict("A void invoice cannot be sent")
        view = service.present(invoice, user)
        to = data.get("to") or ([view["client"]["email"]] if (view["client"] or {}).get("email") else [])
        if not to:
            unprocessable("to", "The client has no e-mail address; give the recipients in `to`.")
        before = dict(invoice)
        if status == lifecycle.DRAFT:
            invoice = service.change_status(invoice, lifecycle.SENT, user)
            view = service.present(invoice, user)
        profile = business_profile(user)
        try:
            message = messages.queue(
                user_id=user["_id"],
                kind="invoice",
                invoice_id=invoice["_id"],
                to=to,
                cc=data.get("cc") or [],
                subject=data.get("subject") or default_subject(invoice, view["business"] or profile),
                template="invoice",
                context=_context(invoice, view["client"], data, user),
                sender_name=(view["business"] or profile)["business_name"],
                reply_to=(profile["business_name"], profile["email"]),
                attachments=[{"type": ATTACHMENT, "invoice_id": str(invoice["_id"]),
                              "filename": f"{invoice['invoice_number']}.pdf"}] if data["attach_pdf"] else [],
            )
        except Unavailable:
            if before["status"] != invoice["status"]:
                restore_fields(service.COLLECTION, before, FROZEN_ON_SEND)
            raise
    service.announce_status(user["_id"], before["status"], invoice, view)
    return message


@messages.attachment_builder(ATTACHMENT)
def invoice_pdf(user_id, spec):
    """The invoice's PDF as it stands when the message is sent."""
    invoice = service.find_invoice(user_id, spec["invoice_id"])
    user = find_user(user_id)
    if user is None:
        raise LookupError("the account was deleted")
    view = service.present(invoice, user)
    return spec["filename"], "application/pdf", render(money_view(view))


def messages_for(user, invoice_id):
    invoice = service.find_invoice(user["_id"], invoice_id)
    return messages.list_for_invoice(user["_id"], invoice["_id"])
