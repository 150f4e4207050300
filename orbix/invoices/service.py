"""Invoice rules and queries: create, read, list, edit drafts, change status, delete."""

from collections import defaultdict

from ..auth.service import business_profile
from ..clients.service import client_stands, find_client, require_client
from ..common import lists, rates
from ..common.documents import restore_fields
from ..common.exceptions import conflict
from ..common.ownership import get_owned_or_404
from ..common.references import withdraw_unless, withdraw_unless_all_stand
from ..common.timeutil import date_to_datetime, utcnow
from ..db import collection, get_db
from ..expenses.claims import EXPENSE_CLAIMS
from ..projects.store import project_stands
from ..public_links import links as public_links
from ..reminders import claims as reminder_claims
from ..taxes.service import resolve_line_taxes
from ..time_tracking import claims
from ..webhooks import events as webhook_events
from . import INVOICES, credits, events, ledger, lifecycle, numbering, payments, snapshots, totals
from .schemas import InvoiceSchema
from .terms import resolve_due_date

COLLECTION = INVOICES
LINK_KIND = "invoice"  # the ``public_links`` kind of public invoice pages (see sharing.py)
SORTABLE = {"created_at", "updated_at", "date", "due_date", "number_seq", "invoice_number", "total", "status"}
SEARCHABLE = ("invoice_number", "notes")
STATUS_EVENTS = {lifecycle.SENT: "invoice.sent", lifecycle.PAID: "invoice.paid"}  # webhook events
# Optional e-invoice data of an invoice (orbix.einvoice reads them), stored as given.
EINVOICE_FIELDS = ("buyer_reference", "purchase_order", "tax_category", "tax_exemption_reason")
CONTENT_FIELDS = (
    "client_id",
    "items",
    "date",
    "due_date",
    "payment_terms",
    "currency",
    "tax",
    "tax_rate",
    "discount",
    "discount_rate",
    "notes",
    *EINVOICE_FIELDS,
)
# Settable at any time, even on a frozen invoice: it changes nothing the client was sent.
ANY_TIME_FIELDS = ("reminders_enabled",)
LIST_PROJECTION = {
    field: 1
    for field in (
        "user_id",
        "invoice_number",
        "client_id",
        "project_id",
        "recurring_invoice_id",
        "status",
        "date",
        "due_date",
        "payment_terms",
        "currency",
        "subtotal",
        "discount",
        "tax",
        "total",
        "amount_paid",
        "amount_credited",
        "balance_due",
        "notes",
        "viewed_at",
        "view_count",
        "created_at",
        "updated_at",
    )
}


def with_effective_status(doc):
    doc["status"] = lifecycle.effective_status(doc)
    return doc


def invoice_exists(invoice_id):
    """Whether an invoice with this id was written (tells a live claim from a stale one)."""
    return collection(COLLECTION).count_documents({"_id": invoice_id}, limit=1) > 0


def find_invoice(user_id, invoice_id):
    return get_owned_or_404(COLLECTION, invoice_id, user_id, "Invoice")


def present(invoice, user):
    """The full document a caller sees: effective status, parties and payments."""
    business, client = snapshots.parties(invoice, user)
    view = with_effective_status(dict(invoice))
    view.update(business=business, client=client, payments=payments.list_for(invoice),
                credit_notes=credits.list_for(invoice),
                reminders_sent=reminder_claims.sent_for(invoice["user_id"], invoice["_id"]))
    return view


def announce_status(user, before, invoice, view):
    """What follows a stored status that just moved (``view``: the invoice as presented): the
    webhook event (sent, paid) and, once paid, the paid listeners (the thank-you e-mail)."""
    if invoice["status"] == before:
        return
    if invoice["status"] in STATUS_EVENTS:
        webhook_events.emit(user["_id"], STATUS_EVENTS[invoice["status"]], InvoiceSchema().dump(view))
    if invoice["status"] == lifecycle.PAID:
        events.paid(user, invoice)


def get_invoice(user, invoice_id):
    return present(find_invoice(user["_id"], invoice_id), user)


