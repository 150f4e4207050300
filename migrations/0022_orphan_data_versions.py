"""Data versions of nobody: until now every write request without a caller (a login, a
registration, a Stripe webhook) bumped the version of a brand-new random id (``parse_id(None)``
made one), leaving one ``data_versions`` document per such request. Remove every document whose
``_id`` is no user's; a user's own is made again on first use."""

BATCH = 1000


def up(db):
    versions = db.data_versions
    ids = [doc["_id"] for doc in versions.find({}, {"_id": 1}).sort("_id", 1)]
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        users = {doc["_id"] for doc in db.users.find({"_id": {"$in": batch}}, {"_id": 1})}
        orphans = [value for value in batch if value not in users]
        if orphans:
            versions.delete_many({"_id": {"$in": orphans}})
