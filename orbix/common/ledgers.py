"""Ledgers: compact per-user copies of one collection's report fields, read by ``_id``.

Why: a report needs every time entry, invoice and payment of a user. Reading 20,000 source
documents costs seconds on the embedded FerretDB (it decodes each whole document before
filtering) and is linear in the user's data on any engine. A ledger keeps one row (a short
list of JSON scalars) per source document in a few shard documents per user, read by ``_id``
with one query whatever the engine, so a snapshot rebuild after a write costs tens of
milliseconds.

A shard document is ``{_id: "<user>:<shard>", user_id, seq, ids, cols, touched}``, stored so
that reading costs as little as possible: ``cols`` is one zlib-compressed JSON array of columns
(``cols[k][i]`` is field k of row i: a few long lists of scalars decode several times faster
than thousands of small lists or objects), ``ids`` the rows' source ``_id``s as 12-byte runs in
the same order (compressed; turned into ObjectIds only when a row's id is wanted), ``touched``
(below) a separate blob that only writers decode. Few bytes matter: the embedded FerretDB spends
~35 µs per KB of a document it returns. Readers get a ``Table``: every shard's columns joined.

Keeping rows right without transactions: after writing source documents, the owner calls
``refresh(user_id, ids)``. Under the shard's lock (``common.locks``) that re-reads each
source document by ``_id`` and stores its row (or drops it when the document is gone).
Re-reading *after* the write, under the lock, makes the update idempotent and race-safe:
whichever refresh runs last read the document after every write that preceded it, so
concurrent writers cannot leave an old row behind. A source document's shard follows from
its ``_id``, so a row never moves between shards.

``rebuild`` recomputes whole shards from a scan (the migration that creates ledgers for
existing data, or data written behind the owner's back). A refresh that lands while a
rebuild scans is not lost: each refresh numbers itself in the shard (``seq``) and records
the ids it touched; the rebuild re-reads by ``_id`` every id touched after the scan began.
"""

import zlib
from collections import defaultdict

import orjson
from bson import Binary, ObjectId

from . import locks

TOUCHED_KEPT = 500  # ids remembered per shard for rebuilds in flight (a user's rebuild takes seconds)
PK_READS_UP_TO = 20  # refreshing more ids than this reads them with one $in query instead
ID_BYTES = 12
READ_FIELDS = {"ids": 1, "cols": 1}  # what a reader needs of a shard (``touched`` is for writers)


def _pack(value):
    return Binary(zlib.compress(orjson.dumps(value), 1))


def _unpack(blob):
    return orjson.loads(zlib.decompress(blob))


def _pack_ids(hex_ids):
    return Binary(zlib.compress(bytes.fromhex("".join(hex_ids)), 1))  # ids of one process share 5 bytes


class Table:
    """One user's rows of a ledger by column: ``columns[k][i]`` is field k of row i, whose
    source ``_id`` is ``source_id(i)``. Row order follows the shards, not time."""

    __slots__ = ("ids", "columns")

    def __init__(self, width):
        self.ids, self.columns = bytearray(), [[] for _ in range(width)]

    def add_shard(self, doc):
        if "cols" not in doc:  # written before migration 0014: empty until it rebuilds the ledger
            return
        self.ids += zlib.decompress(doc["ids"])
        for column, values in zip(self.columns, _unpack(doc["cols"]) or [[]] * len(self.columns), strict=True):
            column.extend(values)

    def __len__(self):
        return len(self.ids) // ID_BYTES

    def source_id(self, index):
        return ObjectId(bytes(self.ids[index * ID_BYTES : (index + 1) * ID_BYTES]))

    def rows(self):
        """{source id hex: row list}, as the ledger's ``row`` made them."""
        ids, step = self.ids.hex(), 2 * ID_BYTES
        return {ids[i * step : (i + 1) * step]: list(row) for i, row in enumerate(zip(*self.columns, strict=True))}