def _paying(user, invoice, pay):
    """Run ``pay(invoice)`` (a payment written under the invoice's lock), then present the
    invoice and announce a status it moved to."""
    with ledger.invoice_written(user["_id"], invoice["_id"]):
        before, invoice = invoice["status"], pay(invoice)
    view = present(invoice, user)
    announce_status(user, before, invoice, view)
    return view


def record_payment(user, invoice_id, data):
    return _paying(user, find_invoice(user["_id"], invoice_id), lambda invoice: payments.record(invoice, data))


def record_online_payment(user, invoice_id, amount_minor, method, note, reference):
    """A payment taken online (``reference``: the provider's id of it), recorded and announced
    (webhooks, the thank-you) like one entered by hand."""
    return _paying(user, find_invoice(user["_id"], invoice_id),
                   lambda invoice: payments.record_minor(invoice, amount_minor, method, note, reference))


def delete_payment(user, invoice_id, payment_id):
    invoice = find_invoice(user["_id"], invoice_id)
    with ledger.invoice_written(user["_id"], invoice["_id"]):
        return present(payments.remove(invoice, payment_id), user)


def refund_payment(user, invoice_id, payment_id, remaining_minor, note):
    """A payment refunded down to ``remaining_minor`` (0: reversed); the invoice as presented."""
    invoice = find_invoice(user["_id"], invoice_id)
    with ledger.invoice_written(user["_id"], invoice["_id"]):
        return present(payments.reduce(invoice, payment_id, remaining_minor, note), user)


def list_query(user_id, args):
    """The filter for lists and CSV export: status (effective), client, project, recurring
    invoice, issue-date range, q, overdue."""
    conditions = [{"user_id": user_id}]
    if args.get("status"):
        conditions.append(lifecycle.status_query(args["status"]))
    if "overdue" in args:
        conditions.append(lifecycle.overdue_query(args["overdue"]))
    for name in ("client_id", "project_id", "recurring_invoice_id"):
        if args.get(name):
            conditions.append({name: args[name]})
    conditions.append(lists.date_range("date", args.get("from_"), args.get("to")))  # calendar dates: UTC midnight
    conditions.append(lists.text_search(args.get("q"), SEARCHABLE))
    return lists.combine(conditions)


def list_invoices(user_id, args):
    args = dict(args)
    if args.get("sort", "").lstrip("-+") == "invoice_number":
        args["sort"] = args["sort"].replace("invoice_number", "number_seq")
    docs, headers = lists.find_page(COLLECTION, list_query(user_id, args), args, SORTABLE, LIST_PROJECTION)
    return [with_effective_status(doc) for doc in docs], headers


def invoice_currency(data, client, user):
    """Body currency, else the client's, else the user's default, else USD."""
    return data.get("currency") or rates.billing_currency(client, user)


def adjustments(data):
    return {name: data.get(name) for name in ("tax", "tax_rate", "discount", "discount_rate")}


def priced_items(user_id, items, currency):
    """Stored lines from input lines: taxes given by ``tax_rate_id`` copied from the caller's rates."""
    return [totals.stored_item(item, currency) for item in resolve_line_taxes(user_id, items)]


def lines_after(user_id, doc, changes, currency):
    """``totals.lines_after`` with the new lines' taxes taken from the user's rates."""
    if "items" in changes:
        return priced_items(user_id, changes["items"], currency)
    return totals.lines_after(doc, changes, currency)


