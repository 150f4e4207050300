"""Marks the endpoints that may call the AI provider (or run the optimizer).

``orbix.ratelimit.init_rate_limits`` applies the shared per-user ``RATELIMIT_AI`` limit to
every view carrying this mark (one budget across all of them; 429 in the common shape
with ``Retry-After``). Reading usage is not limited by it.
"""


def ai_call_limit(view):
    """Mark ``view`` as an AI call subject to the per-user AI rate limit."""
    view.ai_rate_limited = True
    return view
