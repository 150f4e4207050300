"""What a file is, judged from its first bytes (magic numbers), never from the name or the
Content-Type a client sends; and the name it is stored under, which always ends in an
extension of that type (so a saved download opens as what it is)."""

import ntpath
import posixpath
import unicodedata
from typing import NamedTuple

MAX_NAME_LENGTH = 200
HEAD_BYTES = 8  # the longest signature (PNG's)


class Kind(NamedTuple):
    content_type: str
    label: str
    signature: bytes
    extensions: tuple


JPEG = Kind("image/jpeg", "JPEG", b"\xff\xd8\xff", (".jpg", ".jpeg", ".jpe"))
PNG = Kind("image/png", "PNG", b"\x89PNG\r\n\x1a\n", (".png",))
PDF = Kind("application/pdf", "PDF", b"%PDF-", (".pdf",))
KINDS = (JPEG, PNG, PDF)
KNOWN_EXTENSIONS = {extension: kind for kind in KINDS for extension in kind.extensions}


class NameMismatch(ValueError):
    """The name claims another accepted type than the content has (a PNG named .pdf)."""


def sniff(head):
    """The Kind whose signature ``head`` (the file's first bytes) starts with, else None."""
    for kind in KINDS:
        if head.startswith(kind.signature):
            return kind
    return None


def _plain(name):
    """The last path component, without control characters or surrounding space."""
    name = posixpath.basename(ntpath.basename(name or ""))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name.strip().strip(".")


def stored_name(name, kind, default="file"):
    """The name to keep for a file of ``kind``: ``name`` if it ends in one of the kind's
    extensions; with the kind's extension added when it has another (or none); NameMismatch
    when it names another accepted type."""
    name = _plain(name) or default
    stem, extension = posixpath.splitext(name)
    if extension.lower() in kind.extensions:
        return stem[: MAX_NAME_LENGTH - len(extension)] + extension
    if extension.lower() in KNOWN_EXTENSIONS:
        claimed = KNOWN_EXTENSIONS[extension.lower()].label
        raise NameMismatch(f"The content is {kind.label} but the name ends in {extension} ({claimed}).")
    suffix = kind.extensions[0]
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix
