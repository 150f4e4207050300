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
from ..errors import unprocessable
from . import timeutil

LIST_CAP = 10_000
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


def _header(total, page, page_size, truncated=False):
    pages = max(1, math.ceil(total / page_size)) if page_size else 1
    meta = {"total": total, "total_pages": pages, "first_page": 1, "last_page": pages, "page": page}
    if page > 1:
        meta["previous_page"] = page - 1
    if page < pages:
        meta["next_page"] = page + 1
    if truncated:
        meta["truncated"] = True
    return {"X-Pagination": json.dumps(meta)}


def find_page(collection_name, query, args, allowed_sort, projection=None, default_sort=("created_at", 1)):
    """Run a list query. Returns ``(documents, headers)`` for a smorest list response."""
    order = parse_sort(args.get("sort"), allowed_sort, default_sort)
    coll = collection(collection_name)
    paged = "page" in args or "page_size" in args
    if not paged:
        docs = list(coll.find(query, projection).sort(order).limit(LIST_CAP + 1))
        if len(docs) <= LIST_CAP:
            return docs, {}
        total = coll.count_documents(query)
        return docs[:LIST_CAP], _header(total, 1, LIST_CAP, truncated=True)
    page = args.get("page", 1)
    page_size = args.get("page_size", DEFAULT_PAGE_SIZE)
    total = coll.count_documents(query)
    docs = list(coll.find(query, projection).sort(order).skip((page - 1) * page_size).limit(page_size))
    return docs, _header(total, page, page_size)
