"""List endpoints: filters, whitelisted sorting and opt-in pagination.

The existing client expects every item in a bare array, so without ``page`` or
``page_size`` a list returns the whole filtered set up to ``LIST_CAP`` items.
Pagination metadata travels in the ``X-Pagination`` header (flask-smorest's
format) so the body stays a bare array.
"""

import json
import math
import re

from ..db import collection
from . import timeutil
from .exceptions import unprocessable

LIST_CAP = 10_000
# FerretDB counts by reading documents; beyond this many matches it reports no exact total.
FERRETDB_COUNT_CAP = 1_000
DEFAULT_PAGE_SIZE = 100

PAGINATION_HEADER = {
    "X-Pagination": {
        "description": "Pagination metadata (JSON): total, total_pages, page, first_page, last_page, "
        "previous_page, next_page; `truncated: true` when an unpaged list hit the cap",
        "schema": {"type": "string"},
    }
}


def text_search(q, fields):
    """A case-insensitive substring match over ``fields``, with user input escaped."""
    if not q or not q.strip():
        return {}
    pattern = re.escape(q.strip())
    return {"$or": [{field: {"$regex": pattern, "$options": "i"}} for field in fields]}


def date_range(field, start=None, end=None, tz=None):
    """Filter on ``field`` from RangeBound values; a bare ``to`` date includes that whole day."""
    tz = tz or timeutil.UTC
    condition = {}
    if start is not None:
        value, date_only = start
        condition["$gte"] = timeutil.local_day_start(value, tz) if date_only else value
    if end is not None:
        value, date_only = end
        if date_only:
            condition["$lt"] = timeutil.end_of_day(value, tz)
        else:
            condition["$lte"] = value
    return {field: condition} if condition else {}


def parse_sort(sort, allowed, default=("created_at", 1)):
    """``field``/``-field`` from the whitelist -> a PyMongo sort list with ``_id`` as tiebreaker."""
    if not sort:
        field, direction = default
    else:
        direction = -1 if sort.startswith("-") else 1
        field = sort.lstrip("-+")
        if field not in allowed:
            unprocessable("sort", f"Must be one of: {', '.join(sorted(allowed))} (prefix - for descending).", "query")
    order = [(field, direction)]
    if field != "_id":
        order.append(("_id", direction))
    return order


def _header(page, page_size, has_next, total=None, truncated=False):
    """flask-smorest's X-Pagination fields. ``total=None`` means "more than FERRETDB_COUNT_CAP":
    the pages derived from it are then left out and ``total_exceeds`` says the bound."""
    meta = {"page": page, "first_page": 1}
    if total is None:
        meta["total_exceeds"] = FERRETDB_COUNT_CAP
    else:
        pages = max(1, math.ceil(total / page_size)) if page_size else 1
        meta.update(total=total, total_pages=pages, last_page=pages)
    if page > 1:
        meta["previous_page"] = page - 1
    if has_next:
        meta["next_page"] = page + 1
    if truncated:
        meta["truncated"] = True
    return {"X-Pagination": json.dumps(meta)}


def _is_ferretdb(coll):
    """Whether the server is FerretDB (asked once per client and cached)."""
    client = coll.database.client
    key = id(client)
    if key not in _ENGINE:
        _ENGINE[key] = "ferretdbVersion" in coll.database.command("buildInfo")
    return _ENGINE[key]


_ENGINE = {}
# Oldest first: the order documents are inserted in, and the default of most lists.
INSERTION_ORDER = [("created_at", 1), ("_id", 1)]


def _cursor(coll, query, projection, order):
    """A cursor in the requested order.

    FerretDB (the embedded development database) evaluates every filter and sort over the
    whole collection, but streams an unsorted filtered query in insertion order and stops at
    the limit. Insertion order is creation order (``created_at`` and ``_id`` are set at insert
    and never change), so there oldest-first is served without a sort: a first page then
    costs the same with 1,000 or 100,000 documents. MongoDB always gets the sort, served by the
    ``user_id``-first indexes.
    """
    cursor = coll.find(query, projection)
    if order == INSERTION_ORDER and _is_ferretdb(coll):
        return cursor
    return cursor.sort(order)


def _count(coll, query):
    """Exact total on MongoDB (counted through the index). FerretDB reads every matching
    document to count, so there the count stops at FERRETDB_COUNT_CAP (None beyond it):
    a page's cost no longer grows with the collection."""
    if not _is_ferretdb(coll):
        return coll.count_documents(query)
    total = coll.count_documents(query, limit=FERRETDB_COUNT_CAP + 1)
    return total if total <= FERRETDB_COUNT_CAP else None


def _page_from_window(cursor, page, page_size):
    """A page and its total from one pass (FerretDB, pages within FERRETDB_COUNT_CAP).

    FerretDB's count decodes every matching document up to the cap, the same work as reading
    them, so fetching that window once and slicing it here replaces two passes (page, then
    count) with one: about 40% less database time for a page of 100 out of a few hundred."""
    window = list(cursor.limit(FERRETDB_COUNT_CAP + 1))
    start = (page - 1) * page_size
    docs = window[start:start + page_size]
    total = len(window) if len(window) <= FERRETDB_COUNT_CAP else None
    return docs, _header(page, page_size, len(window) > start + page_size, total)


def find_page(collection_name, query, args, allowed_sort, projection=None, default_sort=("created_at", 1)):
    """Run a list query. Returns ``(documents, headers)`` for a smorest list response.

    Without ``page``/``page_size`` the whole filtered list comes back, up to ``LIST_CAP``.
    A page fetches one extra document to know whether a next page exists; see ``_count``
    for the total.
    """
    order = parse_sort(args.get("sort"), allowed_sort, default_sort)
    coll = collection(collection_name)
    paged = "page" in args or "page_size" in args
    page = args.get("page", 1) if paged else 1
    page_size = args.get("page_size", DEFAULT_PAGE_SIZE) if paged else LIST_CAP
    cursor = _cursor(coll, query, projection, order)
    if paged and page * page_size <= FERRETDB_COUNT_CAP and _is_ferretdb(coll):
        return _page_from_window(cursor, page, page_size)
    docs = list(cursor.skip((page - 1) * page_size).limit(page_size + 1))
    has_next = len(docs) > page_size
    docs = docs[:page_size]
    if not paged and not has_next:
        return docs, {}
    # On the last page the total is known exactly; otherwise count.
    last_page = not has_next and (docs or page == 1)
    total = (page - 1) * page_size + len(docs) if last_page else _count(coll, query)
    return docs, _header(page, page_size, has_next, total, truncated=not paged)
