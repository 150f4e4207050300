"""Report indexes: every snapshot read is one query on ``user_id`` (plus the order it
is read in; projects, contracts and resumes are read with the indexes of 0003, 0005 and
0006), and ``data_versions`` is read by ``_id`` only. An index whose keys another
migration already created (under any name) is left alone, so this stays idempotent."""

from pymongo import ASCENDING

INDEXES = {
    "time_entries": ("user_id", "start_time"),
    "invoices": ("user_id", "date"),
    "payments": ("user_id", "date", "currency"),
}


def ensure_index(collection, keys):
    wanted = [(key, ASCENDING) for key in keys]
    existing = [list(index["key"].items()) for index in collection.list_indexes()]
    if wanted not in existing:
        collection.create_index(wanted, name="_".join(keys))


def up(db):
    if "data_versions" not in db.list_collection_names():
        db.create_collection("data_versions")
    for name, keys in INDEXES.items():
        ensure_index(db[name], keys)
