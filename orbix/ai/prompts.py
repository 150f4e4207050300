"""Chat messages for each writing task. Kept apart from the HTTP code so prompts can be
tuned without touching the provider or the routes."""

TASKS = ("write", "improve", "summarize", "rewrite", "grammar", "cover_letter", "proposal", "bio")
TONES = ("professional", "casual", "friendly", "formal")
# Tasks that transform the user's text, so the text itself is required.
TRANSFORMS = ("improve", "summarize", "rewrite", "grammar")

SYSTEM = (
    "You are Orbix, a writing assistant for freelancers. Answer with the requested text only: "
    "no preamble, no explanations, no markdown code fences. Never invent facts, numbers or "
    "credentials that are not in the user's material."
)

INSTRUCTIONS = {
    "write": "Write the text described below.",
    "improve": "Improve the text below: clearer, more concise and more persuasive, keeping its meaning.",
    "summarize": "Summarise the text below in a few sentences.",
    "rewrite": "Rewrite the text below in different words, keeping its meaning.",
    "grammar": "Correct the grammar, spelling and punctuation of the text below. Change nothing else.",
    "cover_letter": "Write a cover letter for the job described below, based on the applicant's details.",
    "proposal": "Write a project proposal for the client described below: scope, approach, timeline and next steps.",
    "bio": "Write a short professional bio (third person, under 120 words) from the details below.",
}

CONTEXT_LABELS = {
    "name": "Name",
    "role": "Role or job title",
    "company": "Company or client",
    "recipient": "Recipient",
    "audience": "Audience",
    "skills": "Skills",
    "details": "Other details",
}

OPTIMIZE_SYSTEM = (
    "You are an expert resume reviewer. Given a resume and a job description, reply with at most "
    "five concrete, actionable suggestions, one per line, each starting with '- '. No other text."
)


def writing_messages(task, tone, text, context=None):
    lines = [INSTRUCTIONS[task], f"Tone: {tone}."]
    for key, label in CONTEXT_LABELS.items():
        value = (context or {}).get(key)
        if value:
            lines.append(f"{label}: {value}")
    if text:
        lines += ["", "Text:" if task in TRANSFORMS else "Details:", text]
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n".join(lines)}]


def optimize_messages(resume_text, job_description):
    user = f"Job description:\n{job_description or '(none given)'}\n\nResume:\n{resume_text}"
    return [{"role": "system", "content": OPTIMIZE_SYSTEM}, {"role": "user", "content": user}]


def suggestion_lines(content, limit=5):
    """The bullet lines of a suggestions reply, cleaned of list markers."""
    lines = [line.strip().lstrip("-*•0123456789.) ").strip() for line in content.splitlines()]
    return [line for line in lines if line][:limit]
