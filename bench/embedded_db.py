"""The embedded database's cost for one user's reads, as the collections grow with other users.

Seeds invoice-like and time-entry-like documents for N users into the embedded FerretDB (with
the migrations' indexes), then times with PyMongo, per query, the median over many users:

- one invoice by ``_id``;
- a page of invoices: ``find({user_id}).sort(created_at, _id).limit(101)``;
- the same page with ``status`` in the filter;
- three months of time entries: ``{user_id, start_time: {$gte, $lt}}`` sorted by ``start_time, _id``,
  the first page (101) and all of them;
- ``count_documents({user_id})`` on invoices and ``count_documents`` of the three months of entries;
- a client search as ``GET /api/clients?q=`` sends it: ``{user_id, archived: false, $or: [name, email,
  company as case-insensitive regexes]}`` sorted by ``created_at, _id``, a page of 101 (200 clients a
  user).

Then adds users up to the next size and measures again. ``--baseline BINARY`` times the same
data directory with another build (e.g. FerretDB without the patch) at the first size only
(fewer repetitions: it reads whole collections).

``--check`` instead runs the semantic check: tricky documents (arrays, missing fields, null,
int/long/double, mixed types, dates of every digit count, nested fields, ObjectId vs hex string)
and tricky queries against this build and the ``--baseline`` build; both must return the same
documents (in the same order when sorted), which shows that the pushdown loses nothing.

    .venv/bin/python bench/embedded_db.py [--users 50 500] [--invoices 1500] [--entries 20000]
        [--baseline build/orbix-ferretdb-unpatched] [--data-dir DIR]
    .venv/bin/python bench/embedded_db.py --check --baseline build/orbix-ferretdb-unpatched

Build the unpatched binary with ``tools/ferretdb/build.sh build/orbix-ferretdb-unpatched
build/ferretdb-unpatched`` after moving the patches away, or by ``--unpatched`` (this script
then builds it with an empty patch directory).
"""

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bson import Int64, ObjectId, Timestamp
from pymongo import ASCENDING, MongoClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orbix.common.lists import text_search  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402

UTC = dt.timezone.utc
START = dt.datetime(2018, 1, 1, tzinfo=UTC)
SPAN_DAYS = 8 * 365  # the documents' dates spread over eight years
INDEXES = {
    "invoices": [[("user_id", 1), ("created_at", 1)], [("user_id", 1), ("status", 1), ("due_date", 1)]],
    "time_entries": [[("user_id", 1), ("created_at", 1)], [("user_id", 1), ("start_time", 1)]],
    "clients": [[("user_id", 1), ("archived", 1), ("created_at", 1)], [("user_id", 1), ("archived", 1), ("name", 1)]],
}
CLIENTS_PER_USER = 200
CLIENT_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Wonka", "Tyrell"]
STATUSES = ["draft", "sent", "paid", "overdue", "cancelled"]


def build_unpatched():
    """Builds FerretDB without our patches into build/orbix-ferretdb-unpatched."""
    out = ROOT / "build" / "orbix-ferretdb-unpatched"
    work = Path(tempfile.mkdtemp(prefix="ferretdb-unpatched-"))
    shutil.copytree(ROOT / "tools" / "ferretdb", work / "tools" / "ferretdb", ignore=shutil.ignore_patterns("patches"))
    (work / "tools" / "ferretdb" / "patches").mkdir()
    subprocess.run([str(work / "tools" / "ferretdb" / "build.sh"), str(out), str(work / "build")], check=True)
    shutil.rmtree(work, ignore_errors=True)
    return out


# --- seeding -------------------------------------------------------------------------------

def invoice(rng, user_id, n):
    created = START + dt.timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
    items = [
        {
            "description": f"Item {i} of invoice {n}",
            "quantity": rng.randint(1, 9),
            "unit_price": rng.randint(100, 90000),
        }
        for i in range(rng.randint(1, 4))
    ]
    for item in items:
        item["amount"] = item["quantity"] * item["unit_price"]
    subtotal = sum(item["amount"] for item in items)
    return {
        "_id": ObjectId(),
        "user_id": user_id,
        "client_id": ObjectId(),
        "invoice_number": f"INV-{n:05d}",
        "number_seq": n,
        "status": rng.choice(STATUSES),
        "currency": "USD",
        "date": created.replace(hour=0, minute=0, second=0),
        "due_date": created.replace(hour=0, minute=0, second=0) + dt.timedelta(days=30),
        "items": items,
        "subtotal": subtotal,
        "tax": subtotal // 10,
        "total": subtotal + subtotal // 10,
        "notes": "Thank you for your business.",
        "created_at": created,
        "updated_at": created,
    }


