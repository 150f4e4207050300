"""A local SMTP server that keeps what it receives (aiosmtpd, a development dependency):
``make run`` sends mail here and writes each message to ``instance/mail/*.eml``; the tests
start one on a free port and read the messages it received.

Recipients whose address starts with ``reject`` are refused (550), so tests can make a
delivery fail for real. Given aiosmtpd's TLS and AUTH options (``ssl_context`` for implicit
TLS, ``tls_context``/``require_starttls``, ``authenticator``) the same sink stands in for a
real relay; ``sessions`` says, per message received, who logged in and whether TLS was on.
"""

import email
import email.policy
import threading
from datetime import datetime, timezone
from pathlib import Path

from aiosmtpd.controller import Controller

from .managed import Managed
from .redis_server import free_port

REJECT_PREFIX = "reject"


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith(REJECT_PREFIX):
            return "550 5.1.1 Mailbox unavailable (the development sink refuses reject* addresses)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.login_data.decode() if isinstance(session.login_data, bytes) else session.login_data
        self.sink.keep(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content,
                       session=(login, server.transport.get_extra_info("ssl_object") is not None))
        return "250 Message accepted"


class MailSink(Managed):
    """``with MailSink(directory) as sink:`` ... ``sink.url`` is the SMTP_URL to use.

    ``ssl_context`` makes it an implicit-TLS (``smtps://``) server; ``smtp_options`` go to
    aiosmtpd's ``SMTP`` (``tls_context``, ``require_starttls``, ``authenticator``, ...)."""

    def __init__(self, directory=None, port=None, host="127.0.0.1", ssl_context=None, **smtp_options):
        self.directory = Path(directory) if directory else None
        self.host = host
        self.port = port or free_port()
        self.ssl_context = ssl_context
        self.smtp_options = smtp_options
        self.received = []  # (envelope sender, recipients, EmailMessage)
        self.sessions = []  # per received message: (login or None, whether TLS was on)
        self._lock = threading.Lock()
        self._controller = None

    @property
    def url(self):
        return f"{'smtps' if self.ssl_context else 'smtp'}://{self.host}:{self.port}"

    def clear(self):
        with self._lock:
            self.received.clear()
            self.sessions.clear()

    def keep(self, sender, recipients, data, session=(None, False)):
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            self.received.append((sender, recipients, message))
            self.sessions.append(session)
            count = len(self.received)
        if self.directory:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
            (self.directory / f"{stamp}-{count:04d}.eml").write_bytes(data)

    def start(self):
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                      ssl_context=self.ssl_context, **self.smtp_options)
        self._controller.start()
        return self.url

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None
