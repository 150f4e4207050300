"""Making the invoices of due runs: what the hourly task (``recurring.jobs``) does.

``run_due(now)`` finds every active schedule whose next run date has come in its user's time
zone (the query reaches as far as the zone furthest ahead of UTC; each user's own date
decides) and works through its due runs oldest first, each run under the schedule's lock:

1. claim the run (``runs.claim``: a unique insert; a fresh claim held elsewhere is left alone);
2. write its invoice through the invoices service under the id the claim fixed: issue date =
   run date, due date = run date + payment terms, the usual number, ``recurring_invoice_id``.
   With ``bill_project_time`` the project's unbilled, billable time that started in the period
   just ended (from the previous run date to the day before this one, in the user's zone) is
   claimed and billed too, through ``invoices.from_time``, so time is never billed twice. An
   invoice that cannot be made (the client's currency changed, a time entry has no rate ...)
   marks the run failed and leaves the schedule on it until a later pass succeeds;
3. with ``auto_send``, queue the e-mail (``invoices.delivery``); a failure (e-mail not
   configured, queue away) is recorded on the run and not retried, and the invoice stays;
4. advance the schedule (runs_count, last run, next run date).

The schedule advances only once the run is finished, so a worker that dies at any step leaves
it on that run: a later pass completes the claim (a bare claim after ``runs.STALE_AFTER``),
writing the same invoice id or finding it written, and sending only if no e-mail about that
invoice exists yet. After an outage every missed run is made, each its own invoice, oldest
first (beyond ``service.CATCH_UP_CAP`` at once, the older ones are skipped).
"""

import logging
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from ..auth.service import find_user
from ..common import data_versions, locks
from ..common.exceptions import Conflict, DomainError, NotFound
from ..common.timeutil import UTC, local_date, local_day_start, user_zone, utcnow
from ..invoices import delivery, from_time, totals
from ..invoices import service as invoices
from ..time_tracking import claims
from . import runs, service

log = logging.getLogger(__name__)

MAX_UTC_OFFSET = timedelta(hours=14)  # Kiribati: where the calendar date changes first


def run_due(now=None):
    """Make every run due at ``now`` (default: now) for every user; returns how many runs were done."""
    now = now or utcnow()
    done = 0
    for schedule_id, user_id in service.due_schedules(local_date(now + MAX_UTC_OFFSET, UTC)):
        done += run_schedule(schedule_id, user_id, now)
    return done


def run_schedule(schedule_id, user_id, now):
    """Do the due runs of one schedule, one per turn of its lock; returns how many were done."""
    user = find_user(user_id)
    if user is None:  # the account was deleted meanwhile
        return 0
    today = local_date(now, user_zone(user))
    done = 0
    for _ in range(service.CATCH_UP_CAP + 1):
        try:
            with locks.held(service.lock_key(schedule_id), "This recurring invoice"):
                run = _run_next(schedule_id, user, today)
        except Conflict:  # the lock: another worker is on this schedule and does its runs
            log.info("recurring invoice %s is busy; left to the worker holding it", schedule_id)
            break
        if run is None:
            break
        done += 1
    if done:
        data_versions.bump(user_id)  # report caches hold this user's invoices
    return done


def _run_next(schedule_id, user, today):
    """The schedule's next run, if due: claimed, invoiced, sent, and the schedule advanced.
    None when there is nothing (more) to do now. Every domain error is handled here, so a
    Conflict reaching the caller is the lock's."""
    schedule = service.find_schedule(user["_id"], schedule_id)
    if service.run_date_today(schedule, today) is None:
        return None
    schedule = service.skip_backlog(schedule, today)
    run_date = service.run_date_today(schedule, today)
    run = runs.claim(schedule, run_date)
    if run is None:
        return None
    if run["state"] in (runs.CLAIMED, runs.FAILED):
        run = _make_invoice(schedule, run, user, run_date)
        if run["state"] == runs.FAILED:
            service.record_error(schedule, run["error"])
            return None
    if run["state"] == runs.INVOICED and schedule["auto_send"] and run.get("send_status") is None:
        run = _send(schedule, run, user)
    service.advance(schedule, run_date, run.get("invoice_id"))
    return run


def _make_invoice(schedule, run, user, run_date):
    """Write the run's invoice unless it is written already; the run with its outcome."""
    invoice_id = run["planned_invoice_id"]
    if not invoices.invoice_exists(invoice_id):
        try:
            if _write_invoice(schedule, invoice_id, user, run_date) is None:
                return runs.record(run, state=runs.NOTHING_TO_BILL, error=None)
        except DomainError as exc:
            log.warning("recurring invoice %s, run %s: %s", schedule["_id"], run_date, exc.message)
            return runs.record(run, state=runs.FAILED, error=exc.message)
        except DuplicateKeyError:
            if not invoices.invoice_exists(invoice_id):
                raise  # not our invoice id: a real failure
    try:
        number = invoices.find_invoice(user["_id"], invoice_id)["invoice_number"]
    except NotFound:  # written, then deleted by its owner before this run was recorded
        number = None
    return runs.record(run, state=runs.INVOICED, invoice_id=invoice_id, invoice_number=number, error=None)


def _write_invoice(schedule, invoice_id, user, run_date):
    """The run's draft invoice from the template (and the period's tracked time); None when it
    would have no line at all."""
    user_id = user["_id"]
    client, project = from_time.client_and_project(user_id, schedule)
    currency = schedule["currency"]
    data = {
        "date": run_date,
        "payment_terms": schedule["payment_terms"],
        "notes": schedule.get("notes"),
        **totals.adjustments_after(schedule),
    }
    items = [totals.input_item(item) for item in schedule["items"]]
    if not schedule["bill_project_time"]:
        return invoices.new_invoice(user, client, data, items, currency, _id=invoice_id,
                                    project_id=schedule.get("project_id"), recurring_invoice_id=schedule["_id"])
    service.check_time_currency(client, user, currency)
    claims.release_invoice(invoice_id, user_id)  # what a worker that died had claimed for this invoice
    start, _end = service.rule_of(schedule).period_before(run_date)
    zone = user_zone(user)
    candidates = claims.unbilled_entry_ids(
        user_id,
        client["_id"],
        project_id=project["_id"],
        start=local_day_start(start, zone) if start else None,
        end=local_day_start(run_date, zone),
    )
    claimed = from_time.claim_time(candidates, invoice_id, user_id)
    if not claimed and not items:
        return None
    return from_time.write_claimed(user, client, project, data, currency, claimed, invoice_id, fixed_items=items,
                                   recurring_invoice_id=schedule["_id"])


def _send(schedule, run, user):
    """Queue the invoice's e-mail once; the run with the outcome."""
    try:
        earlier = delivery.messages_for(user, run["invoice_id"])
        if earlier:  # queued by a worker that died before recording it
            return runs.record(run, send_status=runs.QUEUED, message_id=earlier[0]["_id"], send_error=None)
        options = {"attach_pdf": True, **(schedule.get("send_options") or {})}
        message = delivery.send_invoice(user, run["invoice_id"], options, schedule.get("link_base_url"))
    except DomainError as exc:
        log.warning("recurring invoice %s: invoice %s not sent: %s", schedule["_id"], run["invoice_id"], exc.message)
        return runs.record(run, send_status=runs.FAILED, send_error=exc.message)
    return runs.record(run, send_status=runs.QUEUED, message_id=message["_id"], send_error=None)
