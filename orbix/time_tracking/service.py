"""Time entry rules and queries.

``duration`` is always computed here from start and end (0 while running);
``client_id`` is copied from the project at write time so client filters need no
join; an entry carrying ``invoice_id`` is locked until invoicing releases it.
"""

from contextlib import contextmanager
from datetime import timedelta

from ..common import lists, money
from ..common.csvexport import CsvExport
from ..common.documents import delete_if, insert_owned, restore_fields, update_if
from ..common.exceptions import conflict, not_found, unprocessable
from ..common.locks import held
from ..common.ownership import get_owned_or_404
from ..common.references import withdraw_unless
from ..common.timeutil import UTC, as_utc, utcnow
from ..db import collection
from ..projects.store import project_stands, require_project
from ..webhooks import events
from . import TIME_ENTRIES, billing, ledger, running
from .schemas import EntrySchema

COLLECTION = TIME_ENTRIES
SORTABLE = {"start_time", "end_time", "duration", "created_at", "updated_at"}
NOT_INVOICED = {"invoice_id": None}
CSV_COLUMNS = (
    "date", "start", "end", "hours", "project", "client", "description", "billable", "rate", "amount", "invoiced",
)


def _duration(start, end):
    if end is None:
        return 0
    if end < start:
        unprocessable("end_time", "Must not be before start_time.")
    return int((as_utc(end) - as_utc(start)).total_seconds())


def _project_link(user_id, project_id):
    """(project_id, client_id) for a body's project_id: the caller's project, else 422."""
    project = require_project(user_id, project_id, projection={"client_id": 1})
    return (None, None) if project is None else (project["_id"], project.get("client_id"))


def _locked(entry):
    conflict(
        f"Time entry is invoiced (invoice {entry['invoice_id']}) and locked; delete or void the invoice to unlock it"
    )


def _get(user_id, entry_id):
    return get_owned_or_404(COLLECTION, entry_id, user_id, "Time entry")


def _get_unlocked(user_id, entry_id):
    entry = _get(user_id, entry_id)
    if entry.get("invoice_id") is not None:
        _locked(entry)
    return entry


def _refuse_failed_write(user_id, entry):
    """A write conditional on the entry not being invoiced matched nothing: 409 if invoicing
    won the race, else the entry is gone (404)."""
    _get_unlocked(user_id, entry["_id"])
    not_found("Time entry")


def view(user, entry):
    return billing.priced(user, [entry])[0]


def list_query(user_id, args):
    query = {"user_id": user_id}
    for name in ("project_id", "client_id"):
        if args.get(name) is not None:
            query[name] = args[name]
    if "billable" in args:
        query["is_billable"] = args["billable"]
    if "invoiced" in args:
        query["invoice_id"] = {"$ne": None} if args["invoiced"] else None
    if "running" in args:
        query["end_time"] = None if args["running"] else {"$ne": None}
    query.update(lists.date_range("start_time", args.get("from_"), args.get("to"), args.get("tz")))
    query.update(lists.text_search(args.get("q"), ("description",)))
    return query


def list_entries(user, args):
    docs, headers = lists.find_page(COLLECTION, list_query(user["_id"], args), args, SORTABLE)
    return billing.priced(user, docs), headers


def create_entry(user, data):
    user_id = user["_id"]
    data = dict(data, description=data.get("description") or "")
    data["project_id"], data["client_id"] = _project_link(user_id, data.get("project_id"))
    data["end_time"] = data.get("end_time")
    data["duration"] = _duration(data["start_time"], data["end_time"])
    data.update(invoice_id=None, invoiced_at=None)
    entry = insert_owned(COLLECTION, user_id, data)
    with _in_ledger(user_id, entry["_id"]):
        undo = lambda: collection(COLLECTION).delete_one({"_id": entry["_id"], "user_id": user_id})  # noqa: E731
        withdraw_unless(project_stands(entry.get("project_id")), undo, "project_id", "project")
        if entry["end_time"] is None:
            try:
                running.register(user_id, entry["_id"])
            except Exception:
                collection(COLLECTION).delete_one({"_id": entry["_id"], "user_id": user_id})
                raise
    return view(user, entry)


