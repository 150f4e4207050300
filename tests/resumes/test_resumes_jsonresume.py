"""JSON Resume v1.0.0 import/export: round trips keep every field both models have."""

import copy

import pytest

from tests.factories import assert_error_shape, export_json_resume, import_json_resume, make_resume
from tests.resume_samples import full_resume

# A full JSON Resume v1.0.0 document (the shape of the schema's own sample), with every field
# Orbix maps and some it does not (image, courses, keywords, interests, references...).
SAMPLE = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Richard Hendriks",
        "label": "Programmer",
        "image": "https://example.com/photo.jpg",
        "email": "richard.hendriks@mail.com",
        "phone": "(912) 555-4321",
        "url": "http://richardhendricks.example.com",
        "summary": "Richard hails from Tulsa. He has earned degrees from the University of Oklahoma and Stanford.",
        "location": {
            "address": "2712 Broadway St",
            "postalCode": "CA 94115",
            "city": "San Francisco",
            "countryCode": "US",
            "region": "California",
        },
        "profiles": [
            {"network": "Twitter", "username": "neutralthoughts", "url": "https://twitter.com/neutralthoughts"},
            {"network": "LinkedIn", "username": "richard", "url": "https://www.linkedin.com/in/richard"},
            {"network": "GitHub", "username": "richard", "url": "https://github.com/richard"},
        ],
    },
    "work": [
        {
            "name": "Pied Piper",
            "location": "Palo Alto, CA",
            "description": "Awesome compression company",
            "position": "CEO/President",
            "url": "http://piedpiper.example.com",
            "startDate": "2013-12-01",
            "endDate": "2014-12-01",
            "summary": "Pied Piper is a multi-platform technology.",
            "highlights": [
                "Build an algorithm for artist to detect if their music was violating copy right infringement laws",
                "Successfully won Techcrunch Disrupt",
            ],
        },
        {"name": "Hooli", "position": "Engineer", "startDate": "2011"},
    ],
    "volunteer": [{"organization": "CoderDojo", "position": "Teacher"}],
    "education": [
        {
            "institution": "University of Oklahoma",
            "url": "https://www.ou.edu/",
            "area": "Information Technology",
            "studyType": "Bachelor",
            "startDate": "2011-06-01",
            "endDate": "2014-01-01",
            "score": "4.0",
            "courses": ["DB1101 - Basic SQL"],
        }
    ],
    "awards": [{"title": "Digital Compression Pioneer Award", "date": "2014-11-01", "awarder": "Techcrunch"}],
    "certificates": [
        {
            "name": "Certified Kubernetes Administrator",
            "date": "2021-11-07",
            "issuer": "CNCF",
            "url": "https://example.com",
        }
    ],
    "publications": [{"name": "Video compression for 3d media", "publisher": "Hooli"}],
    "skills": [
        {"name": "Web Development", "level": "Master", "keywords": ["HTML", "CSS", "JavaScript"]},
        {"name": "Compression", "level": "Master", "keywords": ["Mpeg", "MP4", "GIF"]},
    ],
    "languages": [{"language": "English", "fluency": "Native speaker"}],
    "interests": [{"name": "Wildlife", "keywords": ["Ferrets", "Unicorns"]}],
    "references": [{"name": "Erlich Bachman", "reference": "It is my pleasure to recommend Richard."}],
    "projects": [
        {
            "name": "Miss Direction",
            "description": "A mapping engine that misguides you",
            "highlights": ["Won award at AIHacks 2016"],
            "keywords": ["GoogleMaps"],
            "startDate": "2016-08-24",
            "endDate": "2016-08-24",
            "url": "https://missdirection.example.com",
            "roles": ["Team lead"],
            "entity": "Smoogle",
            "type": "application",
        }
    ],
    "meta": {
        "canonical": "https://example.com/resume.json",
        "version": "v1.0.0",
        "lastModified": "2017-12-24T15:53:00",
    },
}


def test_import_maps_every_shared_field(client, auth):
    resume = import_json_resume(client, auth, SAMPLE)
    info = resume["personal_info"]
    assert {k: info[k] for k in ("full_name", "email", "phone", "location", "website", "linkedin", "github")} == {
        "full_name": "Richard Hendriks", "email": "richard.hendriks@mail.com", "phone": "(912) 555-4321",
        "location": "2712 Broadway St, San Francisco, California, US", "website": "http://richardhendricks.example.com",
        "linkedin": "https://www.linkedin.com/in/richard", "github": "https://github.com/richard",
    }
    assert resume["title"] == "Richard Hendriks — Programmer" and resume["template"] == "modern"
    assert resume["experience"][0] == {
        "position": "CEO/President", "company": "Pied Piper", "location": "Palo Alto, CA", "start_date": "2013-12-01",
        "end_date": "2014-12-01", "description": "Pied Piper is a multi-platform technology.",
        "achievements": SAMPLE["work"][0]["highlights"], "url": "http://piedpiper.example.com",
        "company_description": "Awesome compression company",
    }
    assert resume["education"][0] == {"degree": "Bachelor", "institution": "University of Oklahoma",
                                      "field": "Information Technology", "start_date": "2011-06-01",
                                      "end_date": "2014-01-01", "gpa": "4.0", "url": "https://www.ou.edu/",
                                      "courses": ["DB1101 - Basic SQL"]}
    assert resume["skills"][:4] == ["Web Development", "HTML", "CSS", "JavaScript"]
    assert resume["languages"] == [{"name": "English", "proficiency": "Native speaker"}]
    assert resume["certifications"][0]["issuer"] == "CNCF"
    assert resume["projects"][0]["highlights"] == ["Won award at AIHacks 2016"]


