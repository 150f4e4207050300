"""Recurring invoice rules and queries: the schedules (create, read, list, edit, pause, resume,
delete), when each runs next, and the preview of the next runs.

A schedule keeps its template the way an invoice keeps its content (lines, tax and discount in
its currency's minor units, through ``invoices.totals``), so every run prices it exactly as a
manual invoice would be priced. Its currency is fixed when it is written (the body's, else the
client's, else yours). Writes to one schedule, and each run of it, hold the schedule's lock
(``common.locks``), so an edit, a pause or a deletion never interleaves with a run.

``next_run_date`` is the first run, by the rule (``schedule.Rule``), on or after the day after
the last run (or the start). A start date in the past is caught up (each missed run gets its
invoice at the next hourly pass) as long as at most ``CATCH_UP_CAP`` runs would be due at once;
resuming a paused schedule skips the runs that fell while it was paused.
"""

import logging
from datetime import datetime, timedelta

from ..auth.service import business_profile
from ..clients.service import client_stands
from ..common import lists, locks, rates
from ..common.documents import delete_owned, insert_owned, restore_fields, update_if
from ..common.exceptions import unprocessable
from ..common.ownership import find_owned, get_owned_or_404
from ..common.references import withdraw_unless_all_stand
from ..common.timeutil import date_to_datetime, local_date, user_zone, utcnow
from ..db import collection
from ..invoices import from_time, totals
from ..invoices import service as invoices
from ..invoices.terms import STANDARD_TERMS, days_for, resolve_due_date
from ..projects.store import project_stands
from . import RECURRING_INVOICES, runs
from .schedule import WEEKLY, Rule

log = logging.getLogger(__name__)

COLLECTION = RECURRING_INVOICES
SORTABLE = {"created_at", "updated_at", "name", "start_date", "next_run_date", "frequency"}
SEARCHABLE = ("name", "notes")
TEMPLATE_FIELDS = ("name", "client_id", "project_id", "currency", "payment_terms", "notes")
RULE_FIELDS = ("frequency", "interval", "start_date", "end_date", "count", "day_of_month")
OPTION_FIELDS = ("auto_send", "send_options", "bill_project_time")
CATCH_UP_CAP = 100  # runs due at once, at most: a start date further back is refused, an outage skips older runs
WHAT = "Recurring invoice"


def lock_key(schedule_id):
    return f"recurring:{schedule_id}"


def _day(value):
    """A stored calendar date (UTC midnight) as a ``date``; dates and None pass through."""
    return value.date() if isinstance(value, datetime) else value


def rule_of(doc):
    return Rule(doc["frequency"], _day(doc["start_date"]), doc.get("interval") or 1, doc.get("day_of_month"),
                _day(doc.get("end_date")))


def user_today(user):
    """The calendar date it is now where the user is (``settings.timezone``, else UTC)."""
    return local_date(utcnow(), user_zone(user))


def status(doc):
    if doc.get("next_run_date") is None:
        return "finished"
    return "active" if doc.get("active") else "paused"


def present(doc):
    return {**doc, "status": status(doc)}


def find_schedule(user_id, schedule_id):
    """The caller's schedule, or None."""
    return find_owned(COLLECTION, schedule_id, user_id)


def get_schedule(user_id, schedule_id):
    return get_owned_or_404(COLLECTION, schedule_id, user_id, WHAT)


# ---- the next run --------------------------------------------------------------------------

def next_run(doc, today=None):
    """The first run after the last one done (or from the start), on or after ``today`` when
    given (resuming); None when the count is used up or the rule has no run left."""
    if doc.get("count") is not None and doc.get("runs_count", 0) >= doc["count"]:
        return None
    floor = _day(doc["start_date"])
    if doc.get("last_run_date") is not None:
        floor = max(floor, _day(doc["last_run_date"]) + timedelta(days=1))
    if today is not None:
        floor = max(floor, today)
    return rule_of(doc).first_on_or_after(floor)


