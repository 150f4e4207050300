"""Credit notes: ``CN-00001`` documents that take an amount off an issued invoice's balance.

A credit note copies the whole invoice (``full``) or prices some lines like an invoice does
(line taxes and discounts; an invoice taxed as a whole lends its ``tax_rate``). It is written
under the invoice's lock, after checking that it does not exceed what is left (total - paid -
credited), and the invoice's balance and status follow (``payments.refresh``): one that is
settled by credit reads ``paid``. Numbers come from their own counter (``numbering``)."""

from ..common import lists, money
from ..common.exceptions import conflict, unprocessable
from ..common.ownership import get_owned_or_404
from ..common.timeutil import date_to_datetime, utcnow
from ..db import collection
from . import CREDIT_NOTES, INVOICES, ledger, lifecycle, numbering, payments, snapshots, totals
from .service import find_invoice, priced_items

PREFIX = "CN-"
SORTABLE = {"created_at", "date", "credit_note_number", "total"}
COPIED = ("subtotal", "discount", "discount_rate", "tax", "tax_rate", "tax_breakdown", "total")


def _amounts(user_id, invoice, data):
    """The credit note's lines and money fields."""
    currency = invoice["currency"]
    if data.get("full"):
        amounts = {name: invoice.get(name) for name in COPIED}
        if "tax_breakdown" not in invoice:
            amounts["tax_breakdown"] = totals.invoice_level_breakdown(invoice)
        return {"items": invoice["items"], **amounts}
    tax_rate = None if totals.line_taxed(invoice["items"]) else totals.from_scaled(invoice.get("tax_rate"))
    return totals.compute(priced_items(user_id, data["items"], currency), currency, tax_rate=tax_rate)


def _check(invoice, note):
    status = lifecycle.effective_status(invoice)
    if status in (lifecycle.DRAFT, lifecycle.VOID):
        conflict(f"Cannot credit a {status} invoice" + (" (edit or delete it instead)" if status == "draft" else ""))
    if note["date"] < invoice["date"]:
        unprocessable("date", f"Must not be before the invoice's date ({invoice['date'].date().isoformat()}).")
    left, currency = payments.balance(invoice), invoice["currency"]
    if note["total"] > left:
        unprocessable("items" if not note["full"] else "full",
                      f"Exceeds what is left to pay on the invoice ({money.minor_to_json(left, currency)} {currency}).")
    if note["total"] <= 0:
        unprocessable("items", "A credit note takes something off: its total must be above zero.")


def create(user, invoice_id, data):
    """POST /api/invoices/{id}/credit-notes: the new credit note (its invoice follows)."""
    user_id = user["_id"]
    invoice = find_invoice(user_id, invoice_id)
    with payments.invoice_lock(invoice["_id"]), ledger.invoice_written(user_id, invoice["_id"]):
        invoice = collection(INVOICES).find_one({"_id": invoice["_id"]})
        now = utcnow()
        note = {
            "user_id": user_id,
            "invoice_id": invoice["_id"],
            "invoice_number": invoice["invoice_number"],
            "client_id": invoice["client_id"],
            "currency": invoice["currency"],
            "date": date_to_datetime(data.get("date") or lifecycle.today()),
            "reason": data["reason"],
            "full": bool(data.get("full")),
            **_amounts(user_id, invoice, data),
            "client_snapshot": invoice.get("client_snapshot"),
            "business_snapshot": invoice.get("business_snapshot"),
            "created_at": now,
            "updated_at": now,
        }
        _check(invoice, note)
        note = numbering.CREDIT_NOTE_NUMBERING.insert_numbered(note, user_id, PREFIX)
        ledger.credit_notes_written(user_id, [note["_id"]])
        payments.refresh(invoice)
    return note


def find(user_id, note_id):
    return get_owned_or_404(CREDIT_NOTES, note_id, user_id, "Credit note")


def present(note, user):
    """A credit note with the parties as on its invoice (for the PDF)."""
    business, client = snapshots.parties(note, user)
    return {**note, "business": business, "client": client}


def list_notes(user_id, args):
    query = lists.combine([{"user_id": user_id}, {"invoice_id": args["invoice_id"]} if args.get("invoice_id") else {},
                           lists.text_search(args.get("q"), ("credit_note_number", "invoice_number", "reason"))])
    args = dict(args)
    if args.get("sort", "").lstrip("-+") == "credit_note_number":
        args["sort"] = args["sort"].replace("credit_note_number", "number_seq")
    return lists.find_page(CREDIT_NOTES, query, args, SORTABLE | {"number_seq"})
