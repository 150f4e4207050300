"""Orbix: a self-hostable REST API that runs a freelance business end to end."""

__version__ = "1.0.0"
