"""E-mail: composing (templates, headers), SMTP delivery, and the message log.

Owns ``messages``: one record per e-mail Orbix sends for a user (to whom, subject, bodies,
what to attach, ``queued|sent|failed``, attempts, error). Others call ``mail.messages.queue``
to send and ``mail.messages.list_for_invoice`` to show the log; sending happens only in the
``mail.send`` job.
"""

MESSAGES = "messages"