def _remaining(doc):
    """Runs left by the count (None: no count)."""
    return None if doc.get("count") is None else max(0, doc["count"] - doc.get("runs_count", 0))


def _refuse_backlog(doc, today):
    """422 when more than CATCH_UP_CAP runs would be due at once (a start date far back)."""
    first = _day(doc.get("next_run_date"))
    if first is None:
        return
    remaining = _remaining(doc)
    limit = CATCH_UP_CAP + 1 if remaining is None else min(CATCH_UP_CAP + 1, remaining)
    due = [run for run in rule_of(doc).runs(first, limit) if run <= today]
    if len(due) > CATCH_UP_CAP:
        unprocessable(
            "start_date", f"More than {CATCH_UP_CAP} runs would be due at once from this date; choose a later one."
        )


# ---- writing a schedule ----------------------------------------------------------------------

def check_time_currency(client, user, currency):
    """Tracked time is priced in the client's billing currency; a schedule billing it uses that one."""
    source = rates.billing_currency(client, user)
    if currency != source:
        unprocessable(
            "currency",
            f"The project's time is billed in {source} (the client's currency, else yours); a recurring "
            f"invoice that bills it must be in {source} too.",
        )


def _check_rule(data):
    if data.get("end_date") is not None and data.get("count") is not None:
        unprocessable("count", "Give end_date or count, not both.")
    if data.get("end_date") is not None and data["end_date"] < data["start_date"]:
        unprocessable("end_date", "Must not be before start_date.")
    if data["frequency"] == WEEKLY and data.get("day_of_month") is not None:
        unprocessable("day_of_month", "Weekly invoices run on start_date's weekday; day_of_month is for the others.")


def _content(user, data):
    """The stored template and rule from a whole body (validated; every amount computed)."""
    client, project = from_time.client_and_project(user["_id"], data)
    currency = data.get("currency") or rates.billing_currency(client, user)
    if data.get("bill_project_time"):
        if project is None:
            unprocessable("project_id", "bill_project_time needs the project whose time to bill.")
        check_time_currency(client, user, currency)
    elif not data.get("items"):
        unprocessable("items", "Give at least one item (or bill_project_time with a project).")
    terms = data.get("payment_terms") or business_profile(user)["payment_terms"]
    if days_for(terms) is None:
        unprocessable(
            "payment_terms",
            f"Give payment terms such as {', '.join(STANDARD_TERMS)}: each invoice is due that many days after its "
            "run date.",
        )
    _check_rule(data)
    items = invoices.priced_items(user["_id"], data.get("items") or [], currency)
    return {
        **{name: data.get(name) for name in (*TEMPLATE_FIELDS, *RULE_FIELDS, *OPTION_FIELDS)},
        "client_id": client["_id"],
        "project_id": project["_id"] if project else None,
        "currency": currency,
        "payment_terms": terms,
        "interval": data.get("interval") or 1,
        "start_date": date_to_datetime(data["start_date"]),
        "end_date": date_to_datetime(data.get("end_date")),
        "auto_send": bool(data.get("auto_send")),
        "bill_project_time": bool(data.get("bill_project_time")),
        **totals.compute(items, currency, **invoices.adjustments(data)),
    }


def _as_input(doc):
    """A stored schedule as the body that would write it again (to apply a partial update to)."""
    data = {name: doc.get(name) for name in (*TEMPLATE_FIELDS, *RULE_FIELDS, *OPTION_FIELDS)}
    data.update(
        items=[totals.input_item(item) for item in doc["items"]],
        start_date=_day(doc["start_date"]),
        end_date=_day(doc.get("end_date")),
    )
    return data


def _withdraw_unless_references_stand(doc, undo):
    withdraw_unless_all_stand(
        [
            (client_stands(doc["client_id"]), "client_id", "client"),
            (project_stands(doc.get("project_id")), "project_id", "project"),
        ],
        undo,
    )


