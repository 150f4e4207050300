"""/api/dashboard and /api/reports"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("reports", __name__, url_prefix="/api", description="Dashboard and reports")
