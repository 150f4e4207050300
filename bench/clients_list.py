"""Benchmark: first page and a ``q`` search of GET /api/clients with 1,000 and 100,000 clients.

Seeds one user's clients straight through pymongo (insert_many) on the embedded FerretDB
(or MONGO_URI), then times requests through the Flask app. Prints figures; not a test.

    .venv/bin/python bench/clients_list.py [--runs 9]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("JWT_SECRET_KEY", "bench-secret-key-that-is-long-enough-for-hs256")

from bson import ObjectId  # noqa: E402

from orbix.app import create_app  # noqa: E402
from orbix.common.timeutil import utcnow  # noqa: E402
from orbix.db import get_db  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.migrate import apply_migrations  # noqa: E402

SIZES = (1_000, 100_000)
REQUESTS = {
    "page 1 (?page=1)": "/api/clients?page=1",
    "q search, common term (?q=acme&page=1)": "/api/clients?q=acme&page=1",
    "q search, rare term (?q=client-000777)": "/api/clients?q=client-000777&page=1",
}


def seed(db, user_id, start, stop):
    """Clients ``start..stop-1``: every tenth works at Acme, so ``acme`` matches 10%."""
    base = utcnow() - timedelta(days=400)
    batch = []
    for i in range(start, stop):
        when = base + timedelta(seconds=i)
        batch.append({
            "user_id": user_id, "name": f"Client {i:06d}", "email": f"client-{i:06d}@example.com",
            "company": "Acme Ltd" if i % 10 == 0 else f"Company {i}", "phone": None, "address": None,
            "notes": None, "currency": None, "default_hourly_rate": None, "tax_id": None,
            "archived": False, "created_at": when, "updated_at": when,
        })
        if len(batch) == 5_000:
            db.clients.insert_many(batch, ordered=False)
            batch = []
    if batch:
        db.clients.insert_many(batch, ordered=False)


def median_ms(http, path, headers, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = http.get(path, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:  # e.g. 503 when a full scan outlasts the socket timeout
            print(f"  {path}: HTTP {response.status_code} after {timings[-1]:.0f} ms", flush=True)
            return float("inf"), response
    return statistics.median(timings), response


def run(uri, runs):
    app = create_app(
        {"MONGO_URI": uri, "MONGO_DB_NAME": "orbix_bench", "BCRYPT_ROUNDS": 4, "TESTING": True, "LOG_LEVEL": "WARNING"}
    )
    http = app.test_client()
    with app.app_context():
        db = get_db()
        for name in db.list_collection_names():
            db.drop_collection(name)
        apply_migrations(db)
        body = http.post(
            "/api/auth/register",
            json={"name": "Bench", "email": "bench@example.com", "password": "correct horse battery"},
        ).get_json()
        assert "token" in body, body
        headers = {"Authorization": f"Bearer {body['token']}"}
        user_id = ObjectId(body["user"]["id"])
        results = {}
        seeded = 0
        for size in SIZES:
            started = time.perf_counter()
            seed(db, user_id, seeded, size)
            seeded = size
            print(f"seeded {size:,} clients in {time.perf_counter() - started:.1f}s", flush=True)
            for label, path in REQUESTS.items():
                ms, response = median_ms(http, path, headers, runs)
                results[(size, label)] = ms
                print(
                    f"  {label:42s} median {ms:9.1f} ms  ({len(response.get_json() or [])} items, "
                    f"X-Pagination {response.headers.get('X-Pagination')})",
                    flush=True,
                )
        print()
        for label in REQUESTS:
            small, large = results[(SIZES[0], label)], results[(SIZES[1], label)]
            print(f"{label:42s} {small:9.1f} ms -> {large:9.1f} ms  ratio {large / small:.2f}x")
        ratio = results[(SIZES[1], "page 1 (?page=1)")] / results[(SIZES[0], "page 1 (?page=1)")]
        print(f"\npage 1 ratio {ratio:.2f}x (goal: at most 1.5x) -> {'OK' if ratio <= 1.5 else 'OVER'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="requests per figure (median reported)")
    args = parser.parse_args()
    uri = os.environ.get("MONGO_URI")
    if uri:
        run(uri, args.runs)
        return
    with EmbeddedDatabase() as database:
        run(database.uri, args.runs)


if __name__ == "__main__":
    main()
