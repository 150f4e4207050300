"""Five resume designs drawn with fpdf2 (shared ``Document``: DejaVu fonts, Noto fallbacks).

``ResumePdf`` knows how to draw the parts every design has (a section heading, an
entry with right-aligned dates, bullets, a wrapped line of links); each design
overrides only what makes it look different: fonts, colours, the header, the
heading style and, for ``creative``, a two-column page. Long resumes flow onto
further pages through fpdf2's automatic page breaks.
"""


from fpdf.enums import XPos, YPos

from ..common.pdf import SANS, SERIF, Document

BLACK = (20, 20, 20)
GREY = (95, 95, 95)
WHITE = (255, 255, 255)


class ResumePdf(Document):
    body_font = SANS
    heading_font = SANS
    accent = (37, 99, 235)
    text_rgb = BLACK
    muted_rgb = GREY
    name_size = 24
    margins = (18, 16, 18)

    def __init__(self, view):
        super().__init__(title=f"{view.name} — Resume", author=view.name or "Orbix")
        self.view = view
        self.footer_text = view.name
        left, top, right = self.margins
        self.set_margins(left, top, right)

    # -- building blocks shared by every design ------------------------------------------------

    @property
    def width(self):
        return self.w - self.l_margin - self.r_margin

    def font(self, style="", size=10, family=None, rgb=None):
        self.set_font(family or self.body_font, style, size)
        self.set_text_color(*(rgb or self.text_rgb))

    def paragraph(self, text, size=10, style="", rgb=None, h=5, align="L"):
        self.font(style, size, rgb=rgb)
        self.multi_cell(self.width, h, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def contact_lines(self, contacts, sep):
        """Contacts grouped into lines that fit the width (current font)."""
        lines, current = [], []
        for contact in contacts:
            candidate = current + [contact]
            if current and self._line_width(candidate, sep) > self.width:
                lines.append(current)
                candidate = [contact]
            current = candidate
        return lines + [current] if current else lines

    def links_line(self, contacts, size=9, rgb=None, align="L", sep="  ·  "):
        """Contacts on as few lines as fit, each link clickable."""
        self.font("", size, rgb=rgb or self.muted_rgb)
        h = size * 0.5
        for line in self.contact_lines(contacts, sep):
            start = self.l_margin
            if align == "C":
                start += max(0, (self.width - self._line_width(line, sep)) / 2)
            self.set_x(start)
            for index, contact in enumerate(line):
                if index:
                    self.cell(self.get_string_width(sep), h, sep)
                text = contact.text if self.get_string_width(contact.text) < self.width else contact.text[:60] + "…"
                self.cell(self.get_string_width(text), h, text, link=contact.href or "")
            self.ln(h)

    def _line_width(self, contacts, sep):
        return sum(self.get_string_width(c.text) for c in contacts) + self.get_string_width(sep) * (len(contacts) - 1)

    def entry(self, entry):
        """Title (bold) with dates on the right, a muted subtitle, text, then bullets."""
        self.font("B", 10.5)
        date_w = self.get_string_width(entry.dates) + 2 if entry.dates else 0
        title_w = self.get_string_width(entry.title)
        if entry.dates and title_w + date_w < self.width:
            self.cell(self.width - date_w, 5.5, entry.title, link=entry.href or "")
            self.font("", 9, rgb=self.muted_rgb)
            self.cell(date_w, 5.5, entry.dates, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.multi_cell(self.width, 5.5, entry.title, link=entry.href or "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if entry.dates:
                self.paragraph(entry.dates, size=9, rgb=self.muted_rgb)
        if entry.subtitle:
            self.paragraph(entry.subtitle, size=9.5, style="I", rgb=self.muted_rgb)
        if entry.text:
            self.paragraph(entry.text, size=9.5, h=4.8)
        for bullet in entry.bullets:
            self.bullet(bullet)
        self.ln(2.5)

    def bullet(self, text, mark="•", size=9.5):
        self.font("", size)
        self.set_x(self.l_margin + 2)
        self.cell(4, 4.8, mark)
        self.multi_cell(self.width - 6, 4.8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def items(self, section):
        self.paragraph(", ".join(section.items) if section.key == "skills" else "   ·   ".join(section.items), size=9.5)
        self.ln(2)

    def section(self, section):
        self.heading(section.heading)
        for entry in section.entries:
            self.entry(entry)
        if section.items:
            self.items(section)

    def summary(self):
        if self.view.summary:
            self.heading("Summary")
            self.paragraph(self.view.summary, size=10, h=5)
            self.ln(2)

    # -- what each design overrides -------------------------------------------------------------

    def heading(self, text):
        self.ln(2)
        self.font("B", 11, family=self.heading_font, rgb=self.accent)
        self.cell(self.width, 7, text.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.rule(self.accent, 0.4)
        self.ln(2)

    def rule(self, rgb, thickness=0.3, length=None):
        self.set_draw_color(*rgb)
        self.set_line_width(thickness)
        self.line(self.l_margin, self.get_y(), self.l_margin + (length or self.width), self.get_y())

    def masthead(self):
        self.font("B", self.name_size, family=self.heading_font)
        self.multi_cell(self.width, self.name_size * 0.45, self.view.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.view.headline:
            self.paragraph(self.view.headline, size=12, rgb=self.accent, h=7)
        self.links_line(self.view.contacts)
        self.ln(3)

    def render(self):
        self.add_page()
        self.masthead()
        self.summary()
        for section in self.view.sections:
            self.section(section)
        return self.to_bytes()


class ModernPdf(ResumePdf):
    """Sans serif, blue accent, underlined section headings."""


class ClassicPdf(ResumePdf):
    """Serif throughout, centred name and contacts, black rules: a traditional CV."""

    body_font = heading_font = SERIF
    accent = BLACK
    name_size = 22
    margins = (22, 18, 22)

    def masthead(self):
        self.font("B", self.name_size)
        self.multi_cell(self.width, 10, self.view.name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.view.headline:
            self.paragraph(self.view.headline, size=11, style="I", align="C", h=6)
        self.links_line(self.view.contacts, align="C", sep="  |  ")
        self.ln(2)
        self.rule(BLACK, 0.6)
        self.ln(3)

    def heading(self, text):
        self.ln(2)
        self.font("B", 12)
        self.cell(self.width, 7, text.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.rule(BLACK, 0.2)
        self.ln(2.5)


class MinimalPdf(ResumePdf):
    """Grey and quiet: small spaced-out headings, no rules, wide margins."""

    accent = (110, 110, 110)
    text_rgb = (40, 40, 40)
    name_size = 20
    margins = (26, 24, 26)

    def masthead(self):
        self.font("", self.name_size)
        self.multi_cell(self.width, 9, self.view.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.view.headline:
            self.paragraph(self.view.headline, size=10, rgb=self.accent, h=6)
        self.links_line(self.view.contacts, size=8.5, sep="   ")
        self.ln(5)

    def heading(self, text):
        self.ln(3)
        self.font("", 8.5, rgb=self.accent)
        self.set_char_spacing(1.5)
        self.cell(self.width, 6, text.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_char_spacing(0)
        self.ln(1.5)


class ExecutivePdf(ResumePdf):
    """A dark full-width header band with a gold accent; serif body text."""

    body_font = SERIF
    navy = (22, 34, 58)
    accent = (191, 150, 64)
    band_height = 44

    def masthead(self):
        self.font("", 9)
        contact_rows = len(self.contact_lines(self.view.contacts, "  ·  "))
        band = self.band_height + max(0, contact_rows - 2) * 4.5
        self.set_fill_color(*self.navy)
        self.rect(0, 0, self.w, band, style="F")
        self.set_y(12)
        self.font("B", self.name_size, family=SANS, rgb=WHITE)
        self.cell(self.width, 11, self.view.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.view.headline:
            self.font("", 12, family=SANS, rgb=self.accent)
            self.cell(self.width, 7, self.view.headline, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.links_line(self.view.contacts, rgb=(220, 224, 232))
        self.set_y(max(self.get_y(), band) + 6)

    def heading(self, text):
        self.ln(2)
        self.font("B", 12, family=SANS, rgb=self.navy)
        self.cell(self.width, 7, text.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.rule(self.accent, 0.8, length=30)
        self.ln(3)


class CreativePdf(ResumePdf):
    """Two columns: a coloured sidebar (name, contacts, skills, languages, certifications)
    beside the main column (summary, experience, education, projects).

    The main column is drawn first and flows across pages; the sidebar is then drawn
    from page 1 again, moving to the next existing page (or a new one) when full.
    """

    accent = (13, 148, 136)
    side_width = 66
    side_keys = ("skills", "languages", "certifications")

    def header(self):
        self.set_fill_color(*self.accent)
        self.rect(0, 0, self.side_width, self.h, style="F")

    def _columns(self, side):
        if side:
            self.set_left_margin(9)
            self.set_right_margin(self.w - self.side_width + 8)
        else:
            self.set_left_margin(self.side_width + 9)
            self.set_right_margin(14)

    def render(self):
        side, main = self.view.split(self.side_keys)
        self._columns(side=False)
        self.add_page()
        self.set_y(18)
        if self.view.headline:
            self.font("B", 15, rgb=self.accent)
            self.multi_cell(self.width, 8, self.view.headline, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.summary()
        for section in main:
            self.section(section)
        self.page = 1
        self._columns(side=True)
        self.set_auto_page_break(False, margin=18)
        self.set_y(18)
        self._sidebar(side)
        self.set_auto_page_break(True, margin=18)
        self._columns(side=False)  # the last page's footer is drawn on closing, with these margins
        self.page = self.pages_count  # fpdf2 closes (footer) on the current page: the last
        return self.to_bytes()

    def _room(self, height):
        """Continue the sidebar on the next page when ``height`` does not fit here."""
        if self.get_y() + height <= self.page_break_trigger:
            return
        if self.page < self.pages_count:
            self.page += 1
        else:
            self.add_page()
        self.set_y(self.t_margin)

    def _side_text(self, text, size=9, style="", h=4.6, link=""):
        self.font(style, size, rgb=WHITE)
        lines = self.multi_cell(self.width, h, text, dry_run=True, output="LINES")
        self._room(h * len(lines))
        self.font(style, size, rgb=WHITE)
        self.multi_cell(self.width, h, text, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _sidebar(self, sections):
        self._side_text(self.view.name, size=16, style="B", h=7.5)
        self.ln(4)
        for contact in self.view.contacts:
            self._side_text(contact.label.upper(), size=7, style="B", h=3.8)
            self._side_text(contact.text, link=contact.href or "")
            self.ln(1.5)
        for section in sections:
            self._room(16)
            self.ln(4)
            self._side_text(section.heading.upper(), size=10, style="B", h=6)
            self.set_draw_color(*WHITE)
            self.line(self.l_margin, self.get_y(), self.l_margin + 20, self.get_y())
            self.ln(2)
            for item in section.items:
                self._side_text(item)
            for entry in section.entries:
                self._side_text(entry.title, style="B")
                for extra in (entry.subtitle, entry.dates):
                    if extra:
                        self._side_text(extra, size=8)
                self.ln(1.5)


LAYOUTS = {
    "modern": ModernPdf,
    "classic": ClassicPdf,
    "creative": CreativePdf,
    "minimal": MinimalPdf,
    "executive": ExecutivePdf,
}


def render_pdf(view, template):
    """PDF bytes of a resume view in one of the five designs."""
    return LAYOUTS[template](view).render()
