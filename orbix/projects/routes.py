"""/api/projects"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("projects", __name__, url_prefix="/api/projects", description="Projects")
