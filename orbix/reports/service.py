"""The report figures, computed from the user's cached Snapshot (see ``snapshot``).

Every money figure is a map currency -> amount (never summed across currencies),
added up in integer minor units and rendered in major units. Voided and draft
invoices are never counted as invoiced or outstanding; statuses are the effective
ones (``invoices.lifecycle``: an unpaid invoice past due reads as overdue).

Warm cost per request: one ``data_versions`` read by ``_id`` plus a pass over the
snapshot rows inside the window (found by bisecting sorted starts / dates), so at most
~20,000 tuples for five years of entries. The dashboard also counts contracts
(aggregation on ``user_id, status``) and resumes (``user_id``) live, because a contract
changes status through the public signing link without an authenticated write.
"""

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..common import money
from ..common.timeutil import UTC, local_day_start, utcnow
from ..contracts import CONTRACTS
from ..contracts.schemas import STATUSES as CONTRACT_STATUSES
from ..db import collection
from ..expenses import totals as expense_totals
from ..invoices import lifecycle
from ..resumes import RESUMES
from . import periods, snapshot
from .snapshot import AMOUNT, BILLABLE, CLIENT, CURRENCY, PROJECT, SECONDS, UNBILLED

AGING_BUCKETS = (("current", None, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))
OPEN_STATUSES = (lifecycle.SENT, lifecycle.PARTIAL, lifecycle.OVERDUE)
ISSUED_STATUSES = OPEN_STATUSES + (lifecycle.PAID,)
HUNDREDTH = Decimal("0.01")


def money_map(minor_by_currency):
    """{currency: minor} -> {currency: major-unit JSON number}, currencies sorted."""
    return {code: money.minor_to_json(amount, code) for code, amount in sorted(minor_by_currency.items())}


def hours(seconds):
    return money.to_json_number((Decimal(seconds) / 3600).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))


def share(part, whole):
    return (
        float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)) if whole else None
    )


class Tally:
    """Tracked and billable time of some entries, and the billable value per currency."""

    __slots__ = ("seconds", "billable_seconds", "value", "entries")

    def __init__(self):
        self.seconds = self.billable_seconds = self.entries = 0
        self.value = defaultdict(int)

    def add(self, entry):
        self.entries += 1
        self.seconds += entry[SECONDS]
        if entry[BILLABLE]:
            self.billable_seconds += entry[SECONDS]
            self.value[entry[CURRENCY]] += entry[AMOUNT]

    def view(self):
        return {
            "entries": self.entries,
            "seconds": self.seconds,
            "hours": hours(self.seconds),
            "billable_seconds": self.billable_seconds,
            "billable_hours": hours(self.billable_seconds),
            "billable_share": share(self.billable_seconds, self.seconds),
            "value": money_map(self.value),
        }


def entries_between(snap, start_ms, end_ms):
    """Stopped entries starting in [start_ms, end_ms)."""
    return snap.entries[bisect_left(snap.starts, start_ms) : bisect_left(snap.starts, end_ms)]


def _dated_between(rows, days, first_day, last_day):
    return rows[bisect_left(days, first_day.toordinal()) : bisect_right(days, last_day.toordinal())]


def payments_between(snap, first_day, last_day):
    """Payments dated from ``first_day`` to ``last_day`` inclusive (calendar dates)."""
    return _dated_between(snap.payments, snap.payment_days, first_day, last_day)


def credits_between(snap, first_day, last_day):
    """Credit notes dated from ``first_day`` to ``last_day`` inclusive, shaped like payments."""
    return _dated_between(snap.credits, snap.credit_days, first_day, last_day)


def credited(notes):
    """Credit notes as negative amounts per currency (they take revenue off in their period)."""
    return {code: -amount for code, amount in received(notes).items()}


def tally(entries):
    result = Tally()
    for entry in entries:
        result.add(entry)
    return result


def received(payments):
    totals = defaultdict(int)
    for payment in payments:
        totals[payment[2]] += payment[1]
    return totals


def _window_meta(win, **extra):
    return {"from": win.first_day.isoformat(), "to": win.last_day.isoformat(), "tz": str(win.tz), **extra}


def revenue(user, args):
    """Payments received per period (by payment date), per currency."""
    snap = snapshot.for_user(user)
    win = periods.window(args)
    rows, overall, overall_credited = [], defaultdict(int), defaultdict(int)
    for name, first, last, _start, _end in periods.periods(win, args["group"]):
        paid = payments_between(snap, first, last)
        totals, credits = received(paid), credited(credits_between(snap, first, last))
        counts = Counter(payment[2] for payment in paid)
        for code, amount in totals.items():
            overall[code] += amount
        for code, amount in credits.items():
            overall_credited[code] += amount
        rows.append(
            {
                "period": name,
                "start": first.isoformat(),
                "end": last.isoformat(),
                "payments": len(paid),
                "payments_by_currency": dict(sorted(counts.items())),
                "received": money_map(totals),
                "credited": money_map(credits),
            }
        )
    spent = expense_totals.totals_by_currency(user["_id"], win.first_day, win.last_day)
    revenue_major = {code: money.from_minor(amount, code) for code, amount in overall.items()}
    return {**_window_meta(win, group=args["group"]), "periods": rows, "total": money_map(overall),
            "credited": money_map(overall_credited),
            "expenses": {code: money.to_json_number(spent[code]["total"]) for code in sorted(spent)},
            "profit": {code: money.to_json_number(amount)
                       for code, amount in expense_totals.profit_by_currency(revenue_major, spent).items()}}


