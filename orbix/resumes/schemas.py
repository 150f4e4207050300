"""Resume bodies: the full model, what lists show, and render/optimize arguments.

Dates inside a resume are free text ("Jan 2020", "2019-05", "Present") because
that is what people type and what the existing client sends; empty strings and
nulls are accepted wherever the client may send them. Every string and list has
a length limit so one resume stays small (the 2 MB body limit catches the rest).

The model holds everything a JSON Resume document can say (see ``jsonresume.py``);
the fields the existing client does not know are optional and absent unless sent.
"""

from marshmallow import fields, post_load, pre_load, validate

from ..common.fields import ObjectIdField, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema

TEMPLATES = ("modern", "classic", "creative", "minimal", "executive")
DEFAULT_TEMPLATE = "modern"

SHORT = 200  # names, titles, companies, dates as typed
URL = 500
PARAGRAPH = 5000  # summary, descriptions
BULLET = 1000  # one achievement / highlight


def _free(max_length=SHORT):
    """Optional free text: empty string and null both accepted."""
    return Text(max_length=max_length, allow_none=True, load_default=None)


def _list(inner, max_items):
    """An optional list (null reads as empty) with an item cap."""
    return fields.List(inner, allow_none=True, load_default=list, validate=validate.Length(max=max_items))


# Fields that came with JSON Resume support: absent unless sent, so documents and answers
# of the existing client keep exactly their old shape.


def text(max_length=SHORT):
    """Optional text that stays absent when not sent."""
    return Text(max_length=max_length, allow_none=True)


def texts(max_items=50, max_length=BULLET):
    """An optional list of strings that stays absent when not sent."""
    return fields.List(text(max_length), allow_none=True, validate=validate.Length(max=max_items))


def entries(schema, max_items=50):
    """An optional list of nested items that stays absent when not sent."""
    return fields.List(fields.Nested(schema), allow_none=True, validate=validate.Length(max=max_items))


class _Section(BaseSchema):
    """Lists arriving as null are stored as empty lists; blank list items are dropped."""

    LIST_FIELDS = ()

    @post_load
    def _clean_lists(self, data, **kwargs):
        for name in self.LIST_FIELDS:
            if name in data:
                data[name] = [item for item in (data[name] or []) if item not in (None, "")]
        return data


class ProfileSchema(BaseSchema):
    network = _free(100)
    username = _free()
    url = _free(URL)


class PersonalInfoSchema(BaseSchema):
    """``location`` is the one line views show; ``address`` to ``country_code`` are its parts
    when known. ``profiles`` lists every network (LinkedIn and GitHub included when imported)."""

    full_name = Text(required=True, min_length=1, max_length=SHORT)
    email = _free(254)
    phone = _free(50)
    location = _free()
    website = _free(URL)
    linkedin = _free(URL)
    github = _free(URL)
    label = text()  # a headline, e.g. "Web Developer"
    image = text(URL)
    address = text(500)
    postal_code = text(50)
    city = text()
    region = text()
    country_code = text(50)
    profiles = entries(ProfileSchema, 20)


class ExperienceSchema(_Section):
    LIST_FIELDS = ("achievements",)
    position = _free()
    company = _free()
    location = _free()
    start_date = _free(50)
    end_date = _free(50)
    description = _free(PARAGRAPH)
    achievements = _list(Text(max_length=BULLET, allow_none=True), 50)
    url = text(URL)
    company_description = text(BULLET)


class EducationSchema(BaseSchema):
    degree = _free()
    institution = _free()
    field = _free()
    start_date = _free(50)
    end_date = _free(50)
    gpa = _free(50)
    url = text(URL)
    courses = texts()

    @pre_load
    def _gpa_as_text(self, data, **kwargs):
        """Some clients send a GPA as a number (3.8); it is kept as the text shown."""
        if isinstance(data, dict) and isinstance(data.get("gpa"), int | float) and not isinstance(data["gpa"], bool):
            data = {**data, "gpa": str(data["gpa"])}
        return data


class CertificationSchema(BaseSchema):
    name = _free()
    issuer = _free()
    date = _free(50)
    credential_id = _free()
    url = text(URL)


class LanguageSchema(BaseSchema):
    name = _free(100)
    proficiency = _free(100)


class ProjectSchema(_Section):
    LIST_FIELDS = ("highlights",)
    name = _free()
    description = _free(PARAGRAPH)
    url = _free(URL)
    highlights = _list(Text(max_length=BULLET, allow_none=True), 50)
    keywords = texts(50, 100)
    start_date = text(50)
    end_date = text(50)
    roles = texts(20, SHORT)
    entity = text()
    type = text(100)


