"""Projects.

Owns the ``projects`` collection: other packages read projects through ``projects.store``."""

PROJECTS = "projects"
