"""Every report, byte for byte, from two code trees over the same data (issue 15).

Seeds the bench user's five years (``bench/reports.py``) plus edge cases (currencies with 0, 3
and 4 decimals, rates with four decimals, the user's default rate and currency, running timers,
entries across DST changes and on local midnights) into one embedded database, then runs this
script once per tree in a child process (``--dump``) that rebuilds the report ledgers with that
tree's code and fetches every report (JSON and CSV) in eight time zones (half-hour,
45-minute and DST-shifting ones), over date and millisecond-timestamp windows. Prints how many
responses were compared and every difference; exits 1 if any.

    git archive <commit> | tar -x -C /tmp/base && ln -s "$PWD/bin" /tmp/base/bin
    .venv/bin/python bench/reports_compare.py --baseline /tmp/base [--scale 1.0]

The running timer's ``elapsed_seconds`` is the only figure blanked (it moves between the runs).
"""

import argparse
import json
import os
import random
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "benchmark password"
EMAIL = "compare@example.com"
DB_NAME = "orbix_compare"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256"
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
         "Pacific/Chatham", "America/St_Johns")
UTC = timezone.utc


def app_for(uri, redis_uri):
    from orbix.app import create_app

    return create_app({"MONGO_URI": uri, "MONGO_DB_NAME": DB_NAME, "BCRYPT_ROUNDS": 4, "ACCESS_LOG": False,
                       "LOG_LEVEL": "WARNING", "RATELIMIT_STORAGE_URI": redis_uri,
                       "RATELIMIT_DEFAULT": "1000000/minute"})


def urls():
    today = datetime.now(UTC).date()
    five = (today - timedelta(days=365 * 5)).isoformat()
    windows = {
        "5y": f"from={five}&to={today.isoformat()}",
        "1y": f"from={(today - timedelta(days=365)).isoformat()}&to={today.isoformat()}",
        "dst": "from=2024-03-30&to=2024-04-01",
        "ms": "from=2024-03-31T00:30:00.123%2B01:00&to=2024-11-03T01:59:59.999-04:00",
        "default": "",
    }
    found = []
    for tz in ZONES:
        found.append(f"/api/dashboard?tz={tz}")
        for name, window in windows.items():
            for group in ("month", "week") + (("day",) if name != "5y" else ()):
                found.append(f"/api/reports/revenue?{window}&group={group}&tz={tz}")
            for group in ("project", "client", "week") + (("day",) if name != "5y" else ()):
                found.append(f"/api/reports/hours?{window}&group={group}&tz={tz}")
            found.append(f"/api/reports/clients?{window}&tz={tz}")
    for as_of in ("", f"as_of={today.isoformat()}", "as_of=2023-06-30", "as_of=2030-01-01"):
        found.append(f"/api/reports/aging?{as_of}")
    return [url.replace("?&", "?").rstrip("?&") for url in found]


def normalised(url, response):
    body = response.get_data(as_text=True)
    if url.startswith("/api/dashboard"):
        if "format=csv" in url:
            lines = body.splitlines(keepends=True)
            body = "".join(line.rsplit(",", 1)[0] + ",*" if line.startswith("running_timer,") else line
                           for line in lines)
        else:
            report = json.loads(body)
            if report.get("running_timer"):
                report["running_timer"]["elapsed_seconds"] = "*"
            body = json.dumps(report)
    return {"status": response.status_code, "body": body}


def dump(uri, redis_uri, out):
    """In the tree on sys.path: rebuild the ledgers, fetch every report, write them to ``out``."""
    from orbix.db import get_db
    from orbix.invoices.ledger import INVOICE_ROWS, PAYMENT_ROWS
    from orbix.time_tracking.ledger import LEDGER

    app = app_for(uri, redis_uri)
    with app.app_context():
        db = get_db()
        for ledger in (LEDGER, INVOICE_ROWS, PAYMENT_ROWS):
            db[ledger.name].delete_many({})
            ledger.rebuild(db)
    client = app.test_client()
    token = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    results = {}
    for url in urls():
        for variant in (url, url + ("&" if "?" in url else "?") + "format=csv"):
            results[variant] = normalised(variant, client.get(variant, headers=headers))
    Path(out).write_text(json.dumps(results))


