"""``DocumentStyle``: the wording (language, locale), accent colour and logo of one document.

The logo is the user's ``logo_file_id`` setting, an image they uploaded with purpose ``logo``
(JPEG or PNG, type sniffed from its bytes). It is decoded here once, with a pixel limit, so a
crafted or broken image never fails a PDF: a logo that does not decode is left out and logged.
"""

import io
import logging
from dataclasses import dataclass, field

from PIL import Image

from ..auth.service import settings_view
from ..files.service import find_image, image_bytes
from ..locale import Wording, wording_for

log = logging.getLogger(__name__)

DEFAULT_ACCENT = "#1F3A5F"  # a quiet navy: headings and rules of a document without a chosen colour
# A logo is printed a few centimetres wide: more pixels than this are not a logo (and
# would cost memory to decode in every PDF).
MAX_LOGO_PIXELS = 16_000_000


def accent_rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def decoded_logo(data):
    """A PIL image of the logo's bytes, or None when they do not decode within the limits."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_LOGO_PIXELS:
            raise ValueError(f"{image.width}x{image.height} pixels")
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, Image.DecompressionBombError) as exc:
        # What Pillow's decoders raise for broken or hostile bytes (SyntaxError from some parsers).
        log.warning("logo left out of a document: %r", exc)
        return None
    return image


@dataclass(frozen=True)
class DocumentStyle:
    """What a document looks like and speaks: ``wording`` (``t``, ``money``, ``date``), the
    accent colour (#RRGGBB) and the logo (a PIL image, or None)."""

    wording: Wording = field(default_factory=Wording)
    accent: str = DEFAULT_ACCENT
    logo: Image.Image | None = None

    @property
    def rgb(self):
        return accent_rgb(self.accent)


def logo_of(user):
    """(content type, bytes) of the user's logo, or None."""
    file_id = settings_view(user).get("logo_file_id")
    return image_bytes(user["_id"], file_id) if file_id else None


def has_logo(user):
    """Whether the user has a logo to show (without reading its bytes)."""
    file_id = settings_view(user).get("logo_file_id")
    return bool(file_id) and find_image(user["_id"], file_id) is not None


def style_for(user, party=None, with_logo=True):
    """The style of a document from ``user`` to ``party`` (a client's details: its ``language``
    and ``locale`` choices, frozen on sent invoices)."""
    settings = settings_view(user)
    logo = logo_of(user) if with_logo else None
    return DocumentStyle(
        wording=wording_for(party, settings),
        accent=settings.get("accent_color") or DEFAULT_ACCENT,
        logo=decoded_logo(logo[1]) if logo else None,
    )