def test_json_resume_round_trip_keeps_shared_fields(client, auth):
    exported = export_json_resume(client, auth, import_json_resume(client, auth, SAMPLE)["_id"])
    basics = exported["basics"]
    for key in ("name", "email", "phone", "url", "summary"):
        assert basics[key] == SAMPLE["basics"][key]
    assert basics["profiles"] == SAMPLE["basics"]["profiles"]  # every profile, not only LinkedIn and GitHub
    shared_work = ("name", "position", "location", "startDate", "endDate", "summary", "highlights")
    for ours, theirs in zip(exported["work"], SAMPLE["work"], strict=True):
        assert {k: ours.get(k) for k in shared_work} == {k: theirs.get(k) for k in shared_work}
    shared_edu = ("institution", "area", "studyType", "startDate", "endDate", "score")
    assert {k: exported["education"][0][k] for k in shared_edu} == {k: SAMPLE["education"][0][k] for k in shared_edu}
    assert [s["name"] for s in exported["skills"]][:1] == ["Web Development"]
    assert exported["languages"] == SAMPLE["languages"]
    assert {k: exported["certificates"][0][k] for k in ("name", "date", "issuer")} == {
        k: SAMPLE["certificates"][0][k] for k in ("name", "date", "issuer")
    }
    for key in ("name", "description", "url", "highlights"):
        assert exported["projects"][0][key] == SAMPLE["projects"][0][key]
    assert exported["meta"]["version"] == "v1.0.0"


def blank_as_none(value):
    """JSON Resume leaves empty fields out, so an empty string comes back as null."""
    if isinstance(value, dict):
        return {k: blank_as_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [blank_as_none(v) for v in value]
    return None if value == "" else value


def test_orbix_resume_round_trip_through_json_resume_is_lossless(client, auth):
    original = make_resume(client, auth, full_resume(template="creative"))
    assert original["experience"][0]["end_date"] == ""
    again = import_json_resume(client, auth, export_json_resume(client, auth, original["_id"]))
    strip = ("_id", "created_at", "updated_at", "json_resume_meta")  # the latter: the export's lastModified
    assert blank_as_none({k: v for k, v in again.items() if k not in strip}) == blank_as_none(
        {k: v for k, v in original.items() if k not in strip}
    )


def test_export_turns_typed_dates_into_iso_and_present_into_an_open_end(client, auth):
    body = full_resume()
    body["experience"][0].update(start_date="Jan 2020", end_date="Present")
    body["experience"][1].update(start_date="03/2016", end_date="Summer 2019")
    resume = make_resume(client, auth, body)
    work = export_json_resume(client, auth, resume["_id"])["work"]
    assert work[0]["startDate"] == "2020-01" and "endDate" not in work[0]
    assert work[1]["startDate"] == "2016-03" and work[1]["endDate"] == "Summer 2019"


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.pop("basics"), ["basics"]),
        (lambda d: d["basics"].pop("name"), ["basics", "name"]),
        (lambda d: d["work"][1].update(highlights="not a list"), ["work", "1", "highlights"]),
        (lambda d: d["skills"][0].update(keywords=[1]), ["skills", "0", "keywords", "0"]),
        (lambda d: d["basics"].update(summary="x" * 5001), ["basics", "summary"]),
        (lambda d: d["basics"].update(location="Berlin"), ["basics", "location"]),
        (lambda d: d.update(meta={"orbix": {"template": "fancy"}}), ["meta", "orbix", "template"]),
    ],
)
def test_invalid_json_resume_gets_422_naming_the_path(client, auth, mutate, path):
    doc = copy.deepcopy(SAMPLE)
    mutate(doc)
    body = assert_error_shape(client.post("/api/resumes/import", json=doc, headers=auth), 422)
    errors = body["errors"]["json"]
    for key in path:
        errors = errors[key] if key in errors else errors[int(key)]
    assert errors
    assert client.get("/api/resumes", headers=auth).get_json() == []
