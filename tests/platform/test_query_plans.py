"""Every hot query is an index read on MongoDB: the queries the list, search and detail
endpoints send are recorded and explained. Runs only against a real MongoDB (MONGO_URI):
the embedded database's plans say nothing about production."""

import os

import pytest
from pymongo import monitoring

from orbix.common import ferretdb_compat
from tests.conftest import make_app
from tests.factories import make_client, make_invoice, make_project, make_time_entry, make_webhook, register_user

ENDPOINTS = (
    "/api/clients", "/api/clients?q=acme", "/api/clients?page=1&page_size=20", "/api/projects",
    "/api/time-tracking?from=2025-01-01&to=2025-03-31", "/api/time-tracking/summary?from=2025-01-01&to=2025-12-31",
    "/api/invoices", "/api/invoices?status=sent", "/api/invoices?page=2&page_size=10", "/api/contracts",
    "/api/resumes", "/api/ai/usage", "/api/recurring-invoices", "/api/webhooks", "/api/expenses",
    "/api/expenses?from=2025-01-01&to=2025-03-31&sort=date", "/api/expense-categories", "/api/files",
    "/api/dashboard", "/api/reports/hours?group=client",  # after writes: a snapshot rebuild from the ledgers
)


class FindRecorder(monitoring.CommandListener):
    """Keeps the find commands sent while ``recording``."""

    def __init__(self):
        self.recording, self.commands = False, []

    def started(self, event):
        if self.recording and event.command_name == "find":
            self.commands.append((event.database_name, dict(event.command)))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


@pytest.fixture(scope="module")
def recorder():
    listener = FindRecorder()
    monitoring.register(listener)  # clients created from now on report their commands
    return listener


@pytest.fixture
def plans_app(mongo_uri, redis_uri, recorder):
    uri = os.environ.get("MONGO_URI")
    if not uri:
        pytest.skip("query plans are checked against a real MongoDB (set MONGO_URI)")
    separator = "&" if "?" in mongo_uri else "?"
    app = make_app(mongo_uri + f"{separator}appname=orbix-plans", redis_uri)  # a client of its own
    with app.app_context():
        from orbix.db import get_db

        if ferretdb_compat.is_ferretdb(get_db()["users"]):
            pytest.skip("MONGO_URI points at FerretDB, not MongoDB")
    return app


def test_hot_queries_are_served_by_indexes(plans_app, recorder):
    client = plans_app.test_client()
    auth = register_user(client)["headers"]
    hook = make_webhook(client, auth, "http://127.0.0.1:9/hook")["_id"]  # the client below is its event
    customer = make_client(client, auth)["_id"]
    project = make_project(client, auth, client_id=customer)["_id"]
    make_time_entry(client, auth, project_id=project)
    invoice = make_invoice(client, auth, customer, status="sent")
    recorder.recording = True
    try:
        for path in (*ENDPOINTS, f"/api/invoices/{invoice['_id']}", f"/api/clients/{customer}",
                     f"/api/webhooks/{hook}/deliveries"):
            assert client.get(path, headers=auth).status_code == 200, path
    finally:
        recorder.recording = False
    assert recorder.commands
    with plans_app.app_context():
        from orbix.db import get_client

        for database, command in recorder.commands:
            explained = {key: command[key] for key in ("find", "filter", "sort", "projection") if key in command}
            plan = get_client()[database].command("explain", explained, verbosity="queryPlanner")
            winning = str(plan["queryPlanner"]["winningPlan"])
            assert "COLLSCAN" not in winning, (command, winning)


def test_job_history_purge_is_served_by_indexes(app, plans_app):
    """The daily purge (orbix.jobs.history) reads job_runs by finished_at, schedule_runs by task and period."""
    from datetime import datetime, timezone

    from orbix.db import get_db
    from orbix.jobs.history import job_runs_filter, schedule_runs_filter

    cutoff = datetime.now(timezone.utc)
    queries = (("job_runs", job_runs_filter(cutoff), None),
               ("schedule_runs", schedule_runs_filter("invoices.mark_overdue", cutoff, cutoff), None),
               ("schedule_runs", {"task": "invoices.mark_overdue"}, {"period_start": -1}))
    with plans_app.app_context():
        db = get_db()
        for name, query, sort in queries:
            command = {"find": name, "filter": query, **({"sort": sort} if sort else {})}
            winning = str(db.command("explain", command, verbosity="queryPlanner")["queryPlanner"]["winningPlan"])
            assert "COLLSCAN" not in winning, (name, query, winning)
