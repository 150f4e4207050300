"""The projects collection's queries that other packages use (time tracking, invoicing,
contracts). It imports no other resource, so any of them may import it."""

from ..common.ownership import owned_by_id, require_owned_reference
from ..common.references import still_referable
from . import PROJECTS

COLLECTION = PROJECTS


def require_project(user_id, project_id, field="project_id", projection=None):
    """The caller's project named by a body field; 422 naming the field otherwise (None stays None)."""
    return require_owned_reference(COLLECTION, project_id, user_id, field, "project", projection)


def projects_by_id(user_id, ids, projection=None):
    """{id: project} for the caller's projects among ``ids`` (one query)."""
    return owned_by_id(COLLECTION, user_id, ids, projection)


def project_stands(project_id):
    """Whether a project just referenced still stands (not deleted or being deleted)."""
    return project_id is None or still_referable(COLLECTION, project_id)
