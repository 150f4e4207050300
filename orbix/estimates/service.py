"""Estimate rules and queries: create, read, list, edit drafts, change status, delete.

Lines and totals are priced by the invoices' own functions (``invoices.totals``), so an
estimate converts into an invoice of exactly the same amounts. Every write to an estimate
runs under its lock (``estimate_lock``): the embedded FerretDB does not apply concurrent
conditional updates of one document atomically.
"""

from datetime import timedelta

from ..auth.service import settings_view
from ..clients.service import client_stands, find_client, require_client
from ..common import lists, rates
from ..common.documents import restore_fields
from ..common.exceptions import conflict, unprocessable
from ..common.locks import held
from ..common.numbering import Numbering
from ..common.ownership import get_owned_or_404
from ..common.references import withdraw_unless_all_stand
from ..common.timeutil import date_to_datetime, utcnow
from ..db import collection
from ..invoices import snapshots, totals
from ..invoices.service import lines_after, priced_items
from ..projects.store import project_stands, require_project
from ..public_links import links as public_links
from ..webhooks import events as webhook_events
from . import ESTIMATE_COUNTERS, ESTIMATES, lifecycle
from .schemas import EstimateSchema

COLLECTION = ESTIMATES
NUMBERING = Numbering(ESTIMATE_COUNTERS, "estimate", ESTIMATES, "estimate_number")
PREFIX = "EST-"
LINK_KIND = "estimate"  # the ``public_links`` kind of public estimate pages (see sharing.py)
SORTABLE = {"created_at", "updated_at", "date", "valid_until", "number_seq", "estimate_number", "total", "status"}
SEARCHABLE = ("estimate_number", "notes", "terms")
STATUS_EVENTS = {s: f"estimate.{s}" for s in (lifecycle.SENT, lifecycle.ACCEPTED, lifecycle.DECLINED)}
ADJUSTMENTS = ("tax", "tax_rate", "discount", "discount_rate")
CONTENT_FIELDS = ("client_id", "project_id", "items", "date", "valid_until", "payment_terms", "currency", "notes",
                  "terms", *ADJUSTMENTS)
LIST_PROJECTION = {
    field: 1
    for field in (
        "user_id", "estimate_number", "client_id", "project_id", "status", "date", "valid_until", "payment_terms",
        "currency", "subtotal", "discount", "tax", "total", "notes", "viewed_at", "view_count",
        "converted_invoice_id", "created_at", "updated_at",
    )
}


def estimate_lock(estimate_id):
    """Serialises writes to one estimate (edits, sending, answers, conversion, views)."""
    return held(f"estimate:{estimate_id}", "This estimate")


def with_effective_status(doc):
    doc["status"] = lifecycle.effective_status(doc)
    return doc


def find_estimate(user_id, estimate_id):
    return get_owned_or_404(COLLECTION, estimate_id, user_id, "Estimate")


def present(estimate, user):
    """The full document a caller sees: effective status and the parties (frozen once sent)."""
    business, client = snapshots.parties(estimate, user)
    view = with_effective_status(dict(estimate))
    view.update(business=business, client=client)
    return view


def get_estimate(user, estimate_id):
    return present(find_estimate(user["_id"], estimate_id), user)


def list_query(user_id, args):
    """The filter for lists and CSV export: status (effective), client, project, date range, q."""
    conditions = [{"user_id": user_id}]
    if args.get("status"):
        conditions.append(lifecycle.status_query(args["status"]))
    for name in ("client_id", "project_id"):
        if args.get(name):
            conditions.append({name: args[name]})
    conditions.append(lists.date_range("date", args.get("from_"), args.get("to")))
    conditions.append(lists.text_search(args.get("q"), SEARCHABLE))
    return lists.combine(conditions)


def list_estimates(user_id, args):
    args = dict(args)
    if args.get("sort", "").lstrip("-+") == "estimate_number":
        args["sort"] = args["sort"].replace("estimate_number", "number_seq")
    docs, headers = lists.find_page(COLLECTION, list_query(user_id, args), args, SORTABLE, LIST_PROJECTION)
    return [with_effective_status(doc) for doc in docs], headers


def _dates(user, issue_date, valid_until):
    """(date, valid_until) as stored: valid_until defaults to the user's ``estimate_valid_days``."""
    if valid_until is None:
        valid_until = issue_date + timedelta(days=settings_view(user)["estimate_valid_days"])
    if valid_until < issue_date:
        unprocessable("valid_until", "Must not be before date.")
    return date_to_datetime(issue_date), date_to_datetime(valid_until)


def create_estimate(user, data):
    """A draft from validated input, inserted with the next ``EST-`` number."""
    client = require_client(user["_id"], data["client_id"])
    project = require_project(user["_id"], data.get("project_id"))
    currency = data.get("currency") or rates.billing_currency(client, user)
    items = priced_items(user["_id"], data["items"], currency)
    amounts = totals.compute(items, currency, **{name: data.get(name) for name in ADJUSTMENTS})
    issue_date, valid_until = _dates(user, data.get("date") or lifecycle.today(), data.get("valid_until"))
    now = utcnow()
    doc = {
        "user_id": user["_id"],
        "client_id": client["_id"],
        "project_id": project["_id"] if project else None,
        "status": lifecycle.DRAFT,
        "date": issue_date,
        "valid_until": valid_until,
        "payment_terms": data.get("payment_terms"),
        "currency": currency,
        **amounts,
        "notes": data.get("notes"),
        "terms": data.get("terms"),
        "client_snapshot": None,
        "business_snapshot": None,
        "sent_at": None,
        "accepted_at": None,
        "declined_at": None,
        "decline_reason": None,
        "converted_invoice_id": None,  # viewed_at and view_count come with the first view ($min, $inc)
        "created_at": now,
        "updated_at": now,
    }
    estimate = NUMBERING.insert_numbered(doc, user["_id"], PREFIX)
    withdraw_unless_all_stand(
        [(client_stands(estimate["client_id"]), "client_id", "client"),
         (project_stands(estimate["project_id"]), "project_id", "project")],
        lambda: NUMBERING.withdraw(estimate),
    )
    return present(estimate, user)


