"""Payment reminders and the thank-you e-mail.

Owns ``reminder_claims``: one document per (invoice, step) that was handled, ``_id``
``"<invoice_id>:<offset>"`` for a reminder step (days from the due date, negative before it)
and ``"<invoice_id>:thanks"`` for the thank-you, with ``state`` ``claimed`` (being sent),
``sent``, ``skipped`` (a later step was due, or the account does not send it) or
``cancelled`` (the invoice was paid or voided before the mail worker got to it). The unique
``_id`` is what makes each step go out once across retries and workers.

A package of its own rather than part of ``invoices``: it is a client of invoices (it reads
them through ``invoices.service``, writes nothing on them), of accounts (the schedule lives in
the user's settings) and of mail, with its own periodic task and templates. Invoices call
``reminders.claims.sent_for`` to show ``reminders_sent``.
"""

REMINDER_CLAIMS = "reminder_claims"
