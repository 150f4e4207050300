"""PDF documents with fpdf2: the bundled DejaVu fonts, and Noto fonts from the system for
the scripts DejaVu lacks.

fpdf2 is pure Python (no system libraries such as Cairo or wkhtmltopdf), maintained,
and embeds TrueType subsets, so accents, the euro sign, Greek and Cyrillic render
identically on every machine from the DejaVu fonts in ``orbix/fonts`` (licence there).
Japanese, Chinese, Korean, Arabic, Hebrew, Devanagari, Thai, symbols and emoji come from
Debian's Noto packages (``make fonts``, the Dockerfile), found in ``PDF_FONT_DIRS``; a
missing one is logged at start-up and its characters are left out rather than failing.
"""

import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fpdf
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import OutputIntentSubType, TextEmphasis
from fpdf.output import PDFICCProfile

from ..config import DEFAULT_FONT_DIRS
from .exceptions import Invalid

log = logging.getLogger(__name__)
# fontTools (used by fpdf2) logs every font subsetting step at INFO: dozens of lines per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
# The sRGB profile fpdf2 ships: PDF/A wants the colour space of DeviceRGB drawing declared.
SRGB_PROFILE = Path(fpdf.__file__).parent / "data" / "color_profiles" / "sRGB2014.icc"
# Characters of text one PDF may print: fpdf2 breaks lines at roughly 20,000 characters a
# second here, so this is ~10 s of a worker thread (a 14 MB contract took 630 s, and
# gunicorn never times out a gthread request). Longer text is refused before rendering.
MAX_TEXT = 200_000
SANS = "DejaVu"
SERIF = "DejaVuSerif"
# Where Debian (and most Linux distributions) install fonts; searched recursively.

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


@dataclass(frozen=True)
class Fallback:
    """A Noto family drawn for the characters DejaVu has no glyph for."""

    family: str
    text: str  # what it draws, for the warning when it is missing
    package: str  # the Debian package that ships it
    regular: tuple  # file names, tried in order
    bold: tuple = ()
    face: str = ""  # in a collection (.ttc), the face whose name contains this


