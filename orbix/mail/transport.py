"""SMTP delivery from ``SMTP_URL``.

``smtps://user:pass@host:465`` connects over TLS; ``smtp://user:pass@host:587`` upgrades
with STARTTLS and refuses to go on without it, except to a loopback host (the development
sink, a local relay) where STARTTLS is used only if offered. User and password are
percent-decoded. Certificates are verified against the system's CAs.
"""

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class MailConfigError(ValueError):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None

    @property
    def loopback(self):
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


def _connect(settings, timeout):
    context = ssl.create_default_context()
    if settings.scheme == "smtps":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
    connection = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    connection.ehlo()
    if connection.has_extn("starttls"):
        connection.starttls(context=context)
        connection.ehlo()
    elif not settings.loopback:
        connection.close()
        raise smtplib.SMTPNotSupportedError(f"{settings.host} does not offer STARTTLS; refusing to send in clear")
    return connection


def send(url, message, timeout=30):
    """Deliver ``message`` (an EmailMessage) to every To and Cc recipient; raises on any refusal."""
    settings = parse_url(url)
    with _connect(settings, timeout) as connection:
        if settings.username:
            connection.login(settings.username, settings.password or "")
        refused = connection.send_message(message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)
