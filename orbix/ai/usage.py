"""Usage records (``ai_usage``): one per AI call, for quotas, billing and debugging.

A record holds the task, characters in and out, tokens when the provider reports
them, latency and the outcome; never the text itself (it may be private).
"""

from ..common import lists
from ..common.timeutil import utcnow
from ..db import collection
from . import AI_USAGE

COLLECTION = AI_USAGE
SORTABLE = {"created_at", "latency_ms", "total_tokens", "task"}
TOKEN_FIELDS = ("prompt_tokens", "completion_tokens", "total_tokens")


def record(user_id, task, chars_in, chars_out, latency_ms, completion=None, model=None, error_code=None):
    doc = {
        "user_id": user_id,
        "task": task,
        "model": getattr(completion, "model", None) or model,
        "status": "error" if error_code else "ok",
        "error_code": error_code,
        "chars_in": chars_in,
        "chars_out": chars_out,
        "latency_ms": int(latency_ms),
        "created_at": utcnow(),
    }
    doc.update({key: getattr(completion, key, None) for key in TOKEN_FIELDS})
    doc["updated_at"] = doc["created_at"]
    collection(COLLECTION).insert_one(doc)
    return doc


def _query(user_id, args):
    query = {"user_id": user_id}
    if args.get("task"):
        query["task"] = args["task"]
    query.update(lists.date_range("created_at", args.get("from_"), args.get("to"), args.get("tz")))
    return query


def list_usage(user_id, args):
    return lists.find_page(COLLECTION, _query(user_id, args), args, SORTABLE)


def summary(user_id, args):
    """Totals over the same filters as the list, summed here rather than with $group so
    null token counts (providers that report none) behave the same on FerretDB and MongoDB."""
    fields = {"task": 1, "status": 1, "chars_in": 1, "chars_out": 1, "total_tokens": 1, "_id": 0}
    totals = {"calls": 0, "errors": 0, "chars_in": 0, "chars_out": 0, "total_tokens": 0, "by_task": {}}
    for row in collection(COLLECTION).find(_query(user_id, args), fields):
        totals["calls"] += 1
        totals["errors"] += row.get("status") == "error"
        for key in ("chars_in", "chars_out", "total_tokens"):
            totals[key] += row.get(key) or 0
        totals["by_task"][row["task"]] = totals["by_task"].get(row["task"], 0) + 1
    return totals