def create_schedule(user, data, link_base_url=None):
    """``link_base_url``: where auto-sent e-mails link the public invoice page (the base URL of
    the request that made the schedule; runs happen in jobs, which have no request)."""
    doc = {
        **_content(user, data),
        "link_base_url": link_base_url,
        "active": data.get("active", True),
        "runs_count": 0,
        "skipped_runs": 0,
        "last_run_date": None,
        "last_invoice_id": None,
        "last_error": None,
    }
    doc["next_run_date"] = date_to_datetime(next_run(doc))
    _refuse_backlog(doc, user_today(user))
    doc = insert_owned(COLLECTION, user["_id"], doc)
    _withdraw_unless_references_stand(doc, lambda: delete_owned(COLLECTION, doc["_id"], user["_id"]))
    return present(doc)


def update_schedule(user, schedule_id, changes):
    """Partial update: the whole template is validated and priced again; a change to the rule (or
    the count) works out the next run again, after the last run done."""
    schedule = get_schedule(user["_id"], schedule_id)
    with locks.held(lock_key(schedule["_id"]), "This recurring invoice"):
        schedule = get_schedule(user["_id"], schedule_id)
        merged = {**_as_input(schedule), **changes, **totals.adjustments_after(schedule, changes)}
        content = _content(user, merged)
        if content["count"] is not None and content["count"] < schedule["runs_count"]:
            unprocessable("count", f"Must not be below the {schedule['runs_count']} runs done already.")
        if changes.keys() & set(RULE_FIELDS):
            content["next_run_date"] = date_to_datetime(next_run({**schedule, **content}))
            _refuse_backlog({**schedule, **content}, user_today(user))
        updated = update_if(COLLECTION, schedule["_id"], user["_id"], content)
        if (updated["client_id"], updated.get("project_id")) != (schedule["client_id"], schedule.get("project_id")):
            _withdraw_unless_references_stand(updated, lambda: restore_fields(COLLECTION, schedule, content))
    return present(updated)


def pause_schedule(user, schedule_id):
    """Stop making invoices until resumed (pausing a paused schedule changes nothing)."""
    schedule = get_schedule(user["_id"], schedule_id)
    with locks.held(lock_key(schedule["_id"]), "This recurring invoice"):
        updated = update_if(COLLECTION, schedule["_id"], user["_id"], {"active": False})
    return present(updated or get_schedule(user["_id"], schedule_id))


def resume_schedule(user, schedule_id):
    """Start again from today: runs that fell while paused are skipped, not caught up."""
    schedule = get_schedule(user["_id"], schedule_id)
    with locks.held(lock_key(schedule["_id"]), "This recurring invoice"):
        schedule = get_schedule(user["_id"], schedule_id)
        if schedule["active"]:
            return present(schedule)
        upcoming = next_run(schedule, today=user_today(user))
        updated = update_if(
            COLLECTION, schedule["_id"], user["_id"], {"active": True, "next_run_date": date_to_datetime(upcoming)}
        )
    return present(updated or get_schedule(user["_id"], schedule_id))


def delete_schedule(user_id, schedule_id):
    """Delete the schedule and its run records; the invoices it made stay as they are."""
    schedule = get_schedule(user_id, schedule_id)
    with locks.held(lock_key(schedule["_id"]), "This recurring invoice"):
        delete_owned(COLLECTION, schedule["_id"], user_id, WHAT)
        runs.delete_for(user_id, schedule["_id"])


# ---- reading ---------------------------------------------------------------------------------

def list_schedules(user_id, args):
    query = {"user_id": user_id}
    if args.get("client_id"):
        query["client_id"] = args["client_id"]
    if "active" in args:
        query["active"] = args["active"]
    query.update(lists.text_search(args.get("q"), SEARCHABLE))
    docs, headers = lists.find_page(COLLECTION, query, args, SORTABLE)
    return [present(doc) for doc in docs], headers


