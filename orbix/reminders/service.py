"""Sending reminders and thank-yous, each once.

Every e-mail here follows one path (``_deliver``): claim the step (unique ``_id``), then under
the invoice's lock re-read the invoice and check it still wants the e-mail (a payment or a
void may just have landed), queue the message and mark the claim ``sent``. If the invoice no
longer wants it, or the queue is down, the claim is released, so a later run can try again.
The mail job asks once more right before it talks to SMTP (``send_check``): a reminder for an
invoice paid meanwhile is cancelled there.

``run(now)`` is the hourly task: ``now`` is injected (the scheduler passes the hour's start),
so tests drive time by calling it.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from ..auth.service import find_user, settings_view, users_by_id
from ..clients.service import find_client
from ..common.exceptions import DomainError, NotFound, Unavailable
from ..common.timeutil import UTC, local_date, user_zone
from ..invoices import events, lifecycle
from ..invoices import service as invoices
from ..invoices.delivery import queue_email, wording_of
from ..invoices.payments import invoice_lock
from ..mail import messages
from . import claims, emails, schedule

log = logging.getLogger(__name__)

THANKS_CATCH_UP = timedelta(days=3)  # how far back the run looks for thank-yous the queue missed
CANDIDATE_FIELDS = {"user_id": 1, "client_id": 1, "client_snapshot": 1, "due_date": 1, "sent_at": 1}
EMAILED_KINDS = ("invoice", emails.REMINDER)


def recipient(invoice):
    """Where e-mails about an issued invoice go: the client's address now, else the one it was sent with."""
    client = find_client(invoice["user_id"], invoice["client_id"], {"email": 1})
    return (client or {}).get("email") or (invoice.get("client_snapshot") or {}).get("email")


def why_no_reminder(invoice, user):
    """Why no reminder should go out for ``invoice`` now, or None when one may."""
    status = lifecycle.effective_status(invoice)
    if status not in lifecycle.OPEN:
        return f"the invoice is {status}"
    if invoice.get("balance_due", 0) <= 0:
        return "nothing is owed"
    if invoice.get("reminders_enabled") is False:
        return "reminders are off for this invoice"
    if not settings_view(user)["reminders_enabled"]:
        return "reminders are off in the account's settings"
    return None


def why_no_thanks(invoice, user):
    status = lifecycle.effective_status(invoice)
    return None if status == lifecycle.PAID else f"the invoice is no longer paid (it is {status})"


def _deliver(claim_id, user, invoice_id, why_not, compose):
    """Under the invoice's lock: re-check ``why_not``, queue ``compose(invoice, wording)``
    (keyword arguments of ``queue_email``; ``wording``: the client's language) and mark the
    claim sent. The message, or None (claim released)."""
    message = None
    try:
        with invoice_lock(invoice_id):
            invoice = invoices.find_invoice(user["_id"], invoice_id)
            reason = why_not(invoice, user)
            if reason:
                log.info("%s not sent: %s", claim_id, reason)
                return None
            view = invoices.present(invoice, user)
            message = queue_email(user, invoice, view, ref=claim_id, **compose(invoice, wording_of(user, view)))
            claims.mark(claim_id, claims.SENT, sent_at=message["queued_at"], message_id=message["_id"])
    finally:
        if message is None:  # not wanted, or the lock, the read or the queue failed: a later run may retry
            claims.release(claim_id)
    return message


def remind(user, invoice, due, today):
    """Send the reminder ``due`` (a ``schedule.DueStep``) for ``invoice`` unless handled already."""
    to = recipient(invoice)
    if not to:
        return None
    claim_id = schedule.claim_id(invoice["_id"], due.step)
    if not claims.claim(claim_id, invoice, due.step):
        return None
    for step in due.missed:
        claims.record_skipped(schedule.claim_id(invoice["_id"], step), invoice, step, "a later step was due")

    def compose(fresh, wording):
        subject, context = emails.reminder(fresh, today, wording)
        return {"kind": emails.REMINDER, "to": [to], "subject": subject, "template": "reminder", "context": context}

    return _deliver(claim_id, user, invoice["_id"], why_no_reminder, compose)


def _emailed(invoice):
    """Whether Orbix has e-mailed the client about this invoice (the invoice or a reminder)."""
    return any(m["kind"] in EMAILED_KINDS and m["status"] in (messages.QUEUED, messages.SENT)
               for m in messages.list_for_invoice(invoice["user_id"], invoice["_id"]))


def _thanks_declined(user, invoice, to):
    if not settings_view(user)["thank_you_enabled"]:
        return "thank-yous are off in the account's settings"
    if not to:
        return "the client has no e-mail address"
    if not _emailed(invoice):
        return "the client was never e-mailed about this invoice"
    return None