def edge_cases(db, user_id):
    """Records whose figures the bench's random data does not reach."""
    from bson import ObjectId

    from orbix.common import money

    def client(currency, rate):
        return db.clients.insert_one({"user_id": user_id, "name": f"Edge {currency} {rate}", "currency": currency,
                                      "default_hourly_rate": money.rate_to_store(rate), "archived": False}).inserted_id

    clients = [client("JPY", 33.3333), client("KWD", 0.0001), client("CLF", 12.3457), client("USD", None),
               client("EUR", 999.9999)]
    project = db.projects.insert_one({"user_id": user_id, "name": "Edge project", "client_id": clients[3],
                                      "status": "active", "hourly_rate": None, "archived": False}).inserted_id
    db.users.update_one({"_id": user_id}, {"$set": {"settings.default_hourly_rate": money.rate_to_store(41.6667),
                                                    "settings.default_currency": "KWD"}})
    seconds = (1, 59, 60, 61, 899, 900, 1799, 1800, 3599, 3600, 5400, 86399, 123457)
    own_rates = (None, 0, 0.0001, 0.01, 0.05, 1, 12.345, 33.3333, 110.5)
    starts = [datetime(2024, 3, 31, 0, 30, tzinfo=UTC), datetime(2024, 3, 30, 23, 0, tzinfo=UTC),
              datetime(2024, 11, 3, 5, 59, 59, 999000, tzinfo=UTC), datetime(2024, 4, 6, 15, 0, tzinfo=UTC),
              datetime(2024, 10, 27, 0, 59, 59, 999000, tzinfo=UTC), datetime(2024, 9, 28, 14, 0, tzinfo=UTC)]
    rng, docs = random.Random(15), []
    for count in range(len(seconds) * len(own_rates) * 3):
        start = starts[count % len(starts)] + timedelta(days=rng.choice((0, 0, 7, 364)))
        duration = seconds[count % len(seconds)]
        owner = rng.choice(clients + [None])
        docs.append({"user_id": user_id, "description": "Edge", "project_id": project if owner == clients[3] else None,
                     "client_id": owner, "start_time": start, "end_time": start + timedelta(seconds=duration),
                     "duration": duration, "is_billable": count % 7 != 0,
                     "hourly_rate": money.rate_to_store(own_rates[count % len(own_rates)]),
                     "invoice_id": ObjectId() if count % 11 == 0 else None, "tags": []})
    for start, owner in ((datetime.now(UTC) - timedelta(hours=2), clients[0]),
                         (datetime.now(UTC) - timedelta(minutes=5), None)):
        docs.append({"user_id": user_id, "description": "Running", "project_id": None, "client_id": owner,
                     "start_time": start.replace(microsecond=0), "end_time": None, "duration": 0,
                     "is_billable": True, "hourly_rate": None, "invoice_id": None, "tags": []})
    db.time_entries.insert_many(docs)
    day = datetime(2024, 11, 3, tzinfo=UTC)
    invoice = db.invoices.insert_one({"user_id": user_id, "client_id": clients[0], "invoice_number": "EDGE-1",
                                      "status": "partial", "date": day, "due_date": day + timedelta(days=14),
                                      "currency": "JPY", "total": 12345, "amount_paid": 345,
                                      "balance_due": 12000}).inserted_id
    db.payments.insert_one({"user_id": user_id, "invoice_id": invoice, "client_id": clients[0], "amount": 345,
                            "currency": "JPY", "date": day})


def seed(uri, redis_uri, scale):
    from bson import ObjectId

    from bench.reports import seed_user
    from orbix.db import get_db
    from orbix.migrate import apply_migrations

    app = app_for(uri, redis_uri)
    with app.app_context():
        apply_migrations(get_db())
    body = app.test_client().post("/api/auth/register",
                                  json={"name": "Compare", "email": EMAIL, "password": PASSWORD}).get_json()
    user_id = ObjectId(body["user"]["id"])
    with app.app_context():
        db = get_db()
        seed_user(db, user_id, random.Random(2026), scale=scale)
        seed_user(db, ObjectId(), random.Random(7), scale=0.05)  # someone else's data must never show
        edge_cases(db, user_id)


def run_tree(tree, uri, redis_uri, out):
    env = {**os.environ, "PYTHONPATH": str(tree), "JWT_SECRET_KEY": SECRET}
    subprocess.run([sys.executable, __file__, "--tree", str(tree), "--dump", str(out), "--uri", uri,
                    "--redis", redis_uri], env=env, check=True)
    return json.loads(Path(out).read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="the other tree (a checkout or `git archive` of a commit)")
    parser.add_argument("--scale", type=float, default=1.0, help="the bench user's volume (1.0: five years)")
    parser.add_argument("--tree", default=str(HERE.parent))
    parser.add_argument("--dump")
    parser.add_argument("--uri")
    parser.add_argument("--redis")
    options = parser.parse_args()
    sys.path.insert(0, options.tree)
    os.environ.setdefault("JWT_SECRET_KEY", SECRET)
    if options.dump:
        return dump(options.uri, options.redis, options.dump)
    if not options.baseline:
        parser.error("--baseline is required")
    from orbix.dev.embedded_db import EmbeddedDatabase
    from orbix.dev.redis_server import RedisServer

    with EmbeddedDatabase() as database, RedisServer() as redis:
        seed(database.uri, redis.uri, options.scale)
        work = Path(database.data_dir)
        before = run_tree(Path(options.baseline).resolve(), database.uri, redis.uri, work / "before.json")
        after = run_tree(HERE.parent, database.uri, redis.uri, work / "after.json")
    different = [url for url in before if before[url] != after.get(url)]
    failed = [url for url in before if before[url]["status"] != 200]
    print(f"{len(before)} responses compared ({date.today().isoformat()}), {len(different)} different, "
          f"{len(failed)} not 200 in the baseline")
    for url in different[:20]:
        print("DIFFERENT", url, before[url]["body"][:300], "|", after.get(url, {}).get("body", "")[:300])
    return 1 if different or failed or set(before) != set(after) else 0


if __name__ == "__main__":
    sys.exit(main())
