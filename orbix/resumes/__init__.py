"""Resumes.

Owns the ``resumes`` collection."""

RESUMES = "resumes"
