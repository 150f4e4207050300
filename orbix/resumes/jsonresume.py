"""JSON Resume (schema v1.0.0, https://jsonresume.org/schema) import and export, lossless
for every field of the schema.

Sections share our item schemas, read and written under JSON Resume's names (camelCase,
or a rename where our name differs): work <-> experience (name=company,
description=company_description, summary=description, highlights=achievements),
education (studyType=degree, area=field, score=gpa), certificates <-> certifications,
languages (language=name, fluency=proficiency), and volunteer, awards, publications,
interests, references and projects under their own names. ``credentialId`` on a
certificate is our extra property (the schema allows additional properties).

basics: name, label, image, email, phone, url (website) and summary map one to one.
``personal_info.location`` is the line views show (import joins address, city, region,
countryCode); the location's parts are kept as well. The first LinkedIn and GitHub
profiles fill ``linkedin``/``github`` (what the web client edits) and every profile is
kept in ``profiles``; a link typed into ``linkedin``/``github`` that no stored profile
carries is exported as one more profile.

skills: each JSON Resume skill (name, level, keywords) is kept in ``skill_groups``;
``skills`` (the client's flat list) gets every name and keyword. Export writes the
groups, then any flat skill no group mentions.

meta: canonical, version and lastModified are kept; lastModified is exported as
imported until the resume is edited, then as our ``updated_at``. ``meta.orbix`` carries
``title`` and ``template`` when they differ from what an import would derive (name —
label, the default design).

Detail that only restates a client field (a location that is just the city line,
profiles that are just the LinkedIn/GitHub links, skills that are just names) is not
stored twice, so a resume exported and imported again comes back the same.

Dates keep their precision: ``2019``, ``2019-03`` and ``2019-03-05`` are stored and
exported as given. Export converts free text it recognises ("Jan 2020" -> "2020-01"),
drops "Present"-like end dates (an open entry), and keeps other text as typed.

Not kept: properties the schema does not define (other than ``credentialId``) are
ignored on import, empty strings and empty lists are left out of the export (as JSON
Resume documents leave absent fields out), and ``$schema`` is always v1.0.0's.
"""

import copy
import re

from marshmallow import fields, validate

from ..common.fields import Text
from ..common.schemas import BaseSchema
from .schemas import (
    DEFAULT_TEMPLATE,
    PARAGRAPH,
    SHORT,
    TEMPLATES,
    URL,
    AwardSchema,
    CertificationSchema,
    EducationSchema,
    ExperienceSchema,
    InterestSchema,
    JsonResumeMetaSchema,
    LanguageSchema,
    ProfileSchema,
    ProjectSchema,
    PublicationSchema,
    ReferenceSchema,
    ResumeWriteSchema,
    SkillGroupSchema,
    VolunteerSchema,
    entries,
    text,
)

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
VERSION = "v1.0.0"
MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
OPEN_ENDED = {"present", "current", "now", "today", "ongoing"}
DATE_KEYS = {"startDate", "endDate", "date", "releaseDate"}
_ISO = re.compile(r"^[12]\d{3}(-[01]\d(-[0-3]\d)?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]*\.?,?\s+([12]\d{3})$")
_NUMERIC_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.](\d{4})$")
NETWORKS = (("LinkedIn", "linkedin"), ("GitHub", "github"))
# JSON Resume location key -> our personal_info key
LOCATION = {"address": "address", "postalCode": "postal_code", "city": "city", "countryCode": "country_code",
            "region": "region"}


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def json_resume_schema(schema_cls, renames=None):
    """``schema_cls`` reading and writing JSON Resume's key names (camelCase unless renamed),
    so one set of fields and limits serves both our model and the import."""
    renamed = {}
    for name, field in schema_cls._declared_fields.items():
        clone = copy.copy(field)
        clone.data_key = (renames or {}).get(name, _camel(name))
        renamed[name] = clone
    return schema_cls.from_dict(renamed, name=f"JsonResume{schema_cls.__name__.removesuffix('Schema')}")