class Ledger:
    """Rows of ``source`` documents (``row(doc)``: a list of ``width`` JSON scalars, or None to
    leave the document out)."""

    def __init__(self, name, source, fields, row, width, shards):
        self.name, self.source, self.row, self.width, self.shards = name, source, row, width, shards
        self.projection = dict.fromkeys(("user_id", *fields), 1)

    def shard_of(self, source_id):
        return int.from_bytes(source_id.binary[-3:], "big") % self.shards

    def shard_id(self, user_id, shard):
        return f"{user_id}:{shard:03d}"

    def _load(self, db, user_id, shard):
        """The shard as ``{seq, rows: {id hex: row}, touched: {id hex: seq}}``."""
        doc = db[self.name].find_one({"_id": self.shard_id(user_id, shard)})
        if doc is None or "cols" not in doc:
            return {"seq": 0, "rows": {}, "touched": {}}
        table = Table(self.width)
        table.add_shard(doc)
        return {"seq": doc["seq"], "rows": table.rows(), "touched": _unpack(doc["touched"])}

    def _store(self, db, user_id, shard, state):
        rows = state["rows"]
        doc = {
            "user_id": user_id,
            "seq": state["seq"],
            "ids": _pack_ids(rows),
            "cols": _pack([list(column) for column in zip(*rows.values(), strict=True)]),
            "touched": _pack(state["touched"]),
        }
        db[self.name].replace_one({"_id": self.shard_id(user_id, shard)}, doc, upsert=True)

    def _read_sources(self, db, user_id, ids):
        """{id: source document} of those ``ids`` that still exist and belong to ``user_id``."""
        if len(ids) <= PK_READS_UP_TO:  # ``_id`` alone, no projection: FerretDB scans otherwise
            found = (db[self.source].find_one({"_id": i}) for i in ids)
            return {doc["_id"]: doc for doc in found if doc is not None and doc["user_id"] == user_id}
        cursor = db[self.source].find({"_id": {"$in": list(ids)}, "user_id": user_id}, self.projection)
        return {doc["_id"]: doc for doc in cursor}

    def _apply(self, state, sources, ids):
        for source_id in ids:
            doc = sources.get(source_id)
            row = None if doc is None else self.row(doc)
            if row is None:
                state["rows"].pop(str(source_id), None)
            else:
                state["rows"][str(source_id)] = row

    def refresh(self, db, user_id, ids):
        """Re-derive the rows of ``ids`` (source ``_id`` values) from the stored documents;
        call after writing them (deleted ones lose their row)."""
        by_shard = defaultdict(list)
        for source_id in dict.fromkeys(ids):
            by_shard[self.shard_of(source_id)].append(source_id)
        for shard, shard_ids in sorted(by_shard.items()):
            with locks.held(f"ledger:{self.name}:{self.shard_id(user_id, shard)}", "This report ledger", db=db):
                state = self._load(db, user_id, shard)
                self._apply(state, self._read_sources(db, user_id, shard_ids), shard_ids)
                state["seq"] += 1
                touched = state["touched"]
                touched.update(dict.fromkeys((str(i) for i in shard_ids), state["seq"]))
                if len(touched) > TOUCHED_KEPT:
                    state["touched"] = dict(sorted(touched.items(), key=lambda item: item[1])[-TOUCHED_KEPT:])
                self._store(db, user_id, shard, state)

    def table(self, db, user_id):
        """A Table of all the user's rows: one query for every shard, by ``_id``."""
        table = Table(self.width)
        shard_ids = [self.shard_id(user_id, shard) for shard in range(self.shards)]
        for doc in db[self.name].find({"_id": {"$in": shard_ids}}, READ_FIELDS):
            table.add_shard(doc)
        return table

    def rows(self, db, user_id):
        """{source id hex: row} of all the user's documents."""
        return self.table(db, user_id).rows()

    def rebuild(self, db, user_id=None):
        """Recompute the rows of one user (or of every user) from a scan of the source."""
        query = {} if user_id is None else {"user_id": user_id}
        users = set() if user_id is None else {user_id}
        began = {}  # (user, shard) -> seq before the scan
        if user_id is not None:
            began = {(user_id, s): self._load(db, user_id, s)["seq"] for s in range(self.shards)}
        scanned = defaultdict(dict)
        for doc in db[self.source].find(query, self.projection):
            row = self.row(doc)
            users.add(doc["user_id"])
            if row is not None:
                scanned[(doc["user_id"], self.shard_of(doc["_id"]))][str(doc["_id"])] = row
        for owner in users:
            for shard in range(self.shards):
                self._replace(db, owner, shard, scanned.get((owner, shard), {}), began.get((owner, shard), 0))

    def _replace(self, db, user_id, shard, rows, seq_before):
        with locks.held(f"ledger:{self.name}:{self.shard_id(user_id, shard)}", "This report ledger", db=db):
            state = self._load(db, user_id, shard)
            late = [ObjectId(i) for i, seq in state["touched"].items() if seq > seq_before]
            state["rows"] = rows
            self._apply(state, self._read_sources(db, user_id, late), late)
            self._store(db, user_id, shard, state)


def oid(value):
    """An ObjectId as a row value (hex), None kept."""
    return None if value is None else str(value)