def thank(user, invoice):
    """The thank-you for a paid invoice, once (skipped for good when the account does not send one)."""
    claim_id = schedule.claim_id(invoice["_id"], schedule.THANKS)
    to = recipient(invoice)
    reason = _thanks_declined(user, invoice, to)
    if reason:
        claims.record_skipped(claim_id, invoice, schedule.THANKS, reason)
        return None
    if not claims.claim(claim_id, invoice, schedule.THANKS):
        return None

    def compose(fresh, wording):
        subject, context = emails.thank_you(fresh, wording)
        return {"kind": emails.THANK_YOU, "to": [to], "subject": subject, "template": "thank_you",
                "context": context, "attach_pdf": False}

    return _deliver(claim_id, user, invoice["_id"], why_no_thanks, compose)


@events.on_paid
def thank_after_payment(user, invoice):
    """Right after the payment that settled ``invoice``; a queue outage leaves it to the run."""
    try:
        thank(user, invoice)
    except Unavailable as exc:
        log.warning("thank-you for invoice %s left to the next reminder run: %s", invoice["_id"], exc.message)


def _checked(what, send, *args):
    """One send of a run: an outage stops the run (its job is retried); any other refusal (a
    lock held too long, an invoice gone) skips this one. Whether a message was queued."""
    try:
        return send(*args) is not None
    except Unavailable:
        raise
    except DomainError as exc:
        log.warning("%s skipped this run: %s", what, exc.message)
        return False


def _due_reminders(now):
    """(user, invoice, DueStep, local today) for open invoices whose latest due step is unclaimed."""
    first, last = schedule.window(now.astimezone(UTC).date())
    by_user = defaultdict(list)
    for invoice in invoices.remindable(first, last, CANDIDATE_FIELDS):
        by_user[invoice["user_id"]].append(invoice)
    due = []
    for user_id, user in users_by_id(by_user).items():
        settings = settings_view(user)
        if not settings["reminders_enabled"]:
            continue
        zone = user_zone(user)
        today = local_date(now, zone)
        for invoice in by_user[user_id]:
            sent_on = local_date(invoice["sent_at"], zone) if invoice.get("sent_at") else None
            step = schedule.due_step(settings["reminder_schedule"], invoice["due_date"].date(), today, sent_on)
            if step:
                due.append((user, invoice, step, today))
    handled = claims.existing(schedule.claim_id(invoice["_id"], step.step) for _u, invoice, step, _t in due)
    return [entry for entry in due if schedule.claim_id(entry[1]["_id"], entry[2].step) not in handled]


def _missed_thanks(now):
    """(user, invoice) for invoices paid lately whose thank-you was never handled."""
    paid = list(invoices.paid_since(now - THANKS_CATCH_UP, CANDIDATE_FIELDS))
    handled = claims.existing(schedule.claim_id(invoice["_id"], schedule.THANKS) for invoice in paid)
    paid = [invoice for invoice in paid if schedule.claim_id(invoice["_id"], schedule.THANKS) not in handled]
    users = users_by_id({invoice["user_id"] for invoice in paid})
    return [(users[invoice["user_id"]], invoice) for invoice in paid if invoice["user_id"] in users]


def _resolve_stale():
    """Claims a crashed process left ``claimed``: sent if its message exists, else released."""
    for claim in claims.stale():
        found = messages.list_for_invoice(claim["user_id"], claim["invoice_id"])
        sent = [message for message in found if message.get("ref") == claim["_id"]]
        if sent:
            claims.mark(claim["_id"], claims.SENT, sent_at=sent[0]["queued_at"], message_id=sent[0]["_id"])
        else:
            claims.release(claim["_id"])


def run(now):
    """The reminder run as of ``now``: each open invoice's latest due step, and the thank-yous
    whose queueing failed when the payment was recorded. Returns what it queued."""
    if not messages.configured():
        log.warning("reminders not sent: e-mail is not configured (SMTP_URL, MAIL_FROM)")
        return {"reminders": 0, "thanks": 0}
    _resolve_stale()
    reminders = sum(_checked(f"reminder {invoice['_id']}:{step.step}", remind, user, invoice, step, today)
                    for user, invoice, step, today in _due_reminders(now))
    thanks = sum(_checked(f"thank-you {invoice['_id']}", thank, user, invoice) for user, invoice in _missed_thanks(now))
    return {"reminders": reminders, "thanks": thanks}


def _cancel_unless_wanted(record, why_not):
    """A queued reminder or thank-you no longer wanted: the reason (its claim reads cancelled)."""
    user = find_user(record["user_id"])
    try:
        invoice = invoices.find_invoice(record["user_id"], record["invoice_id"])
    except NotFound:
        invoice = None
    reason = "the invoice was deleted" if user is None or invoice is None else why_not(invoice, user)
    if reason and record.get("ref"):
        claims.mark(record["ref"], claims.CANCELLED, reason=reason)
    return reason


@messages.send_check(emails.REMINDER)
def _reminder_still_wanted(record):
    return _cancel_unless_wanted(record, why_no_reminder)


@messages.send_check(emails.THANK_YOU)
def _thanks_still_wanted(record):
    return _cancel_unless_wanted(record, why_no_thanks)
