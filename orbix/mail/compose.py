"""Build an RFC 5322 message safely: ``email.message.EmailMessage`` with
``email.headerregistry.Address`` for every address, and no CR or LF in any header value
(a header-injection attempt is refused, never folded into a second header)."""

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

LINE_BREAKS = ("\r", "\n")
HEADER_LINE_LIMIT = 998


class HeaderInjection(ValueError):
    """A header value carried a line break."""


def check_header(value, name="header"):
    if any(ch in value for ch in LINE_BREAKS):
        raise HeaderInjection(f"{name} may not contain line breaks")
    return value


def display_name(text):
    """A stored name (a business name) as a display name: line breaks become spaces."""
    return " ".join((text or "").split())


def address(addr_spec, name=""):
    """An ``Address`` from ``user@domain`` (ValueError when it is not one)."""
    check_header(addr_spec, "address")
    check_header(name, "display name")
    if addr_spec.count("@") != 1:
        raise ValueError(f"not an e-mail address: {addr_spec!r}")
    return Address(display_name=name, addr_spec=addr_spec)


def parse_mailbox(text):
    """``"Name <user@domain>"`` or ``user@domain`` -> (name, addr_spec)."""
    check_header(text, "address")
    name, addr_spec = parseaddr(text)
    if not addr_spec or addr_spec.count("@") != 1:
        raise ValueError(f"not an e-mail address: {text!r}")
    return name, addr_spec


def mailbox_text(name, addr_spec):
    return formataddr((name, addr_spec))


def build(*, sender, to, subject, text, html=None, cc=(), reply_to=None, message_id=None, attachments=()):
    """The message to hand to SMTP. ``sender`` and ``reply_to`` are (name, addr_spec); ``to``
    and ``cc`` addr_specs; ``attachments`` (filename, mimetype, bytes)."""
    message = EmailMessage()
    message["From"] = address(sender[1], sender[0])
    message["To"] = [address(a) for a in to]
    if cc:
        message["Cc"] = [address(a) for a in cc]
    if reply_to:
        message["Reply-To"] = address(reply_to[1], reply_to[0])
    message["Subject"] = check_header(subject, "subject")
    if message_id:
        message["Message-ID"] = check_header(message_id, "message id")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, mimetype, data in attachments:
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=check_header(filename, "filename"))
    # Fold headers only past RFC 5322's 998 characters (the bodies are encoded already): folding
    # at 78 puts a space on both sides of the fold before an encoded word, so a translated subject
    # ("... am 9. Dezember 2026 fällig") arrived with two spaces. Subjects are at most 200 characters.
    message.policy = message.policy.clone(max_line_length=HEADER_LINE_LIMIT)
    return message
