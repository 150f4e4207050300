"""Public links (``public_links``): looked up by ``_id`` (the token's SHA-256), which needs no
extra index; revoked and deleted per target document (kind, target_id); deleted with the
account (user_id)."""

from pymongo import ASCENDING

INDEXES = {
    "kind_target": ("kind", "target_id"),
    "user": ("user_id",),
}


def up(db):
    links = db.public_links
    existing = [list(index["key"].items()) for index in links.list_indexes()]
    for name, keys in INDEXES.items():
        wanted = [(key, ASCENDING) for key in keys]
        if wanted not in existing:
            links.create_index(wanted, name=name)
