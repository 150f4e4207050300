"""The database: migrations, an outage and recovery, purging expired records."""

import time

from orbix.dev.embedded_db import EmbeddedDatabase
from orbix.migrate import apply_migrations
from tests.conftest import TEST_DB_NAME, make_app
from tests.factories import assert_error_shape, make_client, register_user


def test_migrations_are_recorded_and_a_second_run_changes_nothing(db):
    before = {doc["_id"] for doc in db.migrations.find()}
    assert "0001_accounts" in before
    assert apply_migrations(db) == []
    assert {doc["_id"] for doc in db.migrations.find()} == before


def test_a_database_outage_is_503_and_the_app_recovers_without_restart(redis_uri, tmp_path):
    database = EmbeddedDatabase(data_dir=tmp_path / "db")
    uri = database.start()
    try:
        app = make_app(uri, redis_uri, MONGO_TIMEOUT_MS=1000)
        with app.app_context():
            from orbix.db import get_client

            apply_migrations(get_client()[TEST_DB_NAME])
            options = get_client().options
        # Every wait on an absent server is bounded by MONGO_TIMEOUT_MS, not the driver's
        # defaults (30 s to select a server, 20 s to connect): that is what makes the 503 quick.
        assert options.server_selection_timeout == options.pool_options.connect_timeout == 1.0
        client = app.test_client()
        headers = register_user(client, email="outage@example.com")["headers"]
        make_client(client, headers, name="Kept")

        database.stop()
        down = assert_error_shape(client.get("/api/clients", headers=headers), 503)
        assert "unavailable" in down["message"]
        assert_error_shape(client.get("/ready"), 503)

        restarted = EmbeddedDatabase(data_dir=tmp_path / "db", listen=database.address)
        restarted.start()
        database = restarted
        deadline = time.monotonic() + 10
        while client.get("/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        listed = client.get("/api/clients", headers=headers)
        assert listed.status_code == 200
        assert [c["name"] for c in listed.get_json()] == ["Kept"]
    finally:
        database.stop()


def test_purge_expired_removes_only_expired_revocations_and_idempotency_records(app, client, user, make_user, db):
    from datetime import datetime, timedelta, timezone

    other = make_user()
    client.post("/api/auth/logout", headers=user["headers"])
    client.post("/api/auth/logout", headers=other["headers"])
    writer = make_user()  # a revoked token's request is refused before any idempotency record
    client.post(
        "/api/clients",
        json={"name": "A", "email": "a@a.example"},
        headers={**writer["headers"], "Idempotency-Key": "k1"},
    )
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.revoked_tokens.update_many({"user_id": user["id"]}, {"$set": {"expires_at": past}})  # token and session
    db.idempotency_keys.update_many({}, {"$set": {"expires_at": past}})
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "revocations: 2, idempotency records: 1" in result.output
    assert {r["user_id"] for r in db.revoked_tokens.find()} == {other["id"]}
    assert db.idempotency_keys.count_documents({}) == 0


def test_the_workers_purge_expired_records_daily(app, client, user, jobs, db):
    """No cron job needed: a daily periodic task (orbix.maintenance) runs the same purge."""
    from datetime import datetime, timedelta, timezone

    from orbix.jobs import scheduler

    client.post("/api/auth/logout", headers=user["headers"])
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    assert db.revoked_tokens.update_many({}, {"$set": {"expires_at": past}}).modified_count == 2  # token, session
    now = datetime.now(timezone.utc)
    with app.app_context():
        assert f"maintenance.purge_expired:{now:%Y-%m-%d}" in scheduler.tick(now)
    jobs.run()
    assert db.revoked_tokens.count_documents({}) == 0
    assert db.job_runs.find_one({"_id": f"scheduler.run:maintenance.purge_expired:{now:%Y-%m-%d}"})["state"] == "done"
