"""The projects collection's queries that other packages use (time tracking, invoicing,
contracts). It imports no other resource, so any of them may import it."""

from ..common.ownership import require_owned_reference
from ..db import collection
from . import PROJECTS

COLLECTION = PROJECTS


def require_project(user_id, project_id, field="project_id", projection=None):
    """The caller's project named by a body field; 422 naming the field otherwise (None stays None)."""
    return require_owned_reference(COLLECTION, project_id, user_id, field, "project", projection)


def projects_by_id(user_id, ids, projection=None):
    """{id: project} for the caller's projects among ``ids`` (one query)."""
    ids = [i for i in set(ids) if i is not None]
    if not ids:
        return {}
    return {
        doc["_id"]: doc for doc in collection(COLLECTION).find({"user_id": user_id, "_id": {"$in": ids}}, projection)
    }
