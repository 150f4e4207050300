"""What a time entry is worth: the shared billing rule (``common.rates``) applied with
the entry's project and client, loaded once per distinct id, never once per entry."""

from collections import defaultdict

from ..clients.service import clients_by_id
from ..common import money, rates
from ..db import collection
from ..projects.store import projects_by_id
from . import TIME_ENTRIES as ENTRIES
from . import ledger

PROJECT_FIELDS = {"name": 1, "hourly_rate": 1, "client_id": 1}
CLIENT_FIELDS = {"name": 1, "default_hourly_rate": 1, "currency": 1}


class Pricing:
    """Resolves entries' rate, currency and amount for one user, caching projects and clients."""

    def __init__(self, user):
        self.user = user
        self.projects = {}
        self.clients = {}
        self.rules = {}

    def _load(self, by_id, cache, ids, projection):
        missing = [i for i in set(ids) if i is not None and i not in cache]
        if missing:
            cache.update(by_id(self.user["_id"], missing, projection))
            for i in missing:
                cache.setdefault(i, None)

    def preload(self, entries):
        """Fetch the projects and clients of ``entries`` in two queries (from their owners)."""
        self._load(projects_by_id, self.projects, [e.get("project_id") for e in entries], PROJECT_FIELDS)
        self._load(clients_by_id, self.clients, [e.get("client_id") for e in entries], CLIENT_FIELDS)

    def _one(self, by_id, cache, key, projection):
        """The cached document with id ``key``, loaded on first sight only (None for no id)."""
        if key is not None and key not in cache:
            self._load(by_id, cache, [key], projection)
        return cache.get(key)

    def project(self, entry):
        return self._one(projects_by_id, self.projects, entry.get("project_id"), PROJECT_FIELDS)

    def client(self, entry):
        return self._one(clients_by_id, self.clients, entry.get("client_id"), CLIENT_FIELDS)

    def _rule(self, entry):
        """(rate, source, currency, minor-unit biller, zero) of entries with this entry's project,
        client and own rate: worked out once per combination, not once per entry."""
        key = (entry.get("project_id"), entry.get("client_id"), entry.get("hourly_rate"))
        rule = self.rules.get(key)
        if rule is None:
            stored, source, currency, biller = rates.billing_terms(
                entry, self.project(entry), self.client(entry), self.user)
            zero = money.quantize(0, currency)
            rule = self.rules[key] = (money.rate_from_store(stored), source, currency, biller, zero)
        return rule

    def price(self, entry):
        """{rate, rate_source, currency, amount} for an entry (amount 0 if not billable or running);
        the amount is ``rates.entry_amount``'s, computed in integer minor units."""
        rate, source, currency, biller, zero = self._rule(entry)
        seconds = entry.get("duration")
        amount = zero
        if seconds and rate is not None and entry.get("is_billable", True):
            amount = money.from_minor(biller(int(seconds)), currency)
        return {"effective_rate": rate, "rate_source": source, "currency": currency, "amount": amount}


def priced(user, entries):
    """Entries with their pricing fields added (for lists and single reads)."""
    pricing = Pricing(user)
    pricing.preload(entries)
    return [{**entry, **pricing.price(entry)} for entry in entries]


def project_consumption(user, project):
    """Tracked and billable time of a project's stopped entries, and what is left of its budget."""
    pricing = Pricing(user)
    tracked = billable = 0
    amount = money.quantize(0, project["currency"])
    cursor = collection(ENTRIES).find(
        {"user_id": user["_id"], "project_id": project["_id"]},
        {"duration": 1, "is_billable": 1, "hourly_rate": 1, "project_id": 1, "client_id": 1},
    )
    for entry in cursor:
        tracked += entry.get("duration") or 0
        if entry.get("is_billable", True):
            billable += entry.get("duration") or 0
            price = pricing.price(entry)
            if price["currency"] == project["currency"]:
                amount += price["amount"]
    budget = money.from_minor(project.get("budget"), project["currency"])
    hours = project.get("budget_hours")
    return {
        "tracked_seconds": tracked,
        "billable_seconds": billable,
        "billable_amount": amount,
        "remaining_budget": None if budget is None else budget - amount,
        "remaining_hours": None if hours is None else round(hours - tracked / 3600, 4),
    }


def follow_project_client(user_id, project_id, client_id, entry_ids=None):
    """Entries follow their project's client: keep the denormalised client_id of a project's
    not yet invoiced entries (all of them, or those among ``entry_ids``) in step. A caller that
    passes ``entry_ids`` refreshes their ledger rows itself (it is changing them anyway)."""
    query = {"user_id": user_id, "project_id": project_id, "invoice_id": None}
    if entry_ids is not None:
        query["_id"] = {"$in": list(entry_ids)}
    collection(ENTRIES).update_many(query, {"$set": {"client_id": client_id}})
    if entry_ids is None:  # found after the update, so an entry written meanwhile is not missed
        followed = collection(ENTRIES).find({"user_id": user_id, "project_id": project_id}, {"_id": 1})
        ledger.touched(user_id, [e["_id"] for e in followed])


def add_amount(totals, currency, amount):
    totals[currency] = totals.get(currency, money.quantize(0, currency)) + amount


def new_bucket():
    return {"seconds": 0, "billable_seconds": 0, "amounts": {}}


def buckets():
    return defaultdict(new_bucket)