_CJK = {"package": "fonts-noto-cjk", "regular": ("NotoSansCJK-Regular.ttc",), "bold": ("NotoSansCJK-Bold.ttc",)}
_CORE = "fonts-noto-core"
# In the order they are tried: the first with a glyph for a character draws it.
FALLBACKS = (
    Fallback("NotoSansCJKjp", "Japanese", face="CJK JP", **_CJK),
    Fallback("NotoSansCJKsc", "Chinese", face="CJK SC", **_CJK),
    Fallback("NotoSansCJKkr", "Korean", face="CJK KR", **_CJK),
    Fallback("NotoSansArabic", "Arabic", _CORE, ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf"),
             ("NotoSansArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf")),
    Fallback("NotoSansHebrew", "Hebrew", _CORE, ("NotoSansHebrew-Regular.ttf",), ("NotoSansHebrew-Bold.ttf",)),
    Fallback("NotoSansDevanagari", "Devanagari", _CORE, ("NotoSansDevanagari-Regular.ttf",),
             ("NotoSansDevanagari-Bold.ttf",)),
    Fallback("NotoSansThai", "Thai", _CORE, ("NotoSansThai-Regular.ttf",), ("NotoSansThai-Bold.ttf",)),
    Fallback("NotoColorEmoji", "emoji", "fonts-noto-color-emoji", ("NotoColorEmoji.ttf",)),
    Fallback("NotoSansSymbols2", "symbols", _CORE, ("NotoSansSymbols2-Regular.ttf",)),
)
_HAN = {"jp": "NotoSansCJKjp", "sc": "NotoSansCJKsc", "kr": "NotoSansCJKkr"}
# Han characters look different in Japanese, Chinese and Korean (the same code point):
# kana in a string mean Japanese, hangul Korean; a document keeps the last hint it saw.
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Scripts whose letters join, reorder or stack (Arabic, Hebrew and other right-to-left
# scripts, Indic, Thai and Southeast Asian scripts), and emoji sequences (flags, skin tones).
NEEDS_SHAPING = re.compile(
    "[\u0590-\u08ff\u0900-\u0fff\u1000-\u109f\u1780-\u18af\ua8e0-\ua8ff\ufb1d-\ufdff\ufe70-\ufeff"
    "\U00010800-\U00011fff\U0001e800-\U0001efff\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff\u20e3]"
)


@dataclass(frozen=True)
class FoundFont:
    family: str
    regular: Path
    bold: Path | None
    index: int  # face number in a collection, 0 otherwise

    @property
    def coverage(self):
        return _coverage(self.regular, self.index)


@cache
def _coverage(path, index):
    """The code points a font has glyphs for (read once per process)."""
    return frozenset(ttLib.TTFont(path, fontNumber=index, lazy=True).getBestCmap())


@cache
def _face_index(path, face):
    """The number of the face named ``face`` in a collection (.ttc), else 0; reading the
    font's names also proves the file is a font (TTLibError or OSError otherwise)."""
    if path.suffix.lower() != ".ttc":
        ttLib.TTFont(path, lazy=True)["name"]
        return 0
    collection = ttLib.TTCollection(path, lazy=True)
    names = [font["name"].getBestFullName() or "" for font in collection.fonts]
    return next((number for number, name in enumerate(names) if face and face in name), 0)


def _index_files(dirs):
    """File name -> path for every font under ``dirs`` (the first found wins)."""
    files = {}
    for directory in dirs:
        for root, _subdirs, names in os.walk(directory):
            for name in names:
                files.setdefault(name, Path(root) / name)
    return files


class FontLibrary:
    """The fallback fonts found under some directories; what is missing is logged once."""

    def __init__(self, dirs):
        self.dirs = tuple(str(directory) for directory in dirs)
        files = _index_files(self.dirs)
        self.found = {}
        missing = {}
        for fallback in FALLBACKS:
            regular = next((files[name] for name in fallback.regular if name in files), None)
            try:
                index = _face_index(regular, fallback.face) if regular else None
            except (OSError, ttLib.TTLibError) as error:
                log.warning("PDF fonts: cannot read %s (%s)", regular, error)
                index = None
            if index is None:
                missing.setdefault(fallback.package, []).append(fallback.text)
                continue
            bold = next((files[name] for name in fallback.bold if name in files), None)
            self.found[fallback.family] = FoundFont(fallback.family, regular, bold, index)
        for package, texts in missing.items():
            log.warning("PDF fonts: no %s font in %s (Debian package %s); such text is left out of PDFs",
                        " / ".join(texts), os.pathsep.join(self.dirs) or "(no directory)", package)

    def candidates(self, han):
        """Fonts in the order to try, the Han face ``han`` first among Japanese/Chinese/Korean."""
        first = self.found.get(_HAN[han])
        others = [font for font in self.found.values() if font is not first]
        return [first, *others] if first else others


_library = None


def use_font_dirs(dirs):
    """Where PDFs find their fallback fonts (``PDF_FONT_DIRS``; the app factory calls this)."""
    global _library
    _library = FontLibrary(dirs)


def font_library():
    if _library is None:
        use_font_dirs(DEFAULT_FONT_DIRS)
    return _library


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
    linear. Line breaks are kept (tabs become spaces).

    Bidi controls (U+202A-E, U+2066-9) are format characters too, so a name can never
    override the direction of the line it is printed in (U+202E showing "fdp.exe" as
    "exe.pdf"); right-to-left letters are still ordered by the bidi algorithm."""
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
    """An A4 FPDF with the Unicode fonts registered and a page-number footer.

    A character DejaVu lacks is drawn with the first fallback font that has it; that font
    is added to the document when first needed, so a Latin invoice embeds no CJK font."""

    footer_text = None
    page_label = "Page"  # the footer's word, in the document's language

    def __init__(self, title="", author="Orbix", orientation="P", unit="mm", page_format="A4"):
        super().__init__(orientation=orientation, unit=unit, format=page_format)
        self.fallbacks = font_library()
        self._fallback_families = []
        self._han = "sc"
        self.set_title(printable(title))
        self.set_author(printable(author))
        self.set_creator("Orbix")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_font(SANS, size=10)

    def set_font(self, family=None, style="", size=0):
        """Registers a DejaVu face on first use: parsing all eight took a third of the time
        of rendering a one-page invoice, which uses two or three."""
        family = family or self.font_family
        letters = style.style if isinstance(style, TextEmphasis) else style
        emphasis = "".join(sorted(letter for letter in letters.upper() if letter in "BI"))
        filename = next((name for (face, variant), name in _FONT_FILES.items()
                         if face.lower() == family.lower() and variant == emphasis), None)
        if filename and f"{family.lower()}{emphasis}" not in self.fonts:
            self.add_font(family, emphasis, str(FONT_DIR / filename))
        super().set_font(family, style, size)

    def normalize_text(self, text):
        """fpdf2 passes every string it measures or draws through here, right before it
        splits the string into runs of one font: the place to load the fallback fonts the
        string needs and to shape only the scripts that need it (shaping every string made
        a long Latin contract four times slower to render and ten times larger)."""
        text = printable(text)
        if text.isascii():
            if self.text_shaping:
                self.set_text_shaping(False)
        else:
            self._prepare(text)
        self._pin_font()
        return super().normalize_text(text)

    def add_page(self, *args, **kwargs):
        super().add_page(*args, **kwargs)
        self._pin_font()  # a multi_cell goes on drawing lines on the new page

    def _pin_font(self):
        """Set the current font on the page before a line of text is drawn.

        Works around fpdf2 2.8.9: when a line starts with a fallback font and the current
        font is not yet set on the page, fpdf2 sets it inside the line's ``q ... Q``, which
        restores the previous font, yet records it as set, so the next line in the current
        font was drawn with another font's glyph numbers (garbled text)."""
        if self.page and self._fallback_families and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))

    def _prepare(self, text):
        self.set_text_shaping(bool(NEEDS_SHAPING.search(text)))
        if _KANA.search(text):
            self._han = "jp"
        elif _HANGUL.search(text):
            self._han = "kr"
        covered = self.current_font.cmap
        for char in set(text) - {"\n"}:
            if ord(char) not in covered:
                self.get_fallback_font(char, self.font_style)

    def get_fallback_font(self, char, style=""):
        """The font for a character the current font lacks (None: no font has it)."""
        code = ord(char)
        fonts = self.fallbacks.candidates(self._han)
        if not _HAN_CHAR.match(char):  # kana and hangul look the same in every CJK face: reuse one
            fonts = [font for font in fonts if font.family in self._fallback_families] + fonts
        for font in fonts:
            if code in font.coverage:
                return self._use(font, bold="B" in style)
        return None

    def _use(self, font, bold):
        """The fpdf2 key of ``font`` (its bold face when asked and shipped), added on first use."""
        style = "B" if bold and font.bold else ""
        key = font.family.lower() + style
        if key not in self.fonts:
            path = str(font.bold if style else font.regular)
            self.add_font(font.family, style, path, collection_font_number=font.index)
            self._fallback_families.append(font.family)
            self.set_fallback_fonts(self._fallback_families, exact_match=False)
        return key

    def footer(self):
        self.set_y(-12)
        self.set_font(SANS, size=8)
        self.set_text_color(120, 120, 120)
        text = f"{self.footer_text}  ·  " if self.footer_text else ""
        self.cell(0, 6, f"{text}{self.page_label} {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    def logo(self, image, x, y, max_width, max_height):
        """Draw ``image`` (a PIL image) at (x, y) scaled to fit the box, keeping its aspect;
        returns (width, height) drawn."""
        scale = min(max_width / image.width, max_height / image.height)
        width, height = image.width * scale, image.height * scale
        self.image(image, x=x, y=y, w=width, h=height)
        return width, height

    def rule(self, y, rgb, width=0.5):
        """A horizontal line across the text area at ``y`` (under a masthead)."""
        self.set_draw_color(*rgb)
        self.set_line_width(width)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.2)

    def watermark(self, text, rgb=(235, 80, 80)):
        """A large diagonal word across the current page (DRAFT, VOID)."""
        with self.local_context(text_color=rgb, fill_opacity=0.18, stroke_opacity=0.18):
            self.set_font(SANS, "B", 90)
            with self.rotation(35, self.w / 2, self.h / 2):
                self.text(self.w / 2 - self.get_string_width(text) / 2, self.h / 2 + 12, text)
        self.set_font(SANS, size=10)

    def declare_srgb(self):
        """Add the sRGB output intent PDF/A asks for (an archival PDF such as Factur-X)."""
        profile = PDFICCProfile(contents=SRGB_PROFILE.read_bytes(), n=3, alternate="DeviceRGB")
        self.add_output_intent(OutputIntentSubType.PDFA, "sRGB", "IEC 61966-2-1:1999", "http://www.color.org",
                               profile, "sRGB2014 (v2)")

    def to_bytes(self):
        return bytes(self.output())