def time_entry(rng, user_id, project_ids):
    start = START + dt.timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
    duration = rng.randint(300, 4 * 3600)
    return {
        "_id": ObjectId(),
        "user_id": user_id,
        "project_id": rng.choice(project_ids),
        "client_id": None,
        "description": "Work on the thing",
        "start_time": start,
        "end_time": start + dt.timedelta(seconds=duration),
        "duration": duration,
        "billable": rng.random() < 0.8,
        "invoice_id": None,
        "created_at": start + dt.timedelta(seconds=duration),
    }


def client(rng, user_id, n):
    created = START + dt.timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
    word = rng.choice(CLIENT_WORDS)
    return {"_id": ObjectId(), "user_id": user_id, "name": f"{word} {n}", "email": f"billing{n}@{word.lower()}.example",
            "company": f"{word} Holdings", "archived": False, "currency": "USD", "created_at": created,
            "updated_at": created}


def seed(db, users, invoices, entries, rng):
    """Adds users with their documents (bulk inserts); returns {user_id: [invoice ids]}."""
    seeded = {}
    for user_id in users:
        docs = [invoice(rng, user_id, n) for n in range(1, invoices + 1)]
        seeded[user_id] = [d["_id"] for d in docs]
        for i in range(0, len(docs), 1000):
            db.invoices.insert_many(docs[i : i + 1000], ordered=False)
        db.clients.insert_many([client(rng, user_id, n) for n in range(CLIENTS_PER_USER)], ordered=False)
        projects = [ObjectId() for _ in range(5)]
        for i in range(0, entries, 2000):
            db.time_entries.insert_many(
                [time_entry(rng, user_id, projects) for _ in range(min(2000, entries - i))], ordered=False
            )
    return seeded


# --- measuring -----------------------------------------------------------------------------


def client_search(user_id, q):
    """The filter ``GET /api/clients?q=`` sends (``orbix.common.lists.text_search``)."""
    return {"user_id": user_id, "archived": False, **text_search(q, ("name", "email", "company"))}


def queries(db, rng, seeded):
    """name -> function(user_id) running one query of the kind (returning the result)."""

    def three_months():
        start = START + dt.timedelta(days=rng.randrange(SPAN_DAYS - 92))
        return {"$gte": start, "$lt": start + dt.timedelta(days=91)}

    return {
        "invoice by _id": lambda u: db.invoices.find_one({"_id": rng.choice(seeded[u])}),
        "invoice page (101, created_at)": lambda u: list(
            db.invoices.find({"user_id": u}).sort([("created_at", 1), ("_id", 1)]).limit(101)
        ),
        "invoice page, status=sent": lambda u: list(
            db.invoices.find({"user_id": u, "status": "sent"}).sort([("created_at", 1), ("_id", 1)]).limit(101)
        ),
        "3-month entries, page (101)": lambda u: list(
            db.time_entries.find({"user_id": u, "start_time": three_months()})
            .sort([("start_time", 1), ("_id", 1)])
            .limit(101)
        ),
        "3-month entries, all (~625)": lambda u: list(
            db.time_entries.find({"user_id": u, "start_time": three_months()}).sort([("start_time", 1), ("_id", 1)])
        ),
        "count invoices of a user": lambda u: db.invoices.count_documents({"user_id": u}),
        "client search q (page of 101)": lambda u: list(
            db.clients.find(client_search(u, rng.choice(CLIENT_WORDS)[:4]))
            .sort([("created_at", 1), ("_id", 1)])
            .limit(101)
        ),
        "client search q, count": lambda u: db.clients.count_documents(client_search(u, rng.choice(CLIENT_WORDS)[:4])),
        "count 3-month entries": lambda u: db.time_entries.count_documents(
            {"user_id": u, "start_time": three_months()}
        ),
    }


def measure(uri, seeded, repeat, rng, warmup=True):
    """Median milliseconds per query over `repeat` random users (after one warm-up each)."""
    client = MongoClient(uri)
    db = client.bench
    users = list(seeded)
    res = {}
    for name, run in queries(db, rng, seeded).items():
        if warmup:
            run(rng.choice(users))
        times = []
        for _ in range(repeat):
            u = rng.choice(users)
            t0 = time.perf_counter()
            run(u)
            times.append((time.perf_counter() - t0) * 1000)
        res[name] = statistics.median(times)
    client.close()
    return res