def preview(user, schedule_id, count):
    """The next ``count`` runs (fewer when the schedule ends sooner): dates and the template's
    totals. A paused schedule shows the runs it would make if resumed today."""
    schedule = get_schedule(user["_id"], schedule_id)
    first = _day(schedule["next_run_date"]) if schedule["active"] else next_run(schedule, today=user_today(user))
    if first is None:
        return []
    remaining = _remaining(schedule)
    rule = rule_of(schedule)
    amounts = {name: schedule[name] for name in ("currency", "subtotal", "discount", "tax", "total")}
    upcoming = []
    for run in rule.runs(first, count if remaining is None else min(count, remaining)):
        period = rule.period_before(run) if schedule["bill_project_time"] else (None, None)
        upcoming.append({
            "run_date": run,
            "due_date": resolve_due_date(run, None, schedule["payment_terms"]),
            "period_start": period[0],
            "period_end": period[1],
            **amounts,
        })
    return upcoming


def schedule_invoices(user_id, schedule_id, args):
    """The invoices a schedule made (those not deleted since), as the invoice list shows them."""
    schedule = get_schedule(user_id, schedule_id)
    return invoices.list_invoices(user_id, {**args, "recurring_invoice_id": schedule["_id"]})


def schedule_runs(user_id, schedule_id, args):
    schedule = get_schedule(user_id, schedule_id)
    return runs.list_for(user_id, schedule["_id"], args)


# ---- what the runs write ---------------------------------------------------------------------

def due_schedules(until):
    """``(_id, user_id)`` of every active schedule whose next run is on or before ``until``
    (every user's; the index on active + next_run_date serves it)."""
    query = {"active": True, "next_run_date": {"$lte": date_to_datetime(until)}}
    return [(doc["_id"], doc["user_id"]) for doc in collection(COLLECTION).find(query, {"user_id": 1})
            .sort([("next_run_date", 1), ("_id", 1)])]


def skip_backlog(schedule, today):
    """After a long outage, when more than CATCH_UP_CAP runs are due (and the count allows that
    many), the older ones are skipped: the schedule moves on to the first of the latest ones."""
    remaining = _remaining(schedule)
    if remaining is not None and remaining <= CATCH_UP_CAP:
        return schedule
    first, skipped = rule_of(schedule).skip_to_latest(_day(schedule["next_run_date"]), today, CATCH_UP_CAP)
    if not skipped:
        return schedule
    log.warning("recurring invoice %s: skipping %d runs due since %s", schedule["_id"], skipped,
                _day(schedule["next_run_date"]).isoformat())
    changes = {"next_run_date": date_to_datetime(first), "skipped_runs": schedule.get("skipped_runs", 0) + skipped}
    return update_if(COLLECTION, schedule["_id"], schedule["user_id"], changes,
                     {"next_run_date": schedule["next_run_date"]}) or schedule


def advance(schedule, run_date, invoice_id=None):
    """Count the run of ``run_date`` as done and move on to the next one (a conditional update
    on the previous next_run_date, so a repeat changes nothing)."""
    done = {**schedule, "runs_count": schedule["runs_count"] + 1, "last_run_date": date_to_datetime(run_date)}
    changes = {
        "runs_count": done["runs_count"],
        "last_run_date": done["last_run_date"],
        "next_run_date": date_to_datetime(next_run(done)),
        "last_error": None,
    }
    if invoice_id is not None:
        changes["last_invoice_id"] = invoice_id
    update_if(COLLECTION, schedule["_id"], schedule["user_id"], changes, {"next_run_date": schedule["next_run_date"]})


def record_error(schedule, error):
    """Why the next run could not make its invoice (shown on the schedule until a run succeeds)."""
    update_if(COLLECTION, schedule["_id"], schedule["user_id"], {"last_error": error})


def run_date_today(schedule, today):
    """The schedule's next run date if it is due by ``today`` (and the schedule runs), else None."""
    if schedule is None or not schedule.get("active") or schedule.get("next_run_date") is None:
        return None
    run_date = _day(schedule["next_run_date"])
    return run_date if run_date <= today else None
