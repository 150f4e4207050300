"""What a reminder and a thank-you say: subject and template context per situation."""

from . import schedule

REMINDER, THANK_YOU = "reminder", "thank_you"


def reminder(invoice, today):
    """(subject, context) of the reminder for ``invoice`` on ``today`` (the user's local date)."""
    due = invoice["due_date"].date()
    number = invoice["invoice_number"]
    situation, days = schedule.situation(due, today)
    if situation == schedule.UPCOMING:
        subject = f"Reminder: invoice {number} is due on {due.isoformat()}"
    elif situation == schedule.DUE_TODAY:
        subject = f"Reminder: invoice {number} is due today ({due.isoformat()})"
    else:
        subject = f"Reminder: invoice {number} was due on {due.isoformat()}"
    return subject, {"situation": situation, "days": days}


def thank_you(invoice):
    return f"Thank you for your payment of invoice {invoice['invoice_number']}", {}