def _hours_groups(snap, win, group):
    if group in ("day", "week"):
        return [
            {
                "key": name,
                "label": name,
                "start": first.isoformat(),
                "end": last.isoformat(),
                **tally(entries_between(snap, start_ms, end_ms)).view(),
            }
            for name, first, last, start_ms, end_ms in periods.periods(win, group)
        ]
    position, names = (PROJECT, snap.projects) if group == "project" else (CLIENT, snap.clients)
    groups = defaultdict(Tally)
    for entry in entries_between(snap, win.start_ms, win.end_ms):
        groups[entry[position]].add(entry)
    rows = [
        {
            "key": str(key) if key else None,
            "label": (names.get(key) or {}).get("name") or f"No {group}",
            **result.view(),
        }
        for key, result in groups.items()
    ]
    return sorted(rows, key=lambda row: (row["key"] is None, row["label"].casefold(), row["key"] or ""))


def hours_report(user, args):
    """Tracked and billable hours and their value per project, client, day or week."""
    snap = snapshot.for_user(user)
    win = periods.window(args)
    overall = tally(entries_between(snap, win.start_ms, win.end_ms)).view()
    return {
        **_window_meta(win, group=args["group"]),
        "groups": _hours_groups(snap, win, args["group"]),
        "total": overall,
    }


def _bucket(days_overdue):
    for name, low, high in AGING_BUCKETS:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return name
    return AGING_BUCKETS[-1][0]


def aging(user, args):
    """Open invoices (sent, part-paid, overdue) by days past their due date on ``as_of``."""
    snap = snapshot.for_user(user)
    as_of = args.get("as_of") or lifecycle.today()
    buckets = {
        name: {"bucket": name, "count": 0, "balance_due": defaultdict(int), "invoices": []}
        for name, _low, _high in AGING_BUCKETS
    }
    for invoice in sorted(snap.invoices, key=lambda doc: (doc["due_day"], doc["invoice_number"])):
        status = lifecycle.effective_status(invoice, on=as_of)
        if status not in OPEN_STATUSES or invoice["balance_due"] <= 0:
            continue
        late = (as_of - invoice["due_day"]).days
        bucket = buckets[_bucket(late)]
        bucket["count"] += 1
        bucket["balance_due"][invoice["currency"]] += invoice["balance_due"]
        bucket["invoices"].append(
            {
                "_id": str(invoice["_id"]),
                "invoice_number": invoice["invoice_number"],
                "client_id": str(invoice["client_id"]),
                "client": (snap.clients.get(invoice["client_id"]) or {}).get("name"),
                "status": status,
                "due_date": invoice["due_day"].isoformat(),
                "days_overdue": max(late, 0),
                "currency": invoice["currency"],
                "balance_due": money.minor_to_json(invoice["balance_due"], invoice["currency"]),
            }
        )
    total = defaultdict(int)
    for bucket in buckets.values():
        for code, amount in bucket["balance_due"].items():
            total[code] += amount
        bucket["balance_due"] = money_map(bucket["balance_due"])
    return {"as_of": as_of.isoformat(), "buckets": list(buckets.values()), "total": money_map(total)}


class ClientFigures:
    __slots__ = ("invoiced", "credited", "paid", "outstanding", "time")

    def __init__(self):
        self.invoiced, self.paid, self.outstanding = defaultdict(int), defaultdict(int), defaultdict(int)
        self.credited = defaultdict(int)
        self.time = Tally()


def _effective_rates(billed, seconds):
    """Billed (invoiced) amount per billable hour, per currency, rounded to the currency
    (nothing without billable hours)."""
    if not seconds:
        return {}
    return {
        code: money.to_json_number(money.quantize(money.from_minor(amount, code) * 3600 / Decimal(seconds), code))
        for code, amount in sorted(billed.items())
    }


