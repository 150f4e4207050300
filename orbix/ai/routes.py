"""/api/ai"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("ai", __name__, url_prefix="/api/ai", description="AI writing assistant and resume optimizer")
