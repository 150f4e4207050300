"""A compact, cached copy of what the reports read, per user and per process.

Why: FerretDB 1.24 evaluates every filter except ``_id`` equality in Go after decoding
each document (25-100 µs a document), so scanning five years of time entries costs
about a second per request. The reports therefore read the user's data once into
tuples, keep it in a small LRU (``REPORTS_CACHE_USERS`` users per worker, default 8),
and re-validate it on every request with one primary-key read of the user's
``data_versions`` token (see ``common.data_versions``) and the Redis half of the version that
the request's rate-limit round trip brought (``platform.write_tracking``). Only a request after
a write pays for a rebuild ("cold"); the rest compute from memory ("warm").

What a build reads, each one indexed query with a projection (indexes in
``migrations/0007_reports.py``, all starting with ``user_id``): the user's time entries
(``user_id, start_time``), invoices (``user_id, date``), payments (``user_id, date,
currency``), clients and projects (``user_id, ...``). Cost is linear in the user's data
on a build and independent of other users' data on MongoDB (FerretDB scans the
collection). Amounts are computed here once with the shared billing rule
(``common.rates``), in integer minor units of the entry's billing currency.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from ..clients import CLIENTS
from ..common import data_versions, money, rates
from ..common.lru import LruCache
from ..common.timeutil import UTC
from ..db import collection
from ..invoices import INVOICES, PAYMENTS
from ..platform import write_tracking
from ..projects import PROJECTS
from ..time_tracking import TIME_ENTRIES

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_CACHE_USERS = 8

ENTRY_FIELDS = (
    "start_time",
    "end_time",
    "duration",
    "is_billable",
    "project_id",
    "client_id",
    "hourly_rate",
    "invoice_id",
    "description",
)
INVOICE_FIELDS = (
    "invoice_number",
    "client_id",
    "status",
    "date",
    "due_date",
    "currency",
    "total",
    "amount_paid",
    "balance_due",
)
PAYMENT_FIELDS = ("date", "amount", "currency", "client_id", "invoice_id")

# Positions in an entry tuple (kept as plain tuples: 20,000 of them are summed per request).
START, SECONDS, BILLABLE, PROJECT, CLIENT, CURRENCY, AMOUNT, UNBILLED = range(8)


def epoch_ms(moment):
    """Exact integer milliseconds since the epoch of an aware datetime."""
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


@dataclass
class Snapshot:
    """Everything the reports compute from, for one user at one data version."""

    defaults: tuple
    clients: dict
    projects: dict
    entries: list  # tuples (see positions above), stopped entries sorted by start
    starts: list  # entries' start in epoch ms, for bisecting a range
    running: list  # dicts of entries whose timer is still running
    invoices: list  # dicts with INVOICE_FIELDS, dates as calendar dates
    payments: list  # tuples (date ordinal, amount minor, currency, client_id, invoice_id), by date
    payment_days: list = field(default_factory=list)


BATCH = 1000  # short round trips: one 16 MB batch of entries can outlast the socket timeout on FerretDB


def _find(name, user_id, fields, sort=None):
    cursor = collection(name).find({"user_id": user_id}, dict.fromkeys(fields, 1), batch_size=BATCH)
    return cursor.sort(sort) if sort else cursor


class _Pricer:
    """The billing rule per entry, memoised on (seconds, rate, currency): many entries repeat."""

    def __init__(self):
        self.memo = {}

    def amount_minor(self, entry, rate, currency):
        key = (entry.get("duration"), rate, currency, entry.get("is_billable", True))
        if key not in self.memo:
            self.memo[key] = money.to_minor(rates.entry_amount(entry, rate, currency), currency)
        return self.memo[key]


def _entry_tuples(user_id, clients, projects, user):
    entries, running = [], []
    pricer = _Pricer()
    for doc in _find(TIME_ENTRIES, user_id, ENTRY_FIELDS, [("start_time", 1), ("_id", 1)]):
        project = projects.get(doc.get("project_id"))
        client_id = doc.get("client_id") or (project or {}).get("client_id")
        client = clients.get(client_id)
        if doc.get("end_time") is None:
            running.append({**doc, "client_id": client_id})
            continue
        rate, _source = rates.effective_rate(doc, project, client, user)
        currency = rates.billing_currency(client, user)
        billable = bool(doc.get("is_billable", True))
        seconds = int(doc.get("duration") or 0)
        entries.append(
            (
                epoch_ms(doc["start_time"]),
                seconds,
                billable,
                doc.get("project_id"),
                client_id,
                currency,
                pricer.amount_minor(doc, rate, currency),
                billable and doc.get("invoice_id") is None,
            )
        )
    return entries, running


def _invoice_dicts(user_id):
    invoices = []
    for doc in _find(INVOICES, user_id, INVOICE_FIELDS):
        doc["issue_day"] = doc["date"].date()
        doc["due_day"] = doc["due_date"].date()
        invoices.append(doc)
    return invoices


def build(user_id, user):
    """Read the user's data (one query per collection) into a Snapshot."""
    clients = {c["_id"]: c for c in _find(CLIENTS, user_id, ("name", "currency", "default_hourly_rate", "archived"))}
    projects = {
        p["_id"]: p for p in _find(PROJECTS, user_id, ("name", "client_id", "status", "hourly_rate", "archived"))
    }
    entries, running = _entry_tuples(user_id, clients, projects, user)
    payments = sorted(
        (p["date"].date().toordinal(), p["amount"], p["currency"], p.get("client_id"), p.get("invoice_id"))
        for p in _find(PAYMENTS, user_id, PAYMENT_FIELDS)
    )
    return Snapshot(
        defaults=rates.user_defaults(user),
        clients=clients,
        projects=projects,
        entries=entries,
        starts=[e[START] for e in entries],
        running=running,
        invoices=_invoice_dicts(user_id),
        payments=payments,
        payment_days=[p[0] for p in payments],
    )


class SnapshotCache:
    """LRU of (version token, Snapshot) by user id; builds outside any lock."""

    def __init__(self):
        self._items = LruCache(lambda: current_app.config.get("REPORTS_CACHE_USERS", DEFAULT_CACHE_USERS))

    def get(self, user_id, user):
        # Read BEFORE scanning (see common.data_versions); both halves, see platform.write_tracking.
        token = (write_tracking.fast_version(user_id), data_versions.current(user_id))
        defaults = rates.user_defaults(user)
        cached = self._items.get(user_id)
        if cached and cached[0] == token and cached[1].defaults == defaults:
            return cached[1]
        snapshot = build(user_id, user)
        self._items.put(user_id, (token, snapshot))
        return snapshot


CACHE = SnapshotCache()


def for_user(user):
    """The current Snapshot of ``user`` (a user document)."""
    return CACHE.get(user["_id"], user)
