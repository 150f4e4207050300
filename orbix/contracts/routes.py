"""/api/contracts"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("contracts", __name__, url_prefix="/api/contracts", description="Contracts")
