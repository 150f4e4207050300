"""One presentation model of a stored resume, shared by the PDF layouts, the HTML page
and the plain-text form the optimizer reads, so all three agree on what is shown.

Links are only ever made from http(s) and mailto addresses: a ``javascript:`` URL
typed into a profile field renders as plain text, never as a link.
"""

import re
from dataclasses import dataclass, field

SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Linear in the text (see ai/optimizer.py): the domain is first checked to run to the end
# with no "@" or space, so finding its dot cannot retry from every dot (quadratic before).
_EMAIL = re.compile(r"^[^@\s]++@(?=[^@\s]*+$)[^@\s]+\.[^@\s]")
_HOSTLIKE = re.compile(r"^[\w-]++(?:\.[\w-]++)++(?:/\S*+)?$")
PRESENT = "Present"


def safe_url(value, email=False):
    """A clickable URL for ``value``, or None when it is not safely linkable."""
    text = (value or "").strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    if email:
        return f"mailto:{text}" if _EMAIL.match(text) else None
    lowered = text.lower()
    if lowered.startswith(SAFE_SCHEMES):
        return text
    if ":" in lowered.split("/", 1)[0] or not _HOSTLIKE.match(text):
        return None  # another scheme (javascript:, data:) or not an address at all
    return "https://" + text


def date_range(start, end, open_ended=True):
    """"Jan 2020 – Present": an entry with a start and no end is ongoing."""
    start, end = (start or "").strip(), (end or "").strip()
    if start and not end and open_ended:
        end = PRESENT
    return " – ".join(part for part in (start, end) if part)


def join(*parts, sep=" · "):
    return sep.join(part.strip() for part in parts if part and part.strip())


@dataclass
class Contact:
    label: str
    text: str
    href: str | None


@dataclass
class Entry:
    """One item of a section: a job, a degree, a certificate, a project."""

    title: str
    subtitle: str = ""
    dates: str = ""
    text: str = ""
    bullets: list = field(default_factory=list)
    href: str | None = None


@dataclass
class Section:
    key: str
    heading: str
    entries: list = field(default_factory=list)  # of Entry
    items: list = field(default_factory=list)  # of str (skills, languages)


@dataclass
class ResumeView:
    name: str
    headline: str
    summary: str
    contacts: list
    sections: list

    def section(self, key):
        return next((s for s in self.sections if s.key == key), None)

    def split(self, side_keys):
        """(sections whose key is in side_keys, the others), for two-column layouts."""
        side = [s for s in self.sections if s.key in side_keys]
        return side, [s for s in self.sections if s.key not in side_keys]


def _contacts(info):
    rows = [
        ("Email", info.get("email"), safe_url(info.get("email"), email=True)),
        ("Phone", info.get("phone"), None),
        ("Location", info.get("location"), None),
        ("Website", info.get("website"), safe_url(info.get("website"))),
        ("LinkedIn", info.get("linkedin"), safe_url(info.get("linkedin"))),
        ("GitHub", info.get("github"), safe_url(info.get("github"))),
    ]
    rows += [  # other networks (LinkedIn and GitHub come from their own fields)
        (p.get("network") or "Profile", p.get("url") or p.get("username"), safe_url(p.get("url")))
        for p in info.get("profiles") or []
        if (p.get("network") or "").strip().lower() not in ("linkedin", "github")
    ]
    return [Contact(label, text.strip(), href) for label, text, href in rows if text and text.strip()]


def _clean(values):
    return [v.strip() for v in values or [] if v and v.strip()]


def _text(item, key):
    return (item.get(key) or "").strip()


def _noting(text, detail):
    """"Wildlife (Ferrets, Unicorns)": a name with its detail, when there is one."""
    return f"{text} ({detail})" if text and detail else text or detail


def _skills(resume):
    """Skill groups as "Name (Level): a / b", then the flat skills no group mentions."""
    groups, named = [], set()
    for group in resume.get("skill_groups") or []:
        keywords = _clean(group.get("keywords"))
        head = _noting(_text(group, "name"), _text(group, "level"))
        groups.append(join(head, " / ".join(keywords), sep=": "))
        named |= {word.lower() for word in [head, _text(group, "name"), *keywords]}
    return _clean(groups) + [s for s in _clean(resume.get("skills")) if s.lower() not in named]