class VolunteerSchema(_Section):
    LIST_FIELDS = ("highlights",)
    organization = _free()
    position = _free()
    url = _free(URL)
    start_date = _free(50)
    end_date = _free(50)
    summary = _free(PARAGRAPH)
    highlights = _list(Text(max_length=BULLET, allow_none=True), 50)


class AwardSchema(BaseSchema):
    title = _free()
    date = _free(50)
    awarder = _free()
    summary = _free(PARAGRAPH)


class PublicationSchema(BaseSchema):
    name = _free()
    publisher = _free()
    release_date = _free(50)
    url = _free(URL)
    summary = _free(PARAGRAPH)


class SkillGroupSchema(_Section):
    """A named group of skills with a level ("Web Development", "Master", [HTML, CSS])."""

    LIST_FIELDS = ("keywords",)
    name = _free(100)
    level = _free(100)
    keywords = _list(Text(max_length=100, allow_none=True), 50)


class InterestSchema(_Section):
    LIST_FIELDS = ("keywords",)
    name = _free(100)
    keywords = _list(Text(max_length=100, allow_none=True), 50)


class ReferenceSchema(BaseSchema):
    name = _free()
    reference = _free(PARAGRAPH)


class JsonResumeMetaSchema(BaseSchema):
    """``meta`` of the JSON Resume document a resume was imported from."""

    canonical = text(URL)
    version = text(50)
    last_modified = text(50)


NEW_SECTIONS = ("skill_groups", "volunteer", "awards", "publications", "interests", "references")


class ResumeWriteSchema(DocumentSchema, _Section):
    LIST_FIELDS = ("skills", "experience", "education", "certifications", "languages", "projects", *NEW_SECTIONS)
    title = Text(max_length=SHORT, allow_none=True, load_default="Untitled resume")
    template = fields.String(
        allow_none=True, load_default=DEFAULT_TEMPLATE, validate=validate.OneOf(TEMPLATES),
        metadata={"description": "PDF/HTML design: " + ", ".join(TEMPLATES)},
    )
    personal_info = fields.Nested(PersonalInfoSchema, required=True)
    summary = _free(PARAGRAPH)
    skills = _list(Text(max_length=100, allow_none=True), 200)
    experience = _list(fields.Nested(ExperienceSchema), 50)
    education = _list(fields.Nested(EducationSchema), 30)
    certifications = _list(fields.Nested(CertificationSchema), 50)
    languages = _list(fields.Nested(LanguageSchema), 30)
    projects = _list(fields.Nested(ProjectSchema), 50)
    skill_groups = entries(SkillGroupSchema, 200)
    volunteer = entries(VolunteerSchema)
    awards = entries(AwardSchema)
    publications = entries(PublicationSchema)
    interests = entries(InterestSchema, 30)
    references = entries(ReferenceSchema, 20)
    json_resume_meta = fields.Nested(JsonResumeMetaSchema, allow_none=True)

    @post_load
    def _defaults_for_nulls(self, data, **kwargs):
        """An explicit null title/template means "the default", never a stored null."""
        if "title" in data and not data["title"]:
            data["title"] = "Untitled resume"
        if "template" in data and data["template"] is None:
            data["template"] = DEFAULT_TEMPLATE
        return data


class ResumeSchema(ResumeWriteSchema):
    pass


class _NameOnlySchema(BaseSchema):
    full_name = fields.String()


class ResumeSummarySchema(DocumentSchema):
    """A list item: what the resume list shows (projection of these fields only)."""

    title = fields.String()
    template = fields.String()
    personal_info = fields.Nested(_NameOnlySchema)


class ResumeListQuerySchema(ListQuerySchema):
    template = fields.String(validate=validate.OneOf(TEMPLATES), metadata={"description": "Only this template"})


class RenderQuerySchema(BaseSchema):
    template = fields.String(
        validate=validate.OneOf(TEMPLATES),
        metadata={"description": "Design to render (default: the resume's own template)"},
    )
    download = fields.Boolean(load_default=False, metadata={"description": "true: attachment instead of inline"})


class JobDescriptionSchema(BaseSchema):
    job_description = Text(max_length=20_000, allow_none=True, load_default="")


class LegacyOptimizeSchema(JobDescriptionSchema):
    resume_id = ObjectIdField(required=True)
