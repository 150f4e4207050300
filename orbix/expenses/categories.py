"""Expense categories: a per-user, editable list, unique by name (case-insensitively).

A new user starts with ``DEFAULTS``, added the first time they list categories or name one
(``ensure_defaults``); a record in ``expense_category_defaults`` (``_id`` = user id) says it
was done, so defaults the user deleted do not come back. Two first requests at once add
each default once: the unique (user_id, name_key) index refuses the second copy. Expenses
refer to a category by id, so renaming one renames it everywhere; a category in use cannot
be deleted (409, ``common.references``)."""

import contextlib

from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from ..common import ferretdb_compat, lists
from ..common.documents import insert_owned, update_owned
from ..common.exceptions import conflict, unprocessable
from ..common.ownership import get_owned_or_404, require_owned_reference
from ..common.references import delete_unreferenced, still_referable
from ..common.timeutil import utcnow
from ..db import collection
from . import EXPENSE_CATEGORIES as COLLECTION
from . import EXPENSE_CATEGORY_DEFAULTS, EXPENSES

DEFAULTS = ("Travel", "Software", "Equipment", "Meals", "Office", "Other")
SORTABLE = {"name", "created_at", "updated_at"}
REFERRERS = ((EXPENSES, "expense", "expenses"),)


def name_key(name):
    return name.casefold()


def ensure_defaults(user_id):
    """Give a user the default categories once (see the module docstring)."""
    if collection(EXPENSE_CATEGORY_DEFAULTS).find_one({"_id": user_id}, {"_id": 1}) is not None:
        return
    now = utcnow()
    docs = [
        {"user_id": user_id, "name": name, "name_key": name_key(name), "created_at": now, "updated_at": now}
        for name in DEFAULTS
    ]
    with contextlib.suppress(BulkWriteError):  # a concurrent first request added them: the index kept one each
        collection(COLLECTION).insert_many(docs, ordered=False)
    with contextlib.suppress(DuplicateKeyError):
        collection(EXPENSE_CATEGORY_DEFAULTS).insert_one({"_id": user_id, "user_id": user_id, "added_at": now})


def _duplicate(name):
    conflict(f"You have an expense category named {name!r} already")


def list_categories(user_id, args):
    ensure_defaults(user_id)
    query = {"user_id": user_id, **lists.text_search(args.get("q"), ("name",))}
    return lists.find_page(COLLECTION, query, args, SORTABLE)


def get_category(user_id, category_id):
    return get_owned_or_404(COLLECTION, category_id, user_id, "Expense category")


def create_category(user_id, name):
    ensure_defaults(user_id)
    try:
        return insert_owned(COLLECTION, user_id, {"name": name, "name_key": name_key(name)})
    except DuplicateKeyError:
        _duplicate(name)


def rename_category(user_id, category_id, name):
    category = get_category(user_id, category_id)
    try:
        return update_owned(
            COLLECTION, category["_id"], user_id, {"name": name, "name_key": name_key(name)}, "Expense category"
        )
    except OperationFailure as exc:
        if not ferretdb_compat.duplicate_key(exc):
            raise
        _duplicate(name)


def delete_category(user_id, category_id):
    category = get_category(user_id, category_id)
    delete_unreferenced(
        COLLECTION,
        category["_id"],
        user_id,
        "category_id",
        REFERRERS,
        "Expense category",
        hint="move those expenses to another category first",
    )


def resolve(user_id, category_id=None, name=None):
    """The id of the caller's category given by id or by name (case-insensitive); 422 naming
    the field when there is none, or when both are given and disagree."""
    if category_id is not None:
        found = require_owned_reference(COLLECTION, category_id, user_id, "category_id", "expense category")
        if name is not None and name_key(name) != found.get("name_key"):
            unprocessable("category", "Names another category than category_id; give one of them.")
        return found["_id"]
    if name is None:
        return None
    found = find_by_name(user_id, name)
    if found is None:
        unprocessable("category", f"No expense category named {name!r}; create it at /api/expense-categories.")
    return found["_id"]


def find_by_name(user_id, name):
    """The caller's category named ``name`` (case-insensitive), or None."""
    ensure_defaults(user_id)
    return collection(COLLECTION).find_one({"user_id": user_id, "name_key": name_key(name)}, {"_id": 1})


def names(user_id, ids=None):
    """{id: name} of the caller's categories (among ``ids`` when given)."""
    query = {"user_id": user_id}
    if ids is not None:
        query["_id"] = {"$in": [i for i in set(ids) if i is not None]}
    return {doc["_id"]: doc["name"] for doc in collection(COLLECTION).find(query, {"name": 1})}


def category_stands(category_id):
    """Whether a category just referenced still stands (not deleted or being deleted)."""
    return category_id is None or still_referable(COLLECTION, category_id)
