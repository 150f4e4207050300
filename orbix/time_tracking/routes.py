"""/api/time-tracking"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("time_tracking", __name__, url_prefix="/api/time-tracking", description="Time tracking")
