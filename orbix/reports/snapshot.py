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

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import compress
from operator import and_, call, itemgetter, not_

from bson import ObjectId
from flask import current_app

from ..clients import CLIENTS
from ..common import data_versions, rates
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


class _Terms:
    """What entries bill by, per distinct (project, client, own rate, billable) of their rows:
    (project id, client id, currency, amount as a function of the seconds). Five years of
    entries share a few hundred."""

    def __init__(self, clients, projects, user, ids):
        self.clients, self.projects, self.user, self.ids = clients, projects, user, ids
        self.memo = {}

    def of(self, project_hex, client_hex, own_rate, billable):
        project_id = self.ids(project_hex)
        project = self.projects.get(project_id)
        client_id = self.ids(client_hex) or (project or {}).get("client_id")
        client = self.clients.get(client_id)
        _stored, _source, currency, biller = rates.billing_terms(
            {"hourly_rate": own_rate}, project, client, self.user, billable)
        return project_id, client_id, currency, biller

    def each(self, keys):
        """The terms of each key, in order (keys: hex strings, which hash faster than ObjectIds)."""
        keys = list(keys)
        for key in set(keys).difference(self.memo):
            self.memo[key] = self.of(*key)
        return list(map(self.memo.__getitem__, keys))


def _entry_tuples(user_id, clients, projects, user, ids):
    """Priced entry tuples sorted by start, and the running entries. Column at a time, so the
    per-row work runs in C but for one small integer function per entry (no Decimal)."""
    R = entry_ledger
    table = entry_ledger.table(user_id)
    column = table.columns
    terms = _Terms(clients, projects, user, ids).each(
        zip(column[R.PROJECT], column[R.CLIENT], column[R.RATE], column[R.BILLABLE], strict=True)
    )
    project_ids, client_ids, currencies, billers = (map(itemgetter(k), terms) for k in range(4))
    rows = zip(
        column[R.START],
        column[R.SECONDS],
        column[R.BILLABLE],
        project_ids,
        client_ids,
        currencies,
        map(call, billers, column[R.SECONDS]),
        map(and_, column[R.BILLABLE], map(not_, column[R.INVOICED])),  # unbilled: billable, not invoiced
        strict=True,
    )
    entries = list(compress(rows, map(not_, column[R.RUNNING])))
    entries.sort(key=itemgetter(START))
    running = [
        {
            "_id": table.source_id(index),
            "description": column[R.DESCRIPTION][index],
            "start_time": from_epoch_ms(column[R.START][index]),
            "project_id": terms[index][0],
            "client_id": terms[index][1],
        }
        for index in compress(range(len(table)), column[R.RUNNING])
    ]
    return entries, running


def _dated_rows(table, ids):
    """Payment or credit note rows ``(day, amount, currency, client, invoice)`` by date alone:
    reports only sum the amounts of a day."""
    days, amounts, codes, client_ids, invoice_ids = table.columns
    return sorted(zip(days, amounts, codes, map(ids, client_ids), map(ids, invoice_ids), strict=True),
                  key=itemgetter(0))


def _invoice_dicts(user_id, ids):
    table = invoice_ledger.invoice_table(user_id)
    invoices = []
    for index, row in enumerate(zip(*table.columns, strict=True)):
        doc = dict(zip(INVOICE_FIELDS, row, strict=True))
        doc["_id"], doc["client_id"] = table.source_id(index), ids(doc["client_id"])
        doc["issue_day"], doc["due_day"] = date.fromordinal(doc["issue_day"]), date.fromordinal(doc["due_day"])
        doc["due_date"] = datetime.combine(doc["due_day"], time(), UTC)  # what lifecycle.effective_status reads
        invoices.append(doc)
    return invoices


@contextmanager
def _collector_paused():
    """The cyclic garbage collector off while a build allocates ~25,000 tuples and dicts that
    never form a cycle: otherwise it runs dozens of collections over them and over the cached
    snapshots (~40% of a build's CPU, measured with a full cache). Process-wide, so only the
    thread that turned it off turns it back on."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def build(user_id, user):
    """Read the user's ledgers (by ``_id``), clients and projects into a Snapshot."""
    with _collector_paused():
        return _build(user_id, user)


def _build(user_id, user):
    ids = _Ids()
    clients = {c["_id"]: c for c in _find(CLIENTS, user_id, ("name", "currency", "default_hourly_rate", "archived"))}
    projects = {
        p["_id"]: p for p in _find(PROJECTS, user_id, ("name", "client_id", "status", "hourly_rate", "archived"))
    }
    entries, running = _entry_tuples(user_id, clients, projects, user, ids)
    payments, credits = (_dated_rows(table, ids) for table in (
        invoice_ledger.payment_table(user_id), invoice_ledger.credit_note_table(user_id)))
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