def new_invoice(user, client, data, items, currency, **extra):
    """Build a draft from validated input and insert it with the next number."""
    profile = business_profile(user)
    issue_date = data.get("date") or lifecycle.today()
    terms = data.get("payment_terms") or profile["payment_terms"]
    due_date = resolve_due_date(issue_date, data.get("due_date"), terms)
    amounts = totals.compute(priced_items(user["_id"], items, currency), currency, **adjustments(data))
    now = utcnow()
    doc = {
        "user_id": user["_id"],
        "client_id": client["_id"],
        "project_id": None,
        "status": lifecycle.DRAFT,
        "date": date_to_datetime(issue_date),
        "due_date": date_to_datetime(due_date),
        "payment_terms": terms,
        "currency": currency,
        **amounts,
        "amount_paid": 0,
        "amount_credited": 0,
        "balance_due": amounts["total"],
        "notes": data.get("notes"),
        **{name: data.get(name) for name in EINVOICE_FIELDS},
        "reminders_enabled": data.get("reminders_enabled", True),
        "client_snapshot": None,
        "business_snapshot": None,
        "sent_at": None,
        "paid_at": None,
        "voided_at": None,
        "created_at": now,
        "updated_at": now,
        **extra,
    }
    invoice = numbering.insert_numbered(doc, user["_id"], profile["invoice_prefix"])
    with ledger.invoice_written(user["_id"], invoice["_id"]):
        withdraw_unless_all_stand(
            [
                (client_stands(client["_id"]), "client_id", "client"),
                (project_stands(invoice.get("project_id")), "project_id", "project"),
            ],
            lambda: numbering.withdraw(invoice),
        )
    return invoice


def create_invoice(user, data):
    client = require_client(user["_id"], data["client_id"])
    invoice = new_invoice(user, client, data, data["items"], invoice_currency(data, client, user))
    return present(invoice, user)


def _edited_content(invoice, changes, user):
    """The draft's stored fields after applying ``changes`` (everything recomputed)."""
    client_id = invoice["client_id"]
    client = None
    if "client_id" in changes:
        client = require_client(user["_id"], changes["client_id"])
        client_id = client["_id"]
    currency = invoice["currency"]
    if "currency" in changes:
        currency = changes["currency"] or rates.billing_currency(client or find_client(user["_id"], client_id), user)
    items = lines_after(user["_id"], invoice, changes, currency)
    amounts = totals.compute(items, currency, **totals.adjustments_after(invoice, changes))
    issue_date = changes.get("date") or invoice["date"].date()
    terms = changes["payment_terms"] if "payment_terms" in changes else invoice.get("payment_terms")
    due_date = changes.get("due_date")
    if due_date is None and "due_date" not in changes and "payment_terms" not in changes:
        due_date = invoice["due_date"].date()
    due_date = resolve_due_date(issue_date, due_date, terms)
    content = {
        "client_id": client_id,
        "currency": currency,
        **amounts,
        "amount_paid": 0,
        "amount_credited": 0,
        "balance_due": amounts["total"],
        "date": date_to_datetime(issue_date),
        "due_date": date_to_datetime(due_date),
        "payment_terms": terms,
    }
    for name in ("notes", *EINVOICE_FIELDS):
        if name in changes:
            content[name] = changes[name]
    return content


def _save(invoice, changes):
    changes["updated_at"] = utcnow()
    collection(COLLECTION).update_one({"_id": invoice["_id"], "user_id": invoice["user_id"]}, {"$set": changes})
    invoice.update(changes)
    return invoice


def _send(invoice, user):
    client = find_client(invoice["user_id"], invoice["client_id"])
    return _save(
        invoice,
        {
            "status": lifecycle.SENT,
            "sent_at": utcnow(),
            "client_snapshot": snapshots.client_details(client, user),
            "business_snapshot": snapshots.business_details(user),
        },
    )


def _void(invoice):
    if invoice.get("amount_paid"):
        conflict("Cannot void an invoice with payments recorded; delete its payments first")
    if invoice.get("amount_credited"):
        conflict("Cannot void an invoice with credit notes; it stays on record with them")
    invoice = _save(invoice, {"status": lifecycle.VOID, "voided_at": utcnow(), "balance_due": 0})
    _release_billed(invoice["_id"], invoice["user_id"])
    return invoice


def _release_billed(invoice_id, user_id):
    """A deleted or voided invoice bills nothing: its time entries and expenses are free again."""
    claims.release_invoice(invoice_id, user_id)
    EXPENSE_CLAIMS.release_invoice(invoice_id, user_id)


def change_status(invoice, target, user):
    """Apply an explicit lifecycle move (see ``lifecycle.TRANSITIONS``)."""
    current = lifecycle.effective_status(invoice)
    lifecycle.check_transition(current, target)
    if target == current:
        return invoice
    if target == lifecycle.SENT:
        return _send(invoice, user)
    if target == lifecycle.VOID:
        return _void(invoice)
    if target == lifecycle.PAID:
        return payments.settle(invoice, user)
    return _save(invoice, {"status": target})


