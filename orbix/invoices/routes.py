"""/api/invoices"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("invoices", __name__, url_prefix="/api/invoices", description="Invoices")
