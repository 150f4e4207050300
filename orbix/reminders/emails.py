"""What a reminder and a thank-you say: subject and template context per situation, in the
client's language (``wording``: ``locale.Wording``)."""

from . import schedule

REMINDER, THANK_YOU = "reminder", "thank_you"
SUBJECTS = {
    schedule.UPCOMING: "subject_reminder_upcoming",
    schedule.DUE_TODAY: "subject_reminder_today",
}


def reminder(invoice, today, wording):
    """(subject, context) of the reminder for ``invoice`` on ``today`` (the user's local date)."""
    due = invoice["due_date"].date()
    situation, days = schedule.situation(due, today)
    key = SUBJECTS.get(situation, "subject_reminder_overdue")
    subject = wording.t(key, number=invoice["invoice_number"], date=wording.date(due))
    return subject, {"situation": situation, "days": days}


def thank_you(invoice, wording):
    return wording.t("subject_thank_you", number=invoice["invoice_number"]), {}