def get_entry(user, entry_id):
    return view(user, _get(user["_id"], entry_id))


def current_entry(user):
    entry = running.current(user["_id"])
    return None if entry is None else view(user, entry)


@contextmanager
def _in_ledger(user_id, entry_id):
    """Whatever the write did (or undid), the entry's report row follows the stored entry."""
    try:
        yield
    finally:
        ledger.touched(user_id, [entry_id])


def _entry_lock(entry):
    """Serialises writes to one entry: the embedded database does not apply a conditional
    update atomically, so two stops could both match ``end_time: None``."""
    return held(f"time-entry:{entry['_id']}", "This time entry")


def stop_entry(user, entry_id, end_time=None):
    entry = _get_unlocked(user["_id"], entry_id)
    with _entry_lock(entry), _in_ledger(user["_id"], entry["_id"]):
        stopped = _stop_locked(user, entry_id, end_time)
    events.emit(user["_id"], "time_entry.stopped", EntrySchema().dump(stopped))
    return stopped


def _stop_locked(user, entry_id, end_time):
    user_id = user["_id"]
    entry = _get_unlocked(user_id, entry_id)
    if entry.get("end_time") is not None:
        conflict("Time entry is already stopped")
    end = end_time or utcnow()
    changes = {"end_time": end, "duration": _duration(entry["start_time"], end)}
    updated = update_if(COLLECTION, entry["_id"], user_id, changes, {"end_time": None, **NOT_INVOICED})
    if updated is None:
        conflict("Time entry is already stopped")
    running.release(user_id, entry["_id"])
    return view(user, updated)


def update_entry(user, entry_id, changes):
    """Partial update; duration follows start/end; a stopped entry cannot be restarted."""
    entry = _get_unlocked(user["_id"], entry_id)
    with _entry_lock(entry), _in_ledger(user["_id"], entry["_id"]):
        return _update_locked(user, entry_id, changes)


def _update_locked(user, entry_id, changes):
    user_id = user["_id"]
    entry = _get_unlocked(user_id, entry_id)
    changes = dict(changes)
    if "end_time" in changes and changes["end_time"] is None and entry.get("end_time") is not None:
        unprocessable("end_time", "A stopped entry cannot be restarted; start a new timer instead.")
    if "description" in changes:
        changes["description"] = changes["description"] or ""
    if "project_id" in changes:
        changes["project_id"], changes["client_id"] = _project_link(user_id, changes["project_id"])
    start = changes.get("start_time", entry["start_time"])
    end = changes.get("end_time", entry.get("end_time"))
    changes["duration"] = _duration(start, end)
    updated = update_if(COLLECTION, entry["_id"], user_id, changes, NOT_INVOICED)
    if updated is None:
        _refuse_failed_write(user_id, entry)
    if "project_id" in changes:
        undo = lambda: restore_fields(COLLECTION, entry, changes)  # noqa: E731
        withdraw_unless(project_stands(changes["project_id"]), undo, "project_id", "project")
    shown = view(user, updated)
    if entry.get("end_time") is None and updated.get("end_time") is not None:
        running.release(user_id, entry["_id"])
        events.emit(user_id, "time_entry.stopped", EntrySchema().dump(shown))
    return shown


def delete_entry(user_id, entry_id):
    entry = _get_unlocked(user_id, entry_id)
    with _in_ledger(user_id, entry["_id"]):
        if not delete_if(COLLECTION, entry["_id"], user_id, NOT_INVOICED):
            _refuse_failed_write(user_id, entry)
    running.release(user_id, entry["_id"])


def _entries(user_id, args):
    """The filtered entries in start order, streamed from the cursor."""
    return collection(COLLECTION).find(list_query(user_id, args)).sort([("start_time", 1), ("_id", 1)])


def _day_spans(start, end, tz):
    """(local date, seconds) pieces of [start, end), split at local midnights."""
    cursor = start
    while cursor < end:
        local = cursor.astimezone(tz)
        next_midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        boundary = min(end, next_midnight.astimezone(UTC))
        if boundary <= cursor:  # defensive: a DST oddity must never loop forever
            boundary = end
        yield local.date(), boundary - cursor
        cursor = boundary


