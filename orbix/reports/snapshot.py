"""A compact, cached copy of what the reports read, per user and per process.

Why: the reports need all of a user's time entries, invoices and payments (five years:
~23,500 documents), and reading the documents themselves costs seconds (FerretDB 1.24
decodes each whole document; on any engine it is linear in the documents' size). So the
snapshot is built from the owners' report ledgers (``common.ledgers``: a few shard documents
per user, read by ``_id``, kept current on every write by ``time_tracking.ledger`` and
``invoices.ledger``) plus the user's clients and projects, which are few and read live
(names, rates and currencies change without touching entries). Amounts are computed here with
the shared billing rule (``common.rates``) in integer minor units of the entry's billing
currency, so a rate change shows at once. A cached snapshot is re-validated on every request
with the user's ``data_versions`` token and the Redis half of the version that the request's
rate-limit round trip brought (``common.data_versions.version``).

The result is kept in a small LRU (``REPORTS_CACHE_USERS`` users per worker, default 8) and
re-validated on every request with one primary-key read of the user's ``data_versions``
token (see ``common.data_versions``). Only a request after a write pays for a rebuild
("cold"); the rest compute from memory ("warm").
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from bson import ObjectId
from flask import current_app

from ..clients import CLIENTS
from ..common import data_versions, money, rates
from ..common.lru import LruCache
from ..common.timeutil import UTC, epoch_ms, from_epoch_ms
from ..db import collection
from ..invoices import ledger as invoice_ledger
from ..projects import PROJECTS
from ..time_tracking import ledger as entry_ledger

__all__ = ["epoch_ms", "for_user"]

DEFAULT_CACHE_USERS = 8
INVOICE_FIELDS = ("invoice_number", "client_id", "status", "issue_day", "due_day", "currency", "total", "amount_paid",
                  "balance_due")

# Positions in an entry tuple (kept as plain tuples: 20,000 of them are summed per request).
START, SECONDS, BILLABLE, PROJECT, CLIENT, CURRENCY, AMOUNT, UNBILLED = range(8)


@dataclass
class Snapshot:
    """Everything the reports compute from, for one user at one data version."""

    defaults: tuple
    clients: dict
    projects: dict
    entries: list  # tuples (see positions above), stopped entries sorted by start
    starts: list  # entries' start in epoch ms, for bisecting a range
    running: list  # dicts of entries whose timer is still running
    invoices: list  # dicts with INVOICE_FIELDS (days as dates), due_date (datetime) and _id
    payments: list  # tuples (date ordinal, amount minor, currency, client_id, invoice_id), by date
    payment_days: list = field(default_factory=list)
    credits: list = field(default_factory=list)  # credit notes, tuples shaped like payments (total), by date
    credit_days: list = field(default_factory=list)


def _find(name, user_id, fields):
    return collection(name).find({"user_id": user_id}, dict.fromkeys(fields, 1))


class _Ids:
    """Hex -> ObjectId, memoised (a user's rows name a few hundred distinct ids)."""

    def __init__(self):
        self.memo = {None: None}

    def __call__(self, text):
        found = self.memo.get(text, False)
        if found is False:
            found = self.memo[text] = ObjectId(text)
        return found


class _Pricer:
    """(client, currency, amount) of an entry, with two memos: the rate and currency follow
    from (project, client, own rate), the amount from (seconds, rate, currency): both repeat."""

    def __init__(self, clients, projects, user, ids):
        self.clients, self.projects, self.user, self.ids = clients, projects, user, ids
        self.terms, self.amounts = {}, {}

    def _terms(self, project_hex, client_hex, own_rate):
        key = (project_hex, client_hex, own_rate)  # hex strings: they hash faster than ObjectIds
        found = self.terms.get(key)
        if found is None:
            project = self.projects.get(self.ids(project_hex))
            client_id = self.ids(client_hex) or (project or {}).get("client_id")
            client = self.clients.get(client_id)
            rate, _source = rates.effective_rate({"hourly_rate": own_rate}, project, client, self.user)
            found = self.terms[key] = (client_id, rates.billing_currency(client, self.user), rate)
        return found

    def __call__(self, project_hex, client_hex, own_rate, seconds, billable):
        client_id, currency, rate = self._terms(project_hex, client_hex, own_rate)
        key = (seconds, rate, currency, billable)
        amount = self.amounts.get(key)
        if amount is None:
            entry = {"duration": seconds, "is_billable": billable}
            amount = self.amounts[key] = money.to_minor(rates.entry_amount(entry, rate, currency), currency)
        return client_id, currency, amount


def _entry_tuples(user_id, clients, projects, user, ids):
    R = entry_ledger
    entries, running = [], []
    price = _Pricer(clients, projects, user, ids)
    for entry_id, row in entry_ledger.rows(user_id).items():
        if row[R.RUNNING]:
            project_id, client_id = ids(row[R.PROJECT]), ids(row[R.CLIENT])
            running.append(
                {
                    "_id": ObjectId(entry_id),
                    "description": row[R.DESCRIPTION],
                    "start_time": from_epoch_ms(row[R.START]),
                    "project_id": project_id,
                    "client_id": client_id or (projects.get(project_id) or {}).get("client_id"),
                }
            )
            continue
        billable = row[R.BILLABLE]
        client_id, currency, amount = price(row[R.PROJECT], row[R.CLIENT], row[R.RATE], row[R.SECONDS], billable)
        entries.append(
            (row[R.START], row[R.SECONDS], billable, ids(row[R.PROJECT]), client_id, currency, amount,
             billable and not row[R.INVOICED])
        )
    entries.sort(key=lambda entry: entry[START])
    return entries, running


def _invoice_dicts(user_id, ids):
    invoices = []
    for invoice_id, row in invoice_ledger.invoice_rows(user_id).items():
        doc = dict(zip(INVOICE_FIELDS, row, strict=True))
        doc["_id"], doc["client_id"] = ObjectId(invoice_id), ids(doc["client_id"])
        doc["issue_day"], doc["due_day"] = date.fromordinal(doc["issue_day"]), date.fromordinal(doc["due_day"])
        doc["due_date"] = datetime.combine(doc["due_day"], time(), UTC)  # what lifecycle.effective_status reads
        invoices.append(doc)
    return invoices


def build(user_id, user):
    """Read the user's ledgers (by ``_id``), clients and projects into a Snapshot."""
    ids = _Ids()
    clients = {c["_id"]: c for c in _find(CLIENTS, user_id, ("name", "currency", "default_hourly_rate", "archived"))}
    projects = {
        p["_id"]: p for p in _find(PROJECTS, user_id, ("name", "client_id", "status", "hourly_rate", "archived"))
    }
    entries, running = _entry_tuples(user_id, clients, projects, user, ids)
    payments, credits = (
        sorted((day, amount, code, ids(client), ids(invoice)) for day, amount, code, client, invoice in rows.values())
        for rows in (invoice_ledger.payment_rows(user_id), invoice_ledger.credit_note_rows(user_id))
    )
    return Snapshot(
        defaults=rates.user_defaults(user),
        clients=clients,
        projects=projects,
        entries=entries,
        starts=[e[START] for e in entries],
        running=running,
        invoices=_invoice_dicts(user_id, ids),
        payments=payments,
        payment_days=[p[0] for p in payments],
        credits=credits,
        credit_days=[c[0] for c in credits],
    )


class SnapshotCache:
    """LRU of (version token, Snapshot) by user id; builds outside any lock."""

    def __init__(self):
        self._items = LruCache(lambda: current_app.config.get("REPORTS_CACHE_USERS", DEFAULT_CACHE_USERS))

    def get(self, user_id, user):
        token = data_versions.version(user_id)  # read BEFORE scanning: see common.data_versions
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
