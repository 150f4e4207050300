"""/api/resumes"""

from ..common.blueprint import ResourceBlueprint

blp = ResourceBlueprint("resumes", __name__, url_prefix="/api/resumes", description="Resumes")