def explain(uri):
    """SQLite's plans for the page and the time range (explain's queryPlanner)."""
    client = MongoClient(uri)
    db = client.bench
    u = db.invoices.find_one({}, {"user_id": 1})["user_id"]
    start = START + dt.timedelta(days=400)
    plans = {}
    for name, cmd in {
        "invoice by _id": {"find": "invoices", "filter": {"_id": db.invoices.find_one()["_id"]}},
        "invoice page": {
            "find": "invoices",
            "filter": {"user_id": u},
            "sort": {"created_at": 1, "_id": 1},
            "limit": 101,
        },
        "3-month entries": {
            "find": "time_entries",
            "filter": {"user_id": u, "start_time": {"$gte": start, "$lt": start + dt.timedelta(days=91)}},
            "sort": {"start_time": 1, "_id": 1},
        },
    }.items():
        out = db.command("explain", cmd)
        plans[name] = [p.split("detail=")[-1] for p in out["queryPlanner"].get("Plan", [])]
    client.close()
    return plans


def print_table(columns, results):
    names = list(next(iter(results.values())))
    width = max(len(n) for n in names)
    print()
    print(f"| {'query (median ms)':<{width}} | " + " | ".join(columns) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (len(c) + 2) for c in columns) + "|")
    for n in names:
        cells = []
        for c in columns:
            v = results[c].get(n)
            cells.append(f"{v:>{len(c)}.1f}" if v is not None else " " * len(c))
        print(f"| {n:<{width}} | " + " | ".join(cells) + " |")
    print()


def bench(args):
    rng = random.Random(42)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="orbix-bench-db-", dir="/var/tmp")
    results, columns = {}, []
    seeded = {}
    db_proc = EmbeddedDatabase(data_dir=data_dir, binary=args.binary)
    db_proc.start()
    client = MongoClient(db_proc.uri)
    db = client.bench
    for coll, indexes in INDEXES.items():
        for keys in indexes:
            db[coll].create_index(keys)
    try:
        for n_users in args.users:
            new = [ObjectId() for _ in range(n_users - len(seeded))]
            t0 = time.perf_counter()
            for i in range(0, len(new), 10):
                seeded.update(seed(db, new[i : i + 10], args.invoices, args.entries, rng))
                print(f"  seeded {len(seeded)} users ({time.perf_counter() - t0:.0f} s)", flush=True)
            n_inv, n_ent = db.invoices.estimated_document_count(), db.time_entries.estimated_document_count()
            print(f"{n_users} users: {n_inv} invoices, {n_ent} time entries (seeding {time.perf_counter() - t0:.0f} s)")
            col = f"{n_users} users"
            results[col] = measure(db_proc.uri, seeded, args.repeat, rng)
            columns.append(col)
            print_table(columns, results)
            if n_users == args.users[0]:
                for name, plan in explain(db_proc.uri).items():
                    print(f"plan, {name}: {plan}")
                if args.baseline:
                    client.close()
                    db_proc.stop()
                    base = EmbeddedDatabase(data_dir=data_dir, binary=args.baseline)
                    base.start()
                    col = f"{n_users} users, unpatched"
                    print(f"measuring {args.baseline} ({args.baseline_repeat} runs a query)", flush=True)
                    results[col] = measure(base.uri, seeded, args.baseline_repeat, rng, warmup=False)
                    columns.append(col)
                    base.stop()
                    print_table(columns, results)
                    db_proc.start()
                    client = MongoClient(db_proc.uri)
                    db = client.bench
    finally:
        client.close()
        db_proc.stop()
        if not args.data_dir and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print_table(columns, results)


# --- semantic check ------------------------------------------------------------------------


