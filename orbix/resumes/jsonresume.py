"""JSON Resume (schema v1.0.0, https://jsonresume.org/schema) import and export.

Field mapping (ours <-> JSON Resume):
personal_info.full_name/email/phone/website <-> basics.name/email/phone/url;
personal_info.location <-> basics.location.city (import joins address, city, region,
countryCode); linkedin/github <-> basics.profiles[network=LinkedIn/GitHub].url;
summary <-> basics.summary; experience <-> work (company=name, description=summary,
achievements=highlights); education <-> education (degree=studyType, field=area,
gpa=score); skills <-> skills[].name (import also takes each skill's keywords);
certifications <-> certificates; languages <-> languages (name=language,
proficiency=fluency); projects <-> projects. ``title`` and ``template`` have no JSON
Resume field and travel in ``meta.orbix``; ``credential_id`` travels as an extra
``credentialId`` property (the schema allows additional properties).

Dates: JSON Resume wants ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. Export converts what
it recognises ("Jan 2020" -> "2020-01"), drops "Present"-like end dates (an open
entry), and keeps other free text as typed. Import keeps dates exactly as given.
"""

import re

from marshmallow import fields, validate

from ..common.fields import Text
from ..common.schemas import BaseSchema
from .schemas import BULLET, PARAGRAPH, SHORT, TEMPLATES, URL

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
OPEN_ENDED = {"present", "current", "now", "today", "ongoing"}
_ISO = re.compile(r"^[12]\d{3}(-[01]\d(-[0-3]\d)?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]*\.?,?\s+([12]\d{3})$")
_NUMERIC_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.](\d{4})$")


# -- validation of an incoming JSON Resume document (errors name the JSON Resume path) ---------


def _text(max_length=SHORT):
    return Text(max_length=max_length, allow_none=True)


def _many(schema, max_items=50):
    return fields.List(fields.Nested(schema), allow_none=True, validate=validate.Length(max=max_items))


def _strings(max_items=50, max_length=BULLET):
    return fields.List(_text(max_length), allow_none=True, validate=validate.Length(max=max_items))


class _Location(BaseSchema):
    address = _text(500)
    postalCode = _text(50)
    city = _text()
    countryCode = _text(50)
    region = _text()


class _Profile(BaseSchema):
    network = _text(100)
    username = _text()
    url = _text(URL)


class _Basics(BaseSchema):
    name = Text(required=True, min_length=1, max_length=SHORT)
    label = _text()
    image = _text(URL)
    email = _text(254)
    phone = _text(50)
    url = _text(URL)
    summary = _text(PARAGRAPH)
    location = fields.Nested(_Location, allow_none=True)
    profiles = _many(_Profile, 20)


class _Work(BaseSchema):
    name = _text()
    position = _text()
    location = _text()
    url = _text(URL)
    startDate = _text(50)
    endDate = _text(50)
    summary = _text(PARAGRAPH)
    highlights = _strings()


class _Education(BaseSchema):
    institution = _text()
    url = _text(URL)
    area = _text()
    studyType = _text()
    startDate = _text(50)
    endDate = _text(50)
    score = _text(50)
    courses = _strings()


class _Skill(BaseSchema):
    name = _text(100)
    level = _text(100)
    keywords = _strings(50, 100)


class _Language(BaseSchema):
    language = _text(100)
    fluency = _text(100)


class _Certificate(BaseSchema):
    name = _text()
    date = _text(50)
    issuer = _text()
    url = _text(URL)
    credentialId = _text()


class _Project(BaseSchema):
    name = _text()
    description = _text(PARAGRAPH)
    url = _text(URL)
    highlights = _strings()


class _Orbix(BaseSchema):
    title = _text()
    template = fields.String(allow_none=True, validate=validate.OneOf(TEMPLATES))


class _Meta(BaseSchema):
    orbix = fields.Nested(_Orbix, allow_none=True)


class JsonResumeSchema(BaseSchema):
    """The parts of a JSON Resume v1.0.0 document that Orbix keeps (others are ignored)."""

    basics = fields.Nested(_Basics, required=True)
    work = _many(_Work)
    education = _many(_Education, 30)
    skills = _many(_Skill, 200)
    languages = _many(_Language, 30)
    certificates = _many(_Certificate)
    projects = _many(_Project)
    meta = fields.Nested(_Meta, allow_none=True)


# -- mapping ---------------------------------------------------------------------------------------


def iso_date(text):
    """A JSON Resume date from free text when recognisable; None for "Present" or empty."""
    value = (text or "").strip()
    if not value or value.lower() in OPEN_ENDED:
        return None
    if _ISO.match(value):
        return value
    match = _MONTH_YEAR.match(value)
    if match and match.group(1).lower() in MONTHS:
        return f"{match.group(2)}-{MONTHS[match.group(1).lower()]:02d}"
    match = _NUMERIC_MONTH_YEAR.match(value)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"{match.group(2)}-{int(match.group(1)):02d}"
    return value


