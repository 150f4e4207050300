"""Issue and due dates: ``due_date`` from the body, else from payment terms."""

import re
from datetime import timedelta

from ..common.exceptions import unprocessable

NET_DAYS = re.compile(r"^net\s*(\d{1,3})(\s*days?)?$", re.IGNORECASE)
STANDARD_TERMS = ("Due on receipt", "Net 15", "Net 30", "Net 60")


def days_for(terms):
    """Days to pay for ``Due on receipt`` / ``Net N``; None for free-text terms."""
    text = (terms or "").strip()
    if text.lower() in ("due on receipt", "on receipt", "immediate"):
        return 0
    match = NET_DAYS.match(text)
    return int(match.group(1)) if match else None


def resolve_due_date(issue_date, due_date, terms):
    """The due date (a ``date``): explicit, or issue date + the terms' days; never before issue."""
    if due_date is None:
        days = days_for(terms)
        if days is None:
            unprocessable("due_date", f"Give a due date, or payment_terms such as {', '.join(STANDARD_TERMS)}.")
        try:
            due_date = issue_date + timedelta(days=days)
        except OverflowError:
            unprocessable(
                "due_date", f"The issue date plus {days} days of payment terms falls after 9999-12-31; give a due date."
            )
    if due_date < issue_date:
        unprocessable("due_date", "Must not be before the issue date.")
    return due_date