def tricky_docs():
    oid = ObjectId("5f0000000000000000000001")
    d = dt.datetime(2024, 5, 1, tzinfo=UTC)
    values = [
        5,
        Int64(5),
        5.0,
        5.5,
        -0.0,
        0,
        Int64(2**60),
        float(2**60),
        Int64(2**53 + 1),
        float(2**53),
        1e21,
        -5,
        "5",
        "abc",
        "ab c",
        "ab",
        'q"uote',
        "<tag>",
        "é",
        "",
        oid,
        str(oid),
        ObjectId("5f0000000000000000000002"),
        d,
        d + dt.timedelta(days=40),
        dt.datetime(1969, 12, 31, tzinfo=UTC),
        dt.datetime(1995, 1, 1, tzinfo=UTC),
        dt.datetime(2300, 1, 1, tzinfo=UTC),
        Int64(int(d.timestamp() * 1000)),
        float(int(d.timestamp() * 1000)),
        Timestamp(int(d.timestamp()), 1),
        True,
        False,
        "true",
        None,
        [5, 6],
        [d],
        [oid],
        [],
        [{"v": 5}],
        ["5", 7],
        [d + dt.timedelta(days=400), dt.datetime(1995, 1, 1, tzinfo=UTC)],
        {"x": 1},
        {"v": 5},
    ]
    docs = []
    for i, v in enumerate(values):
        for grp in ("a", "b"):
            docs.append({"_id": ObjectId(), "n": i, "grp": grp, "v": v, "w": values[(i * 7) % len(values)]})
    docs.append({"_id": ObjectId(), "n": 1000, "grp": "a"})  # v missing
    docs.append({"_id": "string-id", "n": 1001, "grp": "a", "v": d})
    docs.append({"_id": 7, "n": 1002, "grp": "a", "v": d})
    docs.append({"_id": str(oid), "n": 1003, "grp": "a", "v": oid})
    docs.append({"_id": ObjectId(), "n": 1004, "grp": ["a", "b"], "v": d})
    docs.append({"_id": ObjectId(), "n": 1005, "grp": "a", "v": d, "nested": {"v": Int64(5)}})
    return docs


def tricky_queries():
    oid = ObjectId("5f0000000000000000000001")
    d = dt.datetime(2024, 5, 1, tzinfo=UTC)
    ms = int(d.timestamp() * 1000)
    filters = [
        {},
        {"grp": "a"},
        {"grp": "b"},
        {"v": 5},
        {"v": 5.0},
        {"v": Int64(5)},
        {"v": "5"},
        {"v": 0},
        {"v": -0.0},
        {"v": Int64(2**60)},
        {"v": float(2**60)},
        {"v": Int64(2**53 + 1)},
        {"v": float(2**53)},
        {"v": 1e21},
        {"v": 5.5},
        {"v": oid},
        {"v": str(oid)},
        {"v": d},
        {"v": True},
        {"v": "true"},
        {"v": None},
        {"v": "ab c"},
        {"v": 'q"uote'},
        {"v": "<tag>"},
        {"v": "é"},
        {"v": ""},
        {"v": Int64(ms)},
        {"v": float(ms)},
        {"v": {"$eq": d}},
        {"v": {"$in": [5, "5", oid, d]}},
        {"v": {"$in": [None, 5]}},
        {"v": {"$in": []}},
        {"v": {"$gte": d, "$lt": d + dt.timedelta(days=41)}},
        {"v": {"$gt": d}},
        {"v": {"$gte": d}},
        {"v": {"$lt": d}},
        {"v": {"$lte": d}},
        {"v": {"$lt": dt.datetime(2000, 1, 1, tzinfo=UTC)}},
        {"v": {"$gt": dt.datetime(2200, 1, 1, tzinfo=UTC)}},
        {"v": {"$gte": dt.datetime(1990, 1, 1, tzinfo=UTC), "$lt": dt.datetime(2030, 1, 1, tzinfo=UTC)}},
        {"v": {"$gt": oid}},
        {"v": {"$lte": oid}},
        {"v": {"$gte": 5}},
        {"v": {"$ne": 5}},
        {"v": {"$nin": [5]}},
        {"v": {"$exists": False}},
        {"v": {"$not": {"$gte": d}}},
        {"v": [5, 6]},
        {"v": {"x": 1}},
        {"nested.v": 5},
        {"v.v": 5},
        {"grp": "a", "v": 5},
        {"grp": "a", "v": d},
        {"grp": "b", "v": oid},
        {"grp": {"$in": ["a", "b"]}, "v": {"$gte": d}},
        {"$and": [{"grp": "a"}, {"v": {"$gte": d}}, {"v": {"$lt": d}}]},
        {"$and": [{"grp": "a"}, {"v": {"$gte": d, "$lt": d + dt.timedelta(days=1)}}]},
        {"$or": [{"v": 5}, {"v": d}]},
        {"_id": oid},
        {"_id": "string-id"},
        {"_id": 7},
        {"_id": str(oid)},
        {"_id": {"$in": [7, "string-id", str(oid)]}},
        {"w": 5, "v": {"$gte": d}},
        {"grp": "a", "w": {"$in": [5, d]}},
    ]
    sorts = [
        None,
        [("v", 1), ("_id", 1)],
        [("v", -1), ("_id", 1)],
        [("_id", 1)],
        [("_id", -1)],
        [("v", 1), ("_id", -1)],
        [("w", 1), ("_id", 1)],
    ]
    return filters, sorts