# JSON Resume section -> (our field, its item schema in JSON Resume's names), in the schema's order.
SECTIONS = {
    "work": ("experience", json_resume_schema(ExperienceSchema, {
        "company": "name", "company_description": "description", "description": "summary",
        "achievements": "highlights",
    })),
    "volunteer": ("volunteer", json_resume_schema(VolunteerSchema)),
    "education": ("education", json_resume_schema(EducationSchema, {
        "degree": "studyType", "field": "area", "gpa": "score",
    })),
    "awards": ("awards", json_resume_schema(AwardSchema)),
    "certificates": ("certifications", json_resume_schema(CertificationSchema)),
    "publications": ("publications", json_resume_schema(PublicationSchema)),
    "skills": ("skill_groups", json_resume_schema(SkillGroupSchema)),
    "languages": ("languages", json_resume_schema(LanguageSchema, {"name": "language", "proficiency": "fluency"})),
    "interests": ("interests", json_resume_schema(InterestSchema)),
    "references": ("references", json_resume_schema(ReferenceSchema)),
    "projects": ("projects", json_resume_schema(ProjectSchema)),
}


# -- validation of an incoming JSON Resume document (errors name the JSON Resume path) ---------


class _Location(BaseSchema):
    address = text(500)
    postalCode = text(50)
    city = text()
    countryCode = text(50)
    region = text()


class _Basics(BaseSchema):
    name = Text(required=True, min_length=1, max_length=SHORT)
    label = text()
    image = text(URL)
    email = text(254)
    phone = text(50)
    url = text(URL)
    summary = text(PARAGRAPH)
    location = fields.Nested(_Location, allow_none=True)
    profiles = entries(json_resume_schema(ProfileSchema), 20)


class _Orbix(BaseSchema):
    title = text()
    template = fields.String(allow_none=True, validate=validate.OneOf(TEMPLATES))


class _Meta(json_resume_schema(JsonResumeMetaSchema)):
    orbix = fields.Nested(_Orbix, allow_none=True)


def _section_field(json_key, ours, item_schema):
    """A section read under JSON Resume's key into our field, with our item limit."""
    limits = ResumeWriteSchema._declared_fields[ours].validators
    return fields.List(fields.Nested(item_schema), allow_none=True, data_key=json_key, validate=limits)


# A JSON Resume v1.0.0 document (properties the schema does not define are ignored).
JsonResumeSchema = BaseSchema.from_dict(
    {
        "basics": fields.Nested(_Basics, required=True),
        **{ours: _section_field(key, ours, schema) for key, (ours, schema) in SECTIONS.items()},
        "meta": fields.Nested(_Meta, allow_none=True),
    },
    name="JsonResumeSchema",
)


# -- mapping ---------------------------------------------------------------------------------------


def iso_date(value):
    """A JSON Resume date from free text when recognisable; None for "Present" or empty."""
    value = (value or "").strip()
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


def _title(info):
    """The title an import gives a resume: "name — label", or the name."""
    name, label = info.get("full_name"), info.get("label")
    return f"{name} — {label}" if label else name


def _location(info):
    """basics.location: the stored parts, else the one line as the city."""
    parts = _compact({key: info.get(ours) for key, ours in LOCATION.items()})
    return parts or _compact({"city": info.get("location")})


def _profiles(info):
    """Stored profiles, plus a LinkedIn/GitHub link that none of them carries."""
    stored = [_compact(p) for p in info.get("profiles") or []]
    urls = {p.get("url") for p in stored}
    return stored + [
        _compact({"network": network, "username": info[key].rstrip("/").rsplit("/", 1)[-1], "url": info[key]})
        for network, key in NETWORKS
        if info.get(key) and info[key] not in urls
    ]


