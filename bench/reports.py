"""Report latency benchmark on the embedded database (FerretDB 1.24 on SQLite).

Seeds one user with five years of data straight through pymongo (20,000 time entries,
1,500 invoices, 2,000 payments, 200 clients in three currencies, 40 projects, 50
contracts, plus ``--other-users`` users' noise), builds the report ledgers as
``migrations/0014`` does, then measures each report through the app's test client (with
several ``--other-users`` counts, at each count in turn, seeding more users in between):

* warm: repeated requests with unchanged data (the per-user snapshot is cached, each
  request reads only the ``data_versions`` document by ``_id`` and the JWT's user);
* cold: the first request after a real write (``POST /api/time-tracking``, timed too),
  which rebuilds the snapshot from the ledgers (shard documents read by ``_id``) and the
  user's clients and projects; wall time and this process's CPU time (``process_time``:
  what the app spends, without FerretDB's share, and less sensitive to other load);
* the snapshot build alone (``reports.snapshot.build``), wall and CPU, ``--builds`` times;
* the reads with targets of their own (``READS``: the invoice page, one invoice, three months of
  time entries, a client search), cold and warm like the reports.

The load average is printed before and after: the figures mean little without it.

    .venv/bin/python bench/reports.py [--runs 15] [--cold-runs 5] [--other-users 3] [--other-scale 0.1]
    .venv/bin/python bench/reports.py --other-users 49 499 --other-scale 1   # the issue's 50 and 500 users

Figures and where the time goes: ``bench/README.md``.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("JWT_SECRET_KEY", "bench-secret-key-that-is-long-enough-for-hs256")

from bson import ObjectId  # noqa: E402

from orbix.app import create_app  # noqa: E402
from orbix.common import money  # noqa: E402
from orbix.db import get_db  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.dev.redis_server import RedisServer  # noqa: E402
from orbix.invoices import totals  # noqa: E402
from orbix.invoices.ledger import INVOICE_ROWS, PAYMENT_ROWS  # noqa: E402
from orbix.migrate import apply_migrations  # noqa: E402
from orbix.reports import snapshot  # noqa: E402
from orbix.time_tracking.ledger import LEDGER as ENTRY_ROWS  # noqa: E402

LEDGERS = (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS)

UTC = timezone.utc
YEARS = 5
ENTRIES, INVOICES, PAYMENTS = 20_000, 1_500, 2_000
CLIENTS, PROJECTS, CONTRACTS = 200, 40, 50
REPORTS = {
    "dashboard": "/api/dashboard?tz=Europe/Berlin",
    "revenue (5y by month)": "/api/reports/revenue?from={start}&to={end}&group=month&tz=Europe/Berlin",
    "revenue (1y by day)": "/api/reports/revenue?group=day",
    "hours (5y by project)": "/api/reports/hours?from={start}&to={end}&group=project",
    "hours (1y by day)": "/api/reports/hours?group=day&tz=Europe/Berlin",
    "aging": "/api/reports/aging",
    "clients (5y)": "/api/reports/clients?from={start}&to={end}",
    "clients csv (5y)": "/api/reports/clients?from={start}&to={end}&format=csv",
    "hours csv (5y by client)": "/api/reports/hours?from={start}&to={end}&group=client&format=csv",
    "dashboard csv": "/api/dashboard?format=csv",
}
# Reads with targets of their own (issue 15), measured the same way: cold after a write (the read
# cache then holds nothing current), and warm.
READS = {
    "invoices page 1": "/api/invoices?page=1",
    "one invoice": "/api/invoices/{invoice}",
    "time entries, 3 months, page 1": "/api/time-tracking?from={quarter}&to={end}&page=1",
    "time entries, 3 months, all": "/api/time-tracking?from={quarter}&to={end}",
    "client search (q)": "/api/clients?q=client%2012",
}
BENCH_USER = {"email": "bench@example.com", "password": "benchmark password"}
WRITE = {"description": "Bench", "start_time": "2025-06-02T09:00:00Z", "end_time": "2025-06-02T10:00:00Z"}


def seed_user(db, user_id, rng, scale=1.0):
    """Five years of a busy freelancer's data for ``user_id``; returns the counts inserted."""
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=365 * YEARS)
    currencies = ("EUR", "USD", "GBP")
    clients = [
        {
            "_id": ObjectId(),
            "user_id": user_id,
            "name": f"Client {i}",
            "email": f"c{i}@example.com",
            "currency": currencies[i % 3],
            "default_hourly_rate": money.rate_to_store(60 + i),
            "archived": i % 10 == 9,
            "created_at": start,
            "updated_at": start,
        }
        for i in range(CLIENTS)
    ]
    projects = [
        {
            "_id": ObjectId(),
            "user_id": user_id,
            "name": f"Project {i}",
            "client_id": clients[i % CLIENTS]["_id"],
            "status": ("active", "completed", "on_hold")[i % 3],
            "hourly_rate": money.rate_to_store(90) if i % 4 == 0 else None,
            "budget": None,
            "currency": None,
            "archived": False,
            "created_at": start,
            "updated_at": start,
        }
        for i in range(PROJECTS)
    ]
    contracts = [
        {"user_id": user_id, "title": f"Contract {i}", "content": "Scope\n\n" + "Clause. " * 300,
         "status": ("draft", "active", "completed")[i % 3], "created_at": start, "updated_at": start}
        for i in range(CONTRACTS)
    ]
    entries = []
    for _ in range(int(ENTRIES * scale)):
        project = rng.choice(projects) if rng.random() < 0.8 else None
        client_id = project["client_id"] if project else rng.choice(clients)["_id"]
        begin = start + timedelta(seconds=rng.randrange(365 * YEARS * 86400))
        seconds = rng.randrange(15, 480) * 60
        entries.append(
            {
                "user_id": user_id,
                "description": "Work",
                "project_id": project and project["_id"],
                "client_id": client_id,
                "start_time": begin,
                "end_time": begin + timedelta(seconds=seconds),
                "duration": seconds,
                "is_billable": rng.random() < 0.85,
                "hourly_rate": money.rate_to_store(rng.choice((None, None, 75, 110.5))),
                "tags": [],
                "invoice_id": ObjectId() if begin < now - timedelta(days=60) else None,
                "invoiced_at": None,
                "created_at": begin,
                "updated_at": begin,
            }
        )
    invoices, payments = [], []
    for i in range(int(INVOICES * scale)):
        client = rng.choice(clients)
        issued = (start + timedelta(days=rng.randrange(365 * YEARS))).replace(hour=0, minute=0, second=0)
        items = [
            totals.stored_item({"description": f"Work package {n + 1}", "quantity": Decimal(rng.randint(1, 40)),
                                "rate": Decimal(rng.randint(40, 160))}, client["currency"])
            for n in range(rng.randint(1, 4))
        ]
        total = sum(item["amount"] for item in items)
        status = rng.choice(("sent", "paid", "paid", "paid", "partial", "void", "draft", "overdue"))
        invoices.append(
            {
                "_id": ObjectId(),
                "user_id": user_id,
                "client_id": client["_id"],
                "invoice_number": f"INV-{i:05d}",
                "number_seq": i,
                "status": status,
                "date": issued,
                "due_date": issued + timedelta(days=30),
                "currency": client["currency"],
                "items": items,
                "subtotal": total,
                "discount": 0,
                "tax": 0,
                "total": total,
                "amount_paid": 0,
                "balance_due": total,
                "created_at": issued,
                "updated_at": issued,
            }
        )
    payable = [inv for inv in invoices if inv["status"] in ("paid", "partial")]
    for _ in range(int(PAYMENTS * scale)):
        invoice = rng.choice(payable)
        amount = max(1, invoice["total"] // 3)
        invoice["amount_paid"] += amount
        invoice["balance_due"] = max(0, invoice["total"] - invoice["amount_paid"])
        payments.append(
            {
                "user_id": user_id,
                "invoice_id": invoice["_id"],
                "client_id": invoice["client_id"],
                "amount": amount,
                "currency": invoice["currency"],
                "date": invoice["date"] + timedelta(days=rng.randrange(60)),
                "method": "bank_transfer",
                "note": None,
                "created_at": invoice["date"],
                "updated_at": invoice["date"],
            }
        )
    for name, docs in (
        ("clients", clients),
        ("projects", projects),
        ("time_entries", entries),
        ("invoices", invoices),
        ("payments", payments),
        ("contracts", contracts),
    ):
        for chunk in range(0, len(docs), 1000):
            db[name].insert_many(docs[chunk : chunk + 1000], ordered=False)
    return {"entries": len(entries), "invoices": len(invoices), "payments": len(payments)}


def timed(client, url, headers):
    """(wall ms, this process's CPU ms) of one GET."""
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, headers=headers)
    response.get_data()
    elapsed = (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    return elapsed


def load():
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def builds(app, user_id, count):
    """(wall ms, CPU ms) of ``count`` snapshot builds, each from nothing (what a cold request pays)."""
    with app.app_context():
        user = get_db().users.find_one({"_id": user_id})
        figures = []
        for _ in range(count):
            began, cpu = time.perf_counter(), time.process_time()
            snapshot.build(user_id, user)
            figures.append(((time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000))
    return figures


def seed_with_ledgers(app, owner, rng, scale=1.0):
    """``seed_user``, then the report ledgers built as migrations/0014 does for older data."""
    with app.app_context():
        counts = seed_user(get_db(), owner, rng, scale=scale)
        for ledger in LEDGERS:
            ledger.rebuild(get_db(), owner)
    return counts


def seed_others(app, owners, count, rng, scale):
    """Seed users until ``owners`` holds ``count`` of them (after the bench user): documents the
    database also holds, which the bench user's queries must not pay for."""
    began = time.perf_counter()
    added = [ObjectId() for _ in range(count + 1 - len(owners))]
    for owner in added:
        seed_with_ledgers(app, owner, rng, scale)
    owners.extend(added)
    print(f"seeded {len(added)} more users at {scale:.0%} (ledgers included) in {time.perf_counter() - began:.1f}s")


def keep(app, owners):
    """Note who is seeded, for a later run on the same --data-dir."""
    with app.app_context():
        get_db().bench_seed.replace_one({"_id": "owners"}, {"owners": owners}, upsert=True)


def measure(app, client, headers, user_id, options):
    """The table of cold and warm figures for every report and read, then the snapshot builds."""
    today = datetime.now(UTC).date()
    with app.app_context():
        invoice = get_db().invoices.find_one({"user_id": user_id}, {"_id": 1})["_id"]
    window = {"start": (today - timedelta(days=365 * YEARS)).isoformat(), "end": today.isoformat(),
              "quarter": (today - timedelta(days=91)).isoformat(), "invoice": str(invoice)}
    print(f"{'request':<32}{'cold median ms':>16}{'cold max ms':>13}{'cold CPU ms':>13}{'warm median ms':>16}"
          f"{'warm p90 ms':>13}")
    writes = []
    for name, template in {**REPORTS, **READS}.items():
        url = template.format(**window)
        cold = []
        for _ in range(options.cold_runs):
            began = time.perf_counter()  # a real write: a new time entry (ledger refresh, version bump)
            assert client.post("/api/time-tracking", json=WRITE, headers=headers).status_code == 201
            writes.append((time.perf_counter() - began) * 1000)
            cold.append(timed(client, url, headers))
        walls = [wall for wall, _cpu in cold]
        warm = sorted(timed(client, url, headers)[0] for _ in range(options.runs))
        print(
            f"{name:<32}{statistics.median(walls):>16.1f}{max(walls):>13.1f}"
            f"{statistics.median(cpu for _wall, cpu in cold):>13.1f}{statistics.median(warm):>16.1f}"
            f"{warm[int(len(warm) * 0.9) - 1]:>13.1f}"
        )
    print(f"the write before each cold request (POST /api/time-tracking): median "
          f" {statistics.median(writes):.1f} ms, "
          f"max {max(writes):.1f} ms")
    built = builds(app, user_id, options.builds)
    print(f"snapshot build alone ({options.builds} runs): wall median "
          f"{statistics.median(wall for wall, _cpu in built):.1f} ms, CPU median "
          f"{statistics.median(cpu for _wall, cpu in built):.1f} ms (min {min(cpu for _wall, cpu in built):.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--other-users", type=int, nargs="+", default=[3],
                        help="other users seeded (noise FerretDB scans); several counts: measured at each")
    parser.add_argument("--other-scale", type=float, default=0.1, help="their volume relative to the bench user")
    parser.add_argument("--builds", type=int, default=9, help="snapshot builds timed on their own")
    parser.add_argument("--data-dir", help="keep the database here; a later run with it seeds only what is missing")
    options = parser.parse_args()
    print(load())
    rng = random.Random(2026)
    with EmbeddedDatabase(data_dir=options.data_dir) as database, RedisServer() as redis:
        app = create_app(
            {
                "MONGO_URI": database.uri,
                "MONGO_DB_NAME": "orbix_bench",
                "BCRYPT_ROUNDS": 4,
                "ACCESS_LOG": False,
                "LOG_LEVEL": "WARNING",
                "RATELIMIT_STORAGE_URI": redis.uri,
                "RATELIMIT_DEFAULT": "1000000/minute",
            }
        )
        client = app.test_client()
        with app.app_context():
            apply_migrations(get_db())
            kept = get_db().bench_seed.find_one({"_id": "owners"})
        if kept:  # a kept --data-dir: what an earlier run seeded
            owners = kept["owners"]
            body = client.post("/api/auth/login", json=BENCH_USER).get_json()
            print(f"reusing {options.data_dir}: the bench user and {len(owners) - 1} other users")
        else:
            body = client.post("/api/auth/register", json={"name": "Bench", **BENCH_USER}).get_json()
            owners = [ObjectId(body["user"]["id"])]
            began = time.perf_counter()
            counts = seed_with_ledgers(app, owners[0], rng)
            print(f"seeded the bench user {counts} in {time.perf_counter() - began:.1f}s")
            keep(app, owners)
        headers = {"Authorization": f"Bearer {body['token']}"}
        user_id = owners[0]
        for count in sorted(options.other_users):
            seed_others(app, owners, count, rng, options.other_scale)
            keep(app, owners)
            print(f"\n{count} other users at {options.other_scale:.0%}; {load()}")
            measure(app, client, headers, user_id, options)
        print(load())


if __name__ == "__main__":
    main()