def _compact(mapping):
    """Drop empty values: JSON Resume documents leave absent fields out."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def _profile(network, url):
    username = (url or "").rstrip("/").rsplit("/", 1)[-1]
    return _compact({"network": network, "username": username, "url": url})


def to_json_resume(resume):
    """Export a stored resume as a JSON Resume v1.0.0 document."""
    info = resume.get("personal_info") or {}
    profiles = [
        _profile(net, info.get(key)) for net, key in (("LinkedIn", "linkedin"), ("GitHub", "github")) if info.get(key)
    ]
    basics = _compact(
        {
            "name": info.get("full_name"),
            "email": info.get("email"),
            "phone": info.get("phone"),
            "url": info.get("website"),
            "summary": resume.get("summary"),
            "location": _compact({"city": info.get("location")}),
            "profiles": profiles,
        }
    )
    updated = resume.get("updated_at")
    return {
        "$schema": SCHEMA_URL,
        "basics": basics,
        "work": [
            _compact(
                {
                    "name": e.get("company"),
                    "position": e.get("position"),
                    "location": e.get("location"),
                    "startDate": iso_date(e.get("start_date")),
                    "endDate": iso_date(e.get("end_date")),
                    "summary": e.get("description"),
                    "highlights": e.get("achievements") or [],
                }
            )
            for e in resume.get("experience") or []
        ],
        "education": [
            _compact(
                {
                    "institution": e.get("institution"),
                    "area": e.get("field"),
                    "studyType": e.get("degree"),
                    "startDate": iso_date(e.get("start_date")),
                    "endDate": iso_date(e.get("end_date")),
                    "score": e.get("gpa"),
                }
            )
            for e in resume.get("education") or []
        ],
        "skills": [{"name": skill} for skill in resume.get("skills") or []],
        "languages": [
            _compact({"language": lang.get("name"), "fluency": lang.get("proficiency")})
            for lang in resume.get("languages") or []
        ],
        "certificates": [
            _compact(
                {
                    "name": c.get("name"),
                    "issuer": c.get("issuer"),
                    "date": iso_date(c.get("date")),
                    "credentialId": c.get("credential_id"),
                }
            )
            for c in resume.get("certifications") or []
        ],
        "projects": [
            _compact(
                {
                    "name": p.get("name"),
                    "description": p.get("description"),
                    "url": p.get("url"),
                    "highlights": p.get("highlights") or [],
                }
            )
            for p in resume.get("projects") or []
        ],
        "meta": _compact(
            {
                "version": "v1.0.0",
                "lastModified": updated.isoformat() if updated else None,
                "orbix": _compact({"title": resume.get("title"), "template": resume.get("template")}),
            }
        ),
    }


def _location_text(location):
    location = location or {}
    parts = [location.get(k) for k in ("address", "city", "region", "countryCode")]
    return ", ".join(p for p in parts if p) or None


def _profile_url(profiles, network):
    for profile in profiles or []:
        if (profile.get("network") or "").strip().lower() == network and profile.get("url"):
            return profile["url"]
    return None


def _unique(values):
    seen, result = set(), []
    for value in values:
        key = (value or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(value.strip())
    return result


def from_json_resume(doc):
    """A resume body (our model, before our own validation) from a validated JSON Resume."""
    basics = doc["basics"]
    orbix = (doc.get("meta") or {}).get("orbix") or {}
    skills = []
    for skill in doc.get("skills") or []:
        skills += [skill.get("name")] + list(skill.get("keywords") or [])
    return {
        "title": orbix.get("title")
        or (f"{basics['name']} — {basics['label']}" if basics.get("label") else basics["name"]),
        "template": orbix.get("template") or None,
        "personal_info": {
            "full_name": basics["name"],
            "email": basics.get("email"),
            "phone": basics.get("phone"),
            "location": _location_text(basics.get("location")),
            "website": basics.get("url"),
            "linkedin": _profile_url(basics.get("profiles"), "linkedin"),
            "github": _profile_url(basics.get("profiles"), "github"),
        },
        "summary": basics.get("summary"),
        "experience": [
            {
                "position": w.get("position"),
                "company": w.get("name"),
                "location": w.get("location"),
                "start_date": w.get("startDate"),
                "end_date": w.get("endDate"),
                "description": w.get("summary"),
                "achievements": w.get("highlights") or [],
            }
            for w in doc.get("work") or []
        ],
        "education": [
            {
                "degree": e.get("studyType"),
                "institution": e.get("institution"),
                "field": e.get("area"),
                "start_date": e.get("startDate"),
                "end_date": e.get("endDate"),
                "gpa": e.get("score"),
            }
            for e in doc.get("education") or []
        ],
        "skills": _unique(skills),
        "certifications": [
            {
                "name": c.get("name"),
                "issuer": c.get("issuer"),
                "date": c.get("date"),
                "credential_id": c.get("credentialId"),
            }
            for c in doc.get("certificates") or []
        ],
        "languages": [
            {"name": lang.get("language"), "proficiency": lang.get("fluency")} for lang in doc.get("languages") or []
        ],
        "projects": [
            {
                "name": p.get("name"),
                "description": p.get("description"),
                "url": p.get("url"),
                "highlights": p.get("highlights") or [],
            }
            for p in doc.get("projects") or []
        ],
    }