def _skills(resume):
    """Skill groups, then each flat skill that no group names."""
    groups = [_compact(g) for g in resume.get("skill_groups") or []]
    named = {word.lower() for g in groups for word in [g.get("name") or "", *g.get("keywords", [])]}
    return groups + [{"name": s} for s in resume.get("skills") or [] if s.lower() not in named]


def _meta(resume):
    stored = resume.get("json_resume_meta") or {}
    updated = resume.get("updated_at")
    untouched = updated is not None and updated == resume.get("created_at")
    last_modified = stored.get("last_modified") if untouched else None
    info = resume.get("personal_info") or {}
    orbix = {
        "title": resume.get("title") if resume.get("title") != _title(info) else None,
        "template": resume.get("template") if resume.get("template") != DEFAULT_TEMPLATE else None,
    }
    return _compact({
        "canonical": stored.get("canonical"),
        "version": stored.get("version") or VERSION,
        "lastModified": last_modified or (updated.isoformat() if updated else None),
        "orbix": _compact(orbix),
    })


def _export_item(schema, item):
    data = schema().dump(item)
    return _compact({k: iso_date(v) if k in DATE_KEYS else v for k, v in data.items()})


def to_json_resume(resume):
    """Export a stored resume as a JSON Resume v1.0.0 document."""
    info = resume.get("personal_info") or {}
    basics = {
        "name": info.get("full_name"),
        "label": info.get("label"),
        "image": info.get("image"),
        "email": info.get("email"),
        "phone": info.get("phone"),
        "url": info.get("website"),
        "summary": resume.get("summary"),
        "location": _location(info),
        "profiles": _profiles(info),
    }
    doc = {"$schema": SCHEMA_URL, "basics": _compact(basics)}
    for key, (ours, schema) in SECTIONS.items():
        doc[key] = _skills(resume) if key == "skills" else [_export_item(schema, i) for i in resume.get(ours) or []]
    doc["meta"] = _meta(resume)
    return _compact(doc)


def _location_text(location):
    parts = [location.get(k) for k in ("address", "city", "region", "countryCode")]
    return ", ".join(p for p in parts if p) or None


def _profile_url(profiles, network):
    for profile in profiles:
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


def _personal_info(basics):
    location, profiles = basics.get("location") or {}, basics.get("profiles") or []
    info = {
        "full_name": basics["name"],
        "email": basics.get("email"),
        "phone": basics.get("phone"),
        "location": _location_text(location),
        "website": basics.get("url"),
        "linkedin": _profile_url(profiles, "linkedin"),
        "github": _profile_url(profiles, "github"),
        **_compact({"label": basics.get("label"), "image": basics.get("image")}),
    }
    parts = _compact({ours: location.get(key) for key, ours in LOCATION.items()})
    if parts != _compact({"city": info["location"]}):  # not just the one line
        info.update(parts)
    if [_compact(p) for p in profiles] != _profiles(info):  # not just the LinkedIn/GitHub links
        info["profiles"] = profiles
    return info


def from_json_resume(doc):
    """A resume body (our model, before our own validation) from a validated JSON Resume."""
    info = _personal_info(doc["basics"])
    meta = doc.get("meta") or {}
    orbix = meta.get("orbix") or {}
    groups = doc.get("skill_groups") or []
    skills = _unique(word for g in groups for word in [g.get("name"), *(g.get("keywords") or [])])
    resume = {
        "title": orbix.get("title") or _title(info),
        "template": orbix.get("template") or None,
        "personal_info": info,
        "summary": doc["basics"].get("summary"),
        "skills": skills,
        **{ours: doc[ours] for ours, _ in SECTIONS.values() if doc.get(ours) and ours != "skill_groups"},
    }
    if [_compact(g) for g in groups] != _skills({"skills": skills}):  # more than names
        resume["skill_groups"] = groups
    stored_meta = _compact({k: meta.get(k) for k in JsonResumeMetaSchema._declared_fields})
    if stored_meta:
        resume["json_resume_meta"] = stored_meta
    return resume
