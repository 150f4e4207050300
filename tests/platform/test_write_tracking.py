"""Write tracking (orbix.platform.write_tracking): whose data version a request bumps."""

from importlib import import_module

from bson import ObjectId

from ..factories import PASSWORD, expect


def test_writes_without_a_caller_leave_no_version_of_nobody(client, user, db):
    before = db.data_versions.count_documents({})
    expect(client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}), 200)
    client.post("/api/auth/register", json={"name": "New", "email": "new@example.com", "password": PASSWORD})
    assert db.data_versions.count_documents({}) == before


def test_the_migration_removes_versions_of_nobody(user, db):
    mine = ObjectId(user["id"])
    db.data_versions.update_one({"_id": mine}, {"$set": {"token": "mine"}}, upsert=True)
    db.data_versions.insert_many([{"_id": ObjectId(), "token": "orphan"} for _ in range(3)])
    import_module("migrations.0022_orphan_data_versions").up(db)
    assert [doc["_id"] for doc in db.data_versions.find()] == [mine]