def _seconds_by_day(spans, tz):
    """{local date: [seconds, billable seconds]} of ``(start, end, billable)`` spans.

    A sweep over the span boundaries: the time between two consecutive boundaries is split
    at local midnights once, whatever the number of entries covering it. Splitting each
    entry by itself cost (entries x days): entries running for years (a timer started in
    2000 and stopped today covers ~9,500 days) made the summary take longer than a client
    waits."""
    deltas = {}
    for start, end, billable in spans:
        if end > start:
            for moment, sign in ((start, 1), (end, -1)):
                delta = deltas.setdefault(moment, [0, 0])
                delta[0] += sign
                delta[1] += sign if billable else 0
    totals = {}
    active, billable_active, previous = 0, 0, None
    for moment in sorted(deltas):
        if active and previous is not None:
            for day, part in _day_spans(previous, moment, tz):
                total = totals.setdefault(day, [timedelta(0), timedelta(0)])
                total[0] += part * active
                total[1] += part * billable_active
        active += deltas[moment][0]
        billable_active += deltas[moment][1]
        previous = moment
    return {
        day: [int(seconds.total_seconds()), int(billable.total_seconds())]
        for day, (seconds, billable) in totals.items()
    }


def summary(user, args):
    """Totals and breakdowns by project and local day, computed in Python over the indexed query."""
    tz = args.get("tz") or UTC
    pricing = billing.Pricing(user)
    totals = billing.new_bucket()
    projects, days = billing.buckets(), billing.buckets()
    count = 0
    spans = []
    for entry in _entries(user["_id"], args):
        count += 1
        seconds = entry.get("duration") or 0
        price = pricing.price(entry)
        billable = entry.get("is_billable", True)
        project_bucket = projects[entry.get("project_id")]
        for bucket in (totals, project_bucket):
            bucket["seconds"] += seconds
            bucket["billable_seconds"] += seconds if billable else 0
            if billable and price["effective_rate"] is not None and seconds:
                billing.add_amount(bucket["amounts"], price["currency"], price["amount"])
        if entry.get("end_time") is not None:
            start, end = as_utc(entry["start_time"]), as_utc(entry["end_time"])
            spans.append((start, end, billable))
            if end > start and billable and price["effective_rate"] is not None and seconds:
                # The amount counts on the local day the entry started.
                billing.add_amount(
                    days[start.astimezone(tz).date().isoformat()]["amounts"], price["currency"], price["amount"]
                )
    for day, (seconds, billable_seconds) in _seconds_by_day(spans, tz).items():
        days[day.isoformat()]["seconds"] += seconds
        days[day.isoformat()]["billable_seconds"] += billable_seconds
    names = {pid: (pricing.projects.get(pid) or {}).get("name") for pid in projects}
    return {
        "entries": count,
        "total_seconds": totals["seconds"],
        "billable_seconds": totals["billable_seconds"],
        "billable_amounts": totals["amounts"],
        "by_project": [{"project_id": pid, "name": names[pid], **bucket} for pid, bucket in projects.items()],
        "by_day": [{"date": day, **days[day]} for day in sorted(days)],
    }


def _csv_rows(user, args):
    """One row per entry; dates and times in the query's zone (the user's by default)."""
    tz = args.get("tz") or UTC
    pricing = billing.Pricing(user)
    for entry in _entries(user["_id"], args):
        price = pricing.price(entry)
        start, end = as_utc(entry["start_time"]).astimezone(tz), entry.get("end_time")
        yield (
            start.date().isoformat(),
            start.isoformat(),
            as_utc(end).astimezone(tz).isoformat() if end else "",
            f"{(entry.get('duration') or 0) / 3600:.2f}",
            (pricing.project(entry) or {}).get("name"),
            (pricing.client(entry) or {}).get("name"),
            entry.get("description"),
            bool(entry.get("is_billable", True)),
            money.plain(price["effective_rate"]) if price["effective_rate"] is not None else "",
            money.plain(price["amount"]) if price["effective_rate"] is not None else "",
            entry.get("invoice_id") is not None,
        )


def export_csv(user, args):
    return CsvExport(CSV_COLUMNS, _csv_rows(user, args), f"time-entries-{utcnow().date().isoformat()}.csv")