def run_queries(uri):
    client = MongoClient(uri)
    out = []
    filters, sorts = tricky_queries()
    for coll in ("plain", "indexed"):
        c = client.check[coll]
        # whole documents, as decoded by each build
        out.append(((coll, "{}", "all documents", 0, 0), [repr(d) for d in c.find({}).sort("_id", 1)]))
        for f in filters:
            for s in sorts:
                for limit, skip in ((0, 0), (3, 0), (3, 2)):
                    cur = c.find(f, {"n": 1}, limit=limit, skip=skip)
                    if s:
                        cur = cur.sort(s)
                    try:
                        ids = [d["n"] for d in cur]
                    except Exception as e:  # noqa: BLE001 - an error is a result to compare too
                        ids = f"error: {type(e).__name__}: {e}"
                    if not s and not isinstance(ids, str) and not limit:
                        ids = sorted(ids)
                    out.append(((coll, repr(f), repr(s), limit, skip), ids))
            for name, count in (
                ("count", lambda c=c, f=f: c.count_documents(f)),
                ("count skip 1 limit 3", lambda c=c, f=f: c.count_documents(f, skip=1, limit=3)),
                ("count command", lambda c=c, f=f: c.database.command("count", c.name, query=f)["n"]),
                ("$count stage", lambda c=c, f=f: list(c.aggregate([{"$match": f}, {"$count": "n"}]))),
            ):
                try:
                    out.append(((coll, repr(f), name, 0, 0), count()))
                except Exception as e:  # noqa: BLE001
                    out.append(((coll, repr(f), name, 0, 0), f"error: {e}"))
    client.close()
    return out


def check(args):
    results = {}
    docs = tricky_docs()
    for binary in (args.binary, args.baseline):
        with EmbeddedDatabase(binary=binary) as db:
            client = MongoClient(db.uri)
            client.check.plain.insert_many([dict(d) for d in docs])
            client.check.indexed.create_index([("v", ASCENDING)])
            client.check.indexed.create_index([("grp", ASCENDING), ("v", ASCENDING)])
            client.check.indexed.create_index([("grp", ASCENDING), ("w", ASCENDING), ("v", ASCENDING)])
            client.check.indexed.insert_many([dict(d) for d in docs])
            client.close()
            results[binary] = run_queries(db.uri)
    patched, base = results[args.binary], results[args.baseline]
    assert [k for k, _ in patched] == [k for k, _ in base]
    differ = [(k, a, b) for (k, a), (_, b) in zip(patched, base, strict=True) if a != b]
    # Without a sort, a limit may pick any documents (in any order): then only check they match.
    real = []
    full = dict(patched)
    for k, a, b in differ:
        unsorted_limit = k[2] == "None" and k[3] and isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
        if unsorted_limit and all(x in full[(k[0], k[1], k[2], 0, 0)] for x in a):
            continue
        real.append((k, a, b))
    print(
        f"semantic check: {len(patched)} query results compared, {len(differ) - len(real)} are unsorted "
        f"limits that picked other matching documents, {len(real)} differ"
    )
    for k, a, b in real[:30]:
        print(f"  DIFF {k}:\n    patched:  {a}\n    baseline: {b}")
    return 1 if real else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "bin" / "orbix-ferretdb"))
    parser.add_argument("--baseline", help="another build to compare with (e.g. without the patch)")
    parser.add_argument("--unpatched", action="store_true", help="build FerretDB without the patches as the baseline")
    parser.add_argument("--users", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--invoices", type=int, default=1500)
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--baseline-repeat", type=int, default=3)
    parser.add_argument("--data-dir", help="keep the database here (default: a temporary directory, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--check", action="store_true", help="run the semantic check instead of the benchmark")
    args = parser.parse_args()
    if args.unpatched:
        args.baseline = str(build_unpatched())
    if args.check:
        if not args.baseline:
            parser.error("--check needs --baseline or --unpatched")
        sys.exit(check(args))
    bench(args)


if __name__ == "__main__":
    main()
