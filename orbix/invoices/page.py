"""What the public invoice page shows (``/i/<token>``), as plain values for its template.

The client sees the invoice as the PDF prints it (the parties frozen when it was sent, the
same lines and totals), plus the balance due and how to pay: the freelancer's payment
details (frozen with the invoice, as the PDF prints them), "Pay now" by card when they connected
Stripe (``stripe_payments.checkout``), and from their current settings a "Pay online" link and,
for a euro invoice with an IBAN, an EPC QR code for banking apps, so
a changed account or link also applies to invoices sent before. Nothing to pay (paid, void,
a zero balance): no pay options. The word "overdue" never appears: the page shows the due
date and the balance.

Worded and formatted in the client's language and locale (``style.wording``: labels, money,
dates), with the account's logo and accent colour, both served by the page's own routes
(``/i/<token>/logo``, ``/i/<token>/brand.css``) so the strict CSP holds.
"""

from ..auth.service import business_profile
from ..common import banking
from ..stripe_payments.checkout import payable_by_card
from . import epc, lifecycle, presentation
from .schemas import money_view

STATUS_LABELS = {
    lifecycle.PAID: "status_paid",
    lifecycle.VOID: "status_cancelled",
    lifecycle.PARTIAL: "status_partial",
    lifecycle.SENT: "status_open",
    lifecycle.OVERDUE: "status_open",
}


def _lines(details, fields):
    return [str(details[field]) for field in fields if details.get(field)]


def _payment_qr(invoice, business, settings):
    """The EPC QR code (data: URI) and the transfer it encodes, or None."""
    if invoice["currency"] != "EUR" or not settings.get("iban"):
        return None
    name = business.get("business_name") or settings["business_name"]
    text = epc.payload(name, settings["iban"], invoice["balance_due"], invoice["invoice_number"], settings.get("bic"))
    if text is None:
        return None
    iban = banking.grouped(settings["iban"])
    return {"image": epc.qr_data_uri(text), "iban": iban, "bic": settings.get("bic"), "name": name}


def document_context(document, settings, wording=presentation.ENGLISH, with_balance=None):
    """What every document page shows (``public_links/parties.html`` and ``lines.html``): the
    parties, lines and totals of ``document`` (in major units, with ``business`` and ``client``),
    worded and formatted by ``wording`` (the client's language and locale)."""
    currency = document["currency"]
    business, client = document["business"] or {}, document["client"] or {}
    return {
        "t": wording.t,
        "lang": wording.language,
        "business_name": business.get("business_name") or settings["business_name"],
        "business_lines": _lines(business, ("address", "email", "phone", "website")),
        "business_tax_id": business.get("tax_id"),
        "client_name": client.get("name"),
        "client_lines": _lines(client, ("company", "address", "email")),
        "client_tax_id": client.get("tax_id"),
        "issue_date": wording.date(document["date"]),
        "payment_terms": presentation.payment_terms(document.get("payment_terms"), wording),
        "items": [presentation.item_cells(item, currency, wording) for item in document["items"]],
        "totals": [
            (key, label, wording.money(amount, currency))
            for key, label, amount in presentation.total_rows(document, with_balance=with_balance, wording=wording)
        ],
        "notes": document.get("notes"),
    }


def page_context(view, user, style):
    """Template values for an invoice view (``service.present``), its owner and its style
    (``branding.style.style_for``, without the logo's bytes)."""
    invoice = money_view(view)
    currency = invoice["currency"]
    words = style.wording
    status = invoice["status"]
    business = invoice["business"] or {}
    settings = business_profile(user)
    payable = status in lifecycle.OPEN and invoice["balance_due"] > 0
    return {
        **document_context(invoice, settings, words, with_balance=status != lifecycle.VOID),
        "number": invoice["invoice_number"],
        "status_label": words.t(STATUS_LABELS.get(status, "status_open")),
        "badge": status if status in (lifecycle.PAID, lifecycle.VOID) else "open",
        "cancelled": status == lifecycle.VOID,
        "paid": status == lifecycle.PAID,
        "due_date": words.date(invoice["due_date"]),
        "balance_due": words.money(invoice["balance_due"], currency),
        "payable": payable,
        "payment_details": business.get("payment_details"),
        "payment_link": settings.get("payment_link") if payable else None,
        "pay_by_card": payable and payable_by_card(view),
        "payment_qr": _payment_qr(invoice, business, settings) if payable else None,
    }
