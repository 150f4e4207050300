"""The reports as CSV: one row per figure and currency (amounts are never added across
currencies), written through ``common.csvexport`` so user text cannot run as a formula."""

from ..common.csvexport import CsvExport
from ..common.timeutil import utcnow


def _per_currency(*maps):
    """Currencies appearing in any of ``maps`` (or one blank row when none)."""
    codes = sorted({code for amounts in maps for code in amounts})
    return codes or [""]


def _dashboard_rows(report):
    for section in ("clients", "projects"):
        for key in ("total", "active"):
            yield section, key, "", report[section][key]
    for section in ("invoices", "contracts"):
        for status, count in report[section]["by_status"].items():
            yield section, status, "", count
    yield "resumes", "total", "", report["resumes"]
    for section in ("outstanding", "overdue"):
        for code, amount in report[section].items():
            yield section, "", code, amount
    for period, amounts in report["revenue"].items():
        for code, amount in amounts.items():
            yield "revenue", period, code, amount
    for name, figures in (*report["hours"].items(), ("unbilled", report["unbilled"])):
        yield name, "hours", "", figures["hours"]
        yield name, "billable_hours", "", figures["billable_hours"]
        for code, amount in figures["value"].items():
            yield name, "value", code, amount
    timer = report["running_timer"]
    if timer:
        yield "running_timer", timer["description"] or "", "", timer["elapsed_seconds"]


def _revenue_rows(report):
    for row in report["periods"]:
        for code in _per_currency(row["received"]):
            count = row["payments_by_currency"].get(code, 0)
            yield row["period"], row["start"], row["end"], code, row["received"].get(code, 0), count


def _hours_rows(report):
    for row in report["groups"]:
        for code in _per_currency(row["value"]):
            yield row["key"], row["label"], row["hours"], row["billable_hours"], code, row["value"].get(code, 0)


def _aging_rows(report):
    for bucket in report["buckets"]:
        for invoice in bucket["invoices"]:
            yield (
                bucket["bucket"],
                invoice["invoice_number"],
                invoice["client"],
                invoice["status"],
                invoice["due_date"],
                invoice["days_overdue"],
                invoice["currency"],
                invoice["balance_due"],
            )


def _clients_rows(report):
    for row in report["clients"]:
        maps = (row["invoiced"], row["paid"], row["outstanding"], row["value"])
        for code in _per_currency(*maps):
            yield (
                row["client"],
                code,
                *(amounts.get(code, 0) for amounts in maps),
                row["hours"],
                row["effective_hourly_rate"].get(code),
            )


LAYOUTS = {
    "dashboard": (("section", "item", "currency", "value"), _dashboard_rows),
    "revenue": (("period", "start", "end", "currency", "received", "payments"), _revenue_rows),
    "hours": (("key", "label", "hours", "billable_hours", "currency", "value"), _hours_rows),
    "aging": (
        ("bucket", "invoice_number", "client", "status", "due_date", "days_overdue", "currency", "balance_due"),
        _aging_rows,
    ),
    "clients": (
        ("client", "currency", "invoiced", "paid", "outstanding", "value", "hours", "effective_hourly_rate"),
        _clients_rows,
    ),
}


def as_csv(name, report):
    header, rows = LAYOUTS[name]
    return CsvExport(header, rows(report), f"{name}-{utcnow().date().isoformat()}.csv")