def _edited_content(estimate, changes, user):
    """The draft's stored fields after ``changes`` (amounts and dates recomputed)."""
    content = {name: changes[name] for name in ("payment_terms", "notes", "terms") if name in changes}
    client = None
    if "client_id" in changes:
        client = require_client(user["_id"], changes["client_id"])
        content["client_id"] = client["_id"]
    if "project_id" in changes:
        project = require_project(user["_id"], changes["project_id"])
        content["project_id"] = project["_id"] if project else None
    currency = estimate["currency"]
    if "currency" in changes:
        client = client or find_client(user["_id"], estimate["client_id"])
        currency = changes["currency"] or rates.billing_currency(client, user)
    items = lines_after(user["_id"], estimate, changes, currency)
    content.update(currency=currency, **totals.compute(items, currency, **totals.adjustments_after(estimate, changes)))
    issue_date = changes.get("date") or estimate["date"].date()
    valid_until = changes.get("valid_until") or estimate["valid_until"].date()
    content["date"], content["valid_until"] = _dates(user, issue_date, valid_until)
    return content


def save(estimate, changes):
    """Write ``changes`` (under the estimate's lock); returns the estimate as it now stands."""
    changes["updated_at"] = utcnow()
    collection(COLLECTION).update_one({"_id": estimate["_id"], "user_id": estimate["user_id"]}, {"$set": changes})
    estimate.update(changes)
    return estimate


def mark_sent(estimate, user):
    """draft -> sent: the parties are frozen as the client will see them."""
    client = find_client(estimate["user_id"], estimate["client_id"])
    return save(estimate, {
        "status": lifecycle.SENT,
        "sent_at": utcnow(),
        "client_snapshot": snapshots.client_details(client, user),
        "business_snapshot": snapshots.business_details(user),
    })


def answer(estimate, target, reason=None):
    """sent -> accepted | declined (the client's answer); an expired estimate cannot be accepted."""
    current = lifecycle.effective_status(estimate)
    if current == lifecycle.EXPIRED and target == lifecycle.ACCEPTED:
        conflict(f"This estimate expired on {estimate['valid_until'].date().isoformat()}; it can no longer be "
                 "accepted")
    lifecycle.check_transition(current, target)
    if target == current:
        return estimate
    if target == lifecycle.ACCEPTED:
        return save(estimate, {"status": lifecycle.ACCEPTED, "accepted_at": utcnow()})
    return save(estimate, {"status": lifecycle.DECLINED, "declined_at": utcnow(), "decline_reason": reason})


def change_status(estimate, target, user):
    if target == lifecycle.SENT:
        lifecycle.check_transition(lifecycle.effective_status(estimate), target)
        return estimate if estimate["status"] == lifecycle.SENT else mark_sent(estimate, user)
    return answer(estimate, target)


def announce_status(user, before, estimate, view):
    """The webhook event of a stored status that just moved (sent, accepted, declined)."""
    if estimate["status"] != before and estimate["status"] in STATUS_EVENTS:
        webhook_events.emit(user["_id"], STATUS_EVENTS[estimate["status"]], EstimateSchema().dump(view))


def update_estimate(user, estimate_id, changes):
    """Edit a draft's content and/or change its status (content first, then the move)."""
    estimate = find_estimate(user["_id"], estimate_id)
    with estimate_lock(estimate["_id"]):
        estimate = find_estimate(user["_id"], estimate_id)
        before = dict(estimate)
        content = {k: v for k, v in changes.items() if k in CONTENT_FIELDS}
        if content:
            status = lifecycle.effective_status(estimate)
            if status != lifecycle.DRAFT:
                conflict(f"Only draft estimates can be edited; this one is {status}")
            edited = _edited_content(estimate, content, user)
            estimate = save(estimate, edited)
            withdraw_unless_all_stand(
                [(client_stands(estimate["client_id"]), "client_id", "client"),
                 (project_stands(estimate["project_id"]), "project_id", "project")],
                lambda: restore_fields(COLLECTION, before, edited),
            )
        if changes.get("status"):
            estimate = change_status(estimate, changes["status"], user)
    view = present(estimate, user)
    announce_status(user, before["status"], estimate, view)
    return view


def delete_estimate(user_id, estimate_id):
    """Delete a draft (a sent estimate stays on record) and any link to it."""
    estimate = find_estimate(user_id, estimate_id)
    with estimate_lock(estimate["_id"]):
        result = collection(COLLECTION).delete_one({"_id": estimate["_id"], "user_id": user_id,
                                                    "status": lifecycle.DRAFT})
        if result.deleted_count == 0:
            status = lifecycle.effective_status(find_estimate(user_id, estimate_id))
            conflict(f"Only draft estimates can be deleted; this one is {status}")
        public_links.forget(LINK_KIND, estimate["_id"])
