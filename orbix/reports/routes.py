"""/api/dashboard and /api/reports: JSON by default, CSV with ``?format=csv``.

The five endpoints share one shape (validate the query, compute from the caller's
snapshot, answer JSON or CSV), so they are registered from one table.
"""

from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_doc
from ..platform.downloads import csv_download
from . import export, schemas, service

blp = ResourceBlueprint("reports", __name__, url_prefix="/api", description="Dashboard and reports",
                        family="reports")

ENDPOINTS = (
    ("/dashboard", "dashboard", schemas.DashboardQuerySchema, schemas.DashboardSchema, service.dashboard,
     "Overview: counts, outstanding and overdue, revenue this and last month, hours, running timer, unbilled time"),
    ("/reports/revenue", "revenue", schemas.RevenueQuerySchema, schemas.RevenueSchema, service.revenue,
     "Payments received per month, week or day (by payment date), per currency"),
    ("/reports/hours", "hours", schemas.HoursQuerySchema, schemas.HoursSchema, service.hours_report,
     "Tracked and billable hours and their value per project, client, day or week (local days in tz)"),
    ("/reports/aging", "aging", schemas.AgingQuerySchema, schemas.AgingSchema, service.aging,
     "Open invoices by days past due: current, 1-30, 31-60, 61-90, 90+"),
    ("/reports/clients", "clients", schemas.ClientsQuerySchema, schemas.ClientsSchema, service.clients_report,
     "Per client: invoiced, paid, outstanding, hours and effective hourly rate (paid / hours)"),
)


def register(path, name, query_schema, response_schema, compute, summary):
    def view(args):
        # A plain copy: the caller's document comes as a context-local proxy, and a snapshot
        # build reads it thousands of times (the user's default rate and currency).
        report = compute(dict(current_user_doc()), args)
        return csv_download(export.as_csv(name, report)) if args["format"] == "csv" else report

    view.__name__ = name
    view.__doc__ = f"{summary} (`format=csv` for a CSV download)"
    documented = blp.media(200, "text/csv")(blp.response(200, response_schema)(view))
    blp.route(path, methods=["GET"])(blp.auth()(blp.arguments(query_schema, location="query")(documented)))


for endpoint in ENDPOINTS:
    register(*endpoint)
