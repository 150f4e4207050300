"""The writing assistant and the resume optimizer: provider calls, usage records and
the mapping of provider failures to HTTP errors (502/503/504 in the common shape)."""

import logging
import time

from flask import current_app

from ..common.exceptions import Invalid
from . import optimizer, prompts, usage
from .provider import ProviderError, is_configured, provider_from_config
from .schemas import MAX_INPUT

log = logging.getLogger(__name__)


def _call(user_id, task, messages, chars_in, max_tokens=1024):
    """One provider call with its usage record; raises ProviderError on failure."""
    provider = provider_from_config(current_app.config)
    started = time.monotonic()
    try:
        completion = provider.complete(messages, max_tokens=max_tokens)
    except ProviderError as exc:
        usage.record(user_id, task, chars_in, 0, (time.monotonic() - started) * 1000,
                     model=provider.model, error_code=exc.status)
        raise
    usage.record(user_id, task, chars_in, len(completion.content), (time.monotonic() - started) * 1000, completion)
    return completion


def generate(user_id, data):
    """Writing assistant: {task, tone, input, context} -> {content, model}."""
    text = data.get("input") or ""
    context = data.get("context") or {}
    chars_in = len(text) + sum(len(v) for v in context.values() if v)
    messages = prompts.writing_messages(data["task"], data["tone"], text, context)
    completion = _call(user_id, data["task"], messages, chars_in, max_tokens=1500)  # ProviderError: 502-504
    return {"content": completion.content, "model": completion.model}


def optimize(user_id, resume_text, job_description=""):
    """Deterministic analysis, plus the provider's suggestions when one is configured.

    The score always comes from the deterministic analysis; a failing provider only
    costs its extra suggestions (``ai.status`` says so), never the whole answer.
    """
    if len(resume_text) > MAX_INPUT:  # a stored resume's text (pasted text is checked by the schema)
        raise Invalid(f"The resume's text is {len(resume_text)} characters; the optimizer reads at most {MAX_INPUT}.")
    started = time.monotonic()
    result = optimizer.analyse(resume_text, job_description or "")
    chars_in = len(resume_text) + len(job_description or "")
    if not is_configured(current_app.config):
        usage.record(user_id, "optimize", chars_in, 0, (time.monotonic() - started) * 1000)
        result["ai"] = {
            "status": "not_configured",
            "message": "Deterministic analysis only (no AI provider configured)",
        }
        return result
    try:
        completion = _call(user_id, "optimize", prompts.optimize_messages(resume_text, job_description), chars_in, 600)
    except ProviderError as exc:
        log.info("optimizer: AI suggestions unavailable (%s)", exc.message)
        result["ai"] = {"status": "unavailable", "message": exc.message}
        return result
    extra = [s for s in prompts.suggestion_lines(completion.content) if s not in result["suggestions"]]
    result["suggestions"] += [f"AI: {s}" for s in extra]
    result["ai"] = {
        "status": "used",
        "message": f"{len(extra)} suggestion(s) added by the AI provider",
        "model": completion.model,
    }
    return result
