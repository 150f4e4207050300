"""AI writing assistant and resume optimizer.

Owns the ``ai_usage`` collection (one record per provider call)."""

AI_USAGE = "ai_usage"
