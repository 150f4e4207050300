"""/api/public/contracts: the signing page a client opens from the emailed link (no auth)."""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("public_contracts", __name__, url_prefix="/api/public/contracts", description="Contract signing (public)")
