"""SMTP delivery from ``SMTP_URL``.

``smtps://user:pass@host:465`` connects over TLS; ``smtp://user:pass@host:587`` upgrades
with STARTTLS and refuses to go on without it, except to a loopback host (the development
sink, a local relay) where STARTTLS is used only if offered. User and password are
percent-decoded. Certificates and host names are always verified: against the system's CAs
and, when ``SMTP_CA_FILE`` names a PEM bundle, its CAs too (a private relay). There is no
switch to skip verification: a certificate that does not verify stops the delivery before
anything is sent.
"""

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class MailConfigError(ValueError):
    pass


class MailTlsError(smtplib.SMTPException):
    """The server's certificate did not verify: nothing was sent."""


@dataclass(frozen=True)
class SmtpSettings:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None

    @property
    def loopback(self):
        """Only to a loopback host may a message go without STARTTLS (when the server offers none)."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_url(url):
    parts = urlsplit(url or "")
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise MailConfigError("SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise MailConfigError("SMTP_URL has an invalid port") from exc
    return SmtpSettings(
        parts.scheme,
        parts.hostname,
        port,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )


def tls_context(ca_file=None):
    """Verifying context (certificate chain and host name): the system's CAs, plus ``ca_file``'s."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def _secure(connection, settings, context):
    """STARTTLS when offered; without it, refuse unless the host is loopback."""
    connection.ehlo()
    if connection.has_extn("starttls"):
        connection.starttls(context=context)
        connection.ehlo()
    elif not settings.loopback:
        raise smtplib.SMTPNotSupportedError(f"{settings.host} does not offer STARTTLS; refusing to send in clear")


def _connect(settings, timeout, context):
    if settings.scheme == "smtps":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
    connection = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        _secure(connection, settings, context)
    except BaseException:
        connection.close()
        raise
    return connection


def send(url, message, timeout=30, ca_file=None):
    """Deliver ``message`` (an EmailMessage) to every To and Cc recipient; raises on any refusal.

    ``ca_file``: a PEM bundle trusted besides the system's CAs (``SMTP_CA_FILE``)."""
    settings = parse_url(url)
    try:
        with _connect(settings, timeout, tls_context(ca_file)) as connection:
            if settings.username:
                connection.login(settings.username, settings.password or "")
            refused = connection.send_message(message)
    except ssl.SSLCertVerificationError as exc:
        reason = str(exc.verify_message or exc).rstrip(".")
        raise MailTlsError(
            f"the TLS certificate of {settings.host}:{settings.port} did not verify ({reason}); "
            "nothing was sent. A private CA can be trusted with SMTP_CA_FILE"
        ) from exc
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)