def _more_sections(resume):
    """Volunteering, publications, awards, interests and references (from JSON Resume)."""
    volunteer = [
        Entry(
            title=_text(v, "position") or _text(v, "organization"),
            subtitle=_text(v, "organization") if _text(v, "position") else "",
            dates=date_range(v.get("start_date"), v.get("end_date")),
            text=_text(v, "summary"),
            bullets=_clean(v.get("highlights")),
            href=safe_url(v.get("url")),
        )
        for v in resume.get("volunteer") or []
    ]
    publications = [
        Entry(title=_text(p, "name"), subtitle=_text(p, "publisher"), dates=_text(p, "release_date"),
              text=_text(p, "summary"), href=safe_url(p.get("url")))
        for p in resume.get("publications") or []
    ]
    awards = [
        Entry(title=_text(a, "title"), subtitle=_text(a, "awarder"), dates=_text(a, "date"), text=_text(a, "summary"))
        for a in resume.get("awards") or []
    ]
    interests = [
        _noting(_text(i, "name"), ", ".join(_clean(i.get("keywords")))) for i in resume.get("interests") or []
    ]
    references = [Entry(title=_text(r, "name"), text=_text(r, "reference")) for r in resume.get("references") or []]
    return {
        "volunteer": Section("volunteer", "Volunteering", entries=[v for v in volunteer if v.title or v.text]),
        "publications": Section("publications", "Publications", entries=[p for p in publications if p.title]),
        "awards": Section("awards", "Awards", entries=[a for a in awards if a.title]),
        "interests": Section("interests", "Interests", items=_clean(interests)),
        "references": Section("references", "References", entries=[r for r in references if r.title or r.text]),
    }


def build_view(resume):
    """The presentation model of a stored resume document."""
    info = resume.get("personal_info") or {}
    experience = [
        Entry(
            title=e.get("position") or e.get("company") or "",
            subtitle=join(
                e.get("company") if e.get("position") else "", e.get("company_description"), e.get("location")
            ),
            dates=date_range(e.get("start_date"), e.get("end_date")),
            text=(e.get("description") or "").strip(),
            bullets=_clean(e.get("achievements")),
            href=safe_url(e.get("url")),
        )
        for e in resume.get("experience") or []
    ]
    education = [
        Entry(
            title=join(e.get("degree"), e.get("field"), sep=", ") or e.get("institution") or "",
            subtitle=join(e.get("institution") if (e.get("degree") or e.get("field")) else "",
                          f"GPA {e['gpa'].strip()}" if (e.get("gpa") or "").strip() else ""),
            dates=date_range(e.get("start_date"), e.get("end_date"), open_ended=False),
            bullets=_clean(e.get("courses")),
            href=safe_url(e.get("url")),
        )
        for e in resume.get("education") or []
    ]
    certifications = [
        Entry(
            title=c.get("name") or "",
            subtitle=join(
                c.get("issuer"), f"ID {c['credential_id'].strip()}" if (c.get("credential_id") or "").strip() else ""
            ),
            dates=(c.get("date") or "").strip(),
            href=safe_url(c.get("url")),
        )
        for c in resume.get("certifications") or []
    ]
    projects = [
        Entry(
            title=p.get("name") or "",
            subtitle=join(", ".join(_clean(p.get("roles"))), p.get("entity"), p.get("url")),
            dates=date_range(p.get("start_date"), p.get("end_date"), open_ended=False),
            text=join(p.get("description"), ", ".join(_clean(p.get("keywords"))), sep="\n"),
            bullets=_clean(p.get("highlights")),
            href=safe_url(p.get("url")),
        )
        for p in resume.get("projects") or []
    ]
    languages = [join(lang.get("name"), lang.get("proficiency"), sep=" — ") for lang in resume.get("languages") or []]
    more = _more_sections(resume)
    sections = [
        Section("experience", "Experience", entries=[e for e in experience if e.title or e.text or e.bullets]),
        more["volunteer"],
        Section("education", "Education", entries=[e for e in education if e.title]),
        Section("projects", "Projects", entries=[p for p in projects if p.title or p.text]),
        more["publications"],
        more["awards"],
        Section("certifications", "Certifications", entries=[c for c in certifications if c.title]),
        Section("skills", "Skills", items=_skills(resume)),
        Section("languages", "Languages", items=_clean(languages)),
        more["interests"],
        more["references"],
    ]
    current = next((e for e in experience if e.title), None)
    return ResumeView(
        name=(info.get("full_name") or "").strip(),
        headline=_text(info, "label") or (current.title if current else ""),
        summary=(resume.get("summary") or "").strip(),
        contacts=_contacts(info),
        sections=[s for s in sections if s.entries or s.items],
    )


def to_plain_text(resume):
    """The resume as plain text with conventional headings (what an ATS parser sees)."""
    view = build_view(resume)
    lines = [view.name, " | ".join(c.text for c in view.contacts)]
    if view.summary:
        lines += ["", "Summary", view.summary]
    for section in view.sections:
        lines += ["", section.heading]
        for entry in section.entries:
            lines.append(join(entry.title, entry.subtitle, entry.dates, sep=" | "))
            if entry.text:
                lines.append(entry.text)
            lines += [f"- {bullet}" for bullet in entry.bullets]
        if section.items:
            lines.append(", ".join(section.items))
    return "\n".join(lines).strip()
