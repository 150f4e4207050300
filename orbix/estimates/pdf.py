"""The estimate as a PDF: the invoice's document layout (``invoices.pdf.render_document``)
titled "Estimate", with its valid-until date and terms, and no payment details."""

from ..invoices.pdf import render_document
from . import lifecycle

WATERMARKS = {lifecycle.DRAFT: "DRAFT", lifecycle.DECLINED: "DECLINED", lifecycle.EXPIRED: "EXPIRED"}


def render(view):
    """PDF bytes of an estimate view (amounts in major units, with ``business`` and ``client``)."""
    facts = [
        ("Estimate number", view["estimate_number"]),
        ("Status", view["status"].upper()),
        ("Issue date", view["date"].date().isoformat()),
        ("Valid until", view["valid_until"].date().isoformat()),
    ]
    notes = (("Terms", view.get("terms")), ("Notes", view.get("notes")))
    return render_document(view, title="Estimate", number=view["estimate_number"], facts=facts, notes=notes,
                           stamp=WATERMARKS.get(view["status"]))