def clients_report(user, args):
    """Per client over the window: invoiced (issued, not void, less credit notes dated in the
    window), credited (those credit notes, negative), paid (payment dates),
    outstanding (balance still due on the invoices issued in the window), hours, and
    the effective hourly rate (invoiced amount / billable hours)."""
    snap = snapshot.for_user(user)
    win = periods.window(args)
    first, last = win.days()
    figures = defaultdict(ClientFigures)
    for invoice in snap.invoices:
        if first <= invoice["issue_day"].toordinal() <= last and invoice["status"] in ISSUED_STATUSES:
            row = figures[invoice["client_id"]]
            row.invoiced[invoice["currency"]] += invoice["total"]
            row.outstanding[invoice["currency"]] += invoice["balance_due"]
    for _day, amount, code, client_id, _invoice in payments_between(snap, win.first_day, win.last_day):
        figures[client_id].paid[code] += amount
    for _day, amount, code, client_id, _invoice in credits_between(snap, win.first_day, win.last_day):
        figures[client_id].invoiced[code] -= amount  # a credit note takes it off in its own period
        figures[client_id].credited[code] -= amount
    for entry in entries_between(snap, win.start_ms, win.end_ms):
        figures[entry[CLIENT]].time.add(entry)
    rows = []
    for client_id, row in figures.items():
        time = row.time.view()
        rows.append(
            {
                "client_id": str(client_id) if client_id else None,
                "client": (snap.clients.get(client_id) or {}).get("name") or "No client",
                "invoiced": money_map(row.invoiced),
                "credited": money_map(row.credited),
                "paid": money_map(row.paid),
                "outstanding": money_map(row.outstanding),
                "hours": time["hours"],
                "billable_hours": time["billable_hours"],
                "value": time["value"],
                "effective_hourly_rate": _effective_rates(row.invoiced, row.time.billable_seconds),
            }
        )
    rows.sort(key=lambda r: (r["client_id"] is None, r["client"].casefold(), r["client_id"] or ""))
    return {**_window_meta(win), "clients": rows}


def _invoice_figures(snap):
    counts = dict.fromkeys(lifecycle.STATUSES, 0)
    outstanding, overdue = defaultdict(int), defaultdict(int)
    today = lifecycle.today()
    for invoice in snap.invoices:
        status = lifecycle.effective_status(invoice, on=today)
        counts[status] = counts.get(status, 0) + 1
        if status in OPEN_STATUSES:
            outstanding[invoice["currency"]] += invoice["balance_due"]
            if status == lifecycle.OVERDUE:
                overdue[invoice["currency"]] += invoice["balance_due"]
    return {"by_status": counts, "total": len(snap.invoices)}, money_map(outstanding), money_map(overdue)


def _contracts_by_status(user_id):
    counts = dict.fromkeys(CONTRACT_STATUSES, 0)
    pipeline = [{"$match": {"user_id": user_id}}, {"$group": {"_id": "$status", "count": {"$sum": 1}}}]
    for row in collection(CONTRACTS).aggregate(pipeline):
        counts[row["_id"]] = row["count"]
    return {"by_status": counts, "total": sum(counts.values())}


def _running_timer(snap):
    if not snap.running:
        return None
    entry = max(snap.running, key=lambda doc: doc["start_time"])
    project = snap.projects.get(entry.get("project_id")) or {}
    return {
        "_id": str(entry["_id"]),
        "description": entry.get("description"),
        "start_time": entry["start_time"].astimezone(UTC).isoformat(),
        "elapsed_seconds": max(0, int((utcnow() - entry["start_time"]).total_seconds())),
        "project_id": str(entry["project_id"]) if entry.get("project_id") else None,
        "project": project.get("name"),
        "client_id": str(entry["client_id"]) if entry.get("client_id") else None,
    }


def _local_span(first_day, tz):
    """The window from a local day up to the end of today."""
    today = periods.local_today(tz)
    return periods.Window(
        first_day,
        today,
        snapshot.epoch_ms(local_day_start(first_day, tz)),
        snapshot.epoch_ms(local_day_start(today + timedelta(days=1), tz)),
        tz,
    )


def dashboard(user, args):
    """The overview: counts, money owed and received, time this week and month, unbilled time."""
    snap = snapshot.for_user(user)
    tz = args.get("tz") or UTC
    today = periods.local_today(tz)
    invoices, outstanding, overdue = _invoice_figures(snap)
    this_month, last_month = periods.month_start(today), periods.month_start(today, back=1)
    week, month = _local_span(periods.period_start(today, "week"), tz), _local_span(this_month, tz)
    unbilled = Tally()
    for entry in snap.entries:
        if entry[UNBILLED]:
            unbilled.add(entry)
    clients = snap.clients.values()
    projects = snap.projects.values()
    return {
        "tz": str(tz),
        "clients": {"total": len(clients), "active": sum(1 for c in clients if not c.get("archived"))},
        "projects": {
            "total": len(projects),
            "active": sum(1 for p in projects if p.get("status", "active") == "active" and not p.get("archived")),
        },
        "invoices": invoices,
        "contracts": _contracts_by_status(user["_id"]),
        "resumes": collection(RESUMES).count_documents({"user_id": user["_id"]}),
        "outstanding": outstanding,
        "overdue": overdue,
        "revenue": {
            "this_month": money_map(
                received(
                    payments_between(snap, this_month, periods.next_period(this_month, "month") - timedelta(days=1))
                )
            ),
            "last_month": money_map(received(payments_between(snap, last_month, this_month - timedelta(days=1)))),
        },
        "hours": {
            name: tally(entries_between(snap, span.start_ms, span.end_ms)).view()
            for name, span in (("this_week", week), ("this_month", month))
        },
        "running_timer": _running_timer(snap),
        "unbilled": unbilled.view(),
    }