def update_invoice(user, invoice_id, changes):
    """Edit a draft's content and/or change its status (content first, then the move)."""
    invoice = find_invoice(user["_id"], invoice_id)
    with payments.invoice_lock(invoice["_id"]), ledger.invoice_written(user["_id"], invoice["_id"]):
        invoice = find_invoice(user["_id"], invoice_id)
        status_before = invoice["status"]
        content = {k: v for k, v in changes.items() if k in CONTENT_FIELDS}
        if content:
            status = lifecycle.effective_status(invoice)
            if status != lifecycle.DRAFT:
                conflict(f"Only draft invoices can be edited; this one is {status} (void it and issue a new one)")
            before, edited = dict(invoice), _edited_content(invoice, content, user)
            invoice = _save(invoice, edited)
            if invoice["client_id"] != before["client_id"]:
                undo = lambda: restore_fields(COLLECTION, before, edited)  # noqa: E731
                withdraw_unless(client_stands(invoice["client_id"]), undo, "client_id", "client")
        settings = {k: v for k, v in changes.items() if k in ANY_TIME_FIELDS}
        if settings:
            invoice = _save(invoice, settings)
        if changes.get("status"):
            invoice = change_status(invoice, changes["status"], user)
    view = present(invoice, user)
    announce_status(user, status_before, invoice, view)
    return view


def delete_invoice(user_id, invoice_id):
    """Delete a draft (issued invoices are voided instead), un-bill its time entries and expenses
    and drop its public links (none today: drafts get no links, but a link must never outlive it)."""
    invoice = find_invoice(user_id, invoice_id)
    with payments.invoice_lock(invoice["_id"]), ledger.invoice_written(user_id, invoice["_id"]):
        result = collection(COLLECTION).delete_one(
            {"_id": invoice["_id"], "user_id": user_id, "status": lifecycle.DRAFT}
        )
        if result.deleted_count == 0:
            status = lifecycle.effective_status(find_invoice(user_id, invoice_id))
            if status == lifecycle.VOID:
                conflict("Only draft invoices can be deleted; this one is void already and stays on record")
            conflict(f"Only draft invoices can be deleted; this one is {status} (void it instead)")
        _release_billed(invoice["_id"], user_id)
        public_links.forget(LINK_KIND, invoice["_id"])


def remindable(first_due, last_due, projection):
    """Issued, unsettled invoices of every user due between two dates (inclusive) whose
    reminders are on: what the reminder run looks at (the ``status_due`` index)."""
    return collection(COLLECTION).find(
        {
            "status": {"$in": list(lifecycle.OPEN)},
            "due_date": {"$gte": date_to_datetime(first_due), "$lte": date_to_datetime(last_due)},
            "balance_due": {"$gt": 0},
            "reminders_enabled": {"$ne": False},
        },
        projection,
    )


def paid_since(moment, projection):
    """Paid invoices of every user last written after ``moment`` (the ``status_updated`` index):
    paid is final, so that is when they became paid, whatever date their payments carry."""
    return collection(COLLECTION).find({"status": lifecycle.PAID, "updated_at": {"$gte": moment}}, projection)


def mark_overdue():
    """Persist ``overdue`` on every unpaid invoice past its due date (all users); returns the count."""
    due = list(collection(COLLECTION).find(lifecycle.past_due_query(), {"user_id": 1}))
    result = collection(COLLECTION).update_many(
        {"_id": {"$in": [doc["_id"] for doc in due]}, **lifecycle.past_due_query()},
        {"$set": {"status": lifecycle.OVERDUE, "updated_at": utcnow()}},
    )
    by_user = defaultdict(list)
    for doc in due:
        by_user[doc["user_id"]].append(doc["_id"])
    for user_id, ids in by_user.items():
        ledger.INVOICE_ROWS.refresh(get_db(), user_id, ids)
    return result.modified_count
