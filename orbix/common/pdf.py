"""PDF documents with fpdf2 and the bundled DejaVu fonts.

fpdf2 is pure Python (no system libraries such as Cairo or wkhtmltopdf), maintained,
and embeds TrueType subsets, so accents, the euro sign and non-Latin names render
identically on every machine. Fonts ship in ``orbix/fonts`` (DejaVu licence there).
"""

import logging
import re
import unicodedata
from pathlib import Path

from fpdf import FPDF

from .exceptions import Invalid

# fontTools (used by fpdf2) logs every font subsetting step at INFO: dozens of lines per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
# Characters of text one PDF may print: fpdf2 breaks lines at roughly 20,000 characters a
# second here, so this is ~10 s of a worker thread (a 14 MB contract took 630 s, and
# gunicorn never times out a gthread request). Longer text is refused before rendering.
MAX_TEXT = 200_000
SANS = "DejaVu"
SERIF = "DejaVuSerif"

_FONT_FILES = {
    (SANS, ""): "DejaVuSans.ttf",
    (SANS, "B"): "DejaVuSans-Bold.ttf",
    (SANS, "I"): "DejaVuSans-Oblique.ttf",
    (SANS, "BI"): "DejaVuSans-BoldOblique.ttf",
    (SERIF, ""): "DejaVuSerif.ttf",
    (SERIF, "B"): "DejaVuSerif-Bold.ttf",
    (SERIF, "I"): "DejaVuSerif-Italic.ttf",
    (SERIF, "BI"): "DejaVuSerif-Bold.ttf",
}


# Characters with no glyph width: format characters (zero-width space and joiners, bidi
# controls, soft hyphen), controls, unassigned code points, private use and surrogates.
_INVISIBLE = frozenset(("Cf", "Cc", "Cn", "Co", "Cs"))
_MARKS = frozenset(("Mn", "Me"))
MAX_MARKS_PER_CHARACTER = 3
_ASCII_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def printable(text):
    """``text`` as a PDF shows it: NFC, without invisible characters, and with at most
    three combining marks on one character (what real scripts need; "Zalgo" text has more).

    fpdf2 breaks lines by measuring the growing line, so a long run of zero-width
    characters, which never fills a line, costs quadratic time: 5,000 zero-width spaces
    took about 7 s per paragraph and one such resume several minutes, past gunicorn's
    worker timeout. Dropping what has no width keeps every line finite and rendering
    linear. Line breaks are kept (tabs become spaces)."""
    if text.isascii():
        return _ASCII_CONTROLS.sub(lambda m: " " if m.group() == "\t" else "", text)
    kept = []
    marks = 0
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if ch == "\n":
            marks = 0
        elif ch == "\t":
            ch, marks = " ", 0
        elif category in _INVISIBLE:
            continue
        elif category in _MARKS:
            marks += 1
            if marks > MAX_MARKS_PER_CHARACTER:
                continue
        else:
            marks = 0
        kept.append(ch)
    return "".join(kept)


def refuse_long_text(length, what, limit=MAX_TEXT):
    """A 422 naming ``limit`` when ``length`` characters are too many to print."""
    if length > limit:
        raise Invalid(f"{what} is {length} characters; at most {limit} can be rendered as a PDF.")


class Document(FPDF):
    """An A4 FPDF with the Unicode fonts registered and a page-number footer."""

    footer_text = None

    def __init__(self, title="", author="Orbix", orientation="P", unit="mm", page_format="A4"):
        super().__init__(orientation=orientation, unit=unit, format=page_format)
        for (family, style), filename in _FONT_FILES.items():
            self.add_font(family, style, str(FONT_DIR / filename))
        self.set_title(title)
        self.set_author(author)
        self.set_creator("Orbix")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_font(SANS, size=10)

    def normalize_text(self, text):
        """fpdf2 passes every string it measures or draws through here."""
        return super().normalize_text(printable(text))

    def footer(self):
        self.set_y(-12)
        self.set_font(SANS, size=8)
        self.set_text_color(120, 120, 120)
        text = f"{self.footer_text}  ·  " if self.footer_text else ""
        self.cell(0, 6, f"{text}Page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    def watermark(self, text, rgb=(235, 80, 80)):
        """A large diagonal word across the current page (DRAFT, VOID)."""
        with self.local_context(text_color=rgb, fill_opacity=0.18, stroke_opacity=0.18):
            self.set_font(SANS, "B", 90)
            with self.rotation(35, self.w / 2, self.h / 2):
                self.text(self.w / 2 - self.get_string_width(text) / 2, self.h / 2 + 12, text)
        self.set_font(SANS, size=10)

    def to_bytes(self):
        return bytes(self.output())
