"""JSON Resume v1.0.0 round trips keep every field of the schema, dates keep their precision,
and the resume's own PDF and HTML show the sections JSON Resume brings."""

import copy
import io
from functools import reduce

import pytest
from pypdf import PdfReader

from tests.factories import assert_error_shape, export_json_resume, import_json_resume
from tests.resume_samples import CLIENT_RESUME

# The schema's sample resume (Richard Hendriks) with every section and every field filled in,
# several entries per section and dates at each precision (year, month, day).
FULL = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Richard Hendriks",
        "label": "Programmer",
        "image": "https://richardhendricks.example.com/photo.jpg",
        "email": "richard.hendriks@mail.com",
        "phone": "(912) 555-4321",
        "url": "http://richardhendricks.example.com",
        "summary": "Richard hails from Tulsa. He has earned degrees from the University of Oklahoma and Stanford.",
        "location": {"address": "2712 Broadway St", "postalCode": "CA 94115", "city": "San Francisco",
                     "countryCode": "US", "region": "California"},
        "profiles": [
            {"network": "Twitter", "username": "neutralthoughts", "url": "https://twitter.example.com/neutralthoughts"},
            {"network": "SoundCloud", "username": "dandymusicnl", "url": "https://soundcloud.example.com/dandymusicnl"},
            {"network": "LinkedIn", "username": "richard-h", "url": "https://www.linkedin.com/in/richard-h"},
            {"network": "GitHub", "username": "rhendriks", "url": "https://github.com/rhendriks"},
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
            "endDate": "2014-12",
            "summary": "Pied Piper is a multi-platform technology based on a proprietary compression algorithm.",
            "highlights": ["Build an algorithm for artist to detect if their music was violating copy right laws",
                           "Successfully won Techcrunch Disrupt"],
        },
        {
            "name": "Hooli",
            "location": "Palo Alto, CA",
            "description": "Technology conglomerate",
            "position": "Software Developer",
            "url": "http://hooli.example.com",
            "startDate": "2011",
            "summary": "Part-time developer on the Nucleus platform.",
            "highlights": ["Shipped the Nucleus signup flow"],
        },
    ],
    "volunteer": [{
        "organization": "CoderDojo",
        "position": "Teacher",
        "url": "http://coderdojo.example.com/",
        "startDate": "2012-01",
        "endDate": "2013",
        "summary": "Global movement of free coding clubs for young people.",
        "highlights": ["Awarded 'Teacher of the Month'"],
    }],
    "education": [{
        "institution": "University of Oklahoma",
        "url": "https://www.ou.edu/",
        "area": "Information Technology",
        "studyType": "Bachelor",
        "startDate": "2011-06-01",
        "endDate": "2014-01",
        "score": "4.0",
        "courses": ["DB1101 - Basic SQL", "CS2011 - Java Introduction"],
    }],
    "awards": [{
        "title": "Digital Compression Pioneer Award",
        "date": "2014-11",
        "awarder": "Techcrunch",
        "summary": "There is no spoon.",
    }],
    "certificates": [{
        "name": "Certified Kubernetes Administrator",
        "date": "2021",
        "issuer": "CNCF",
        "url": "https://cncf.example.com/cka/richard",
    }],
    "publications": [{
        "name": "Video compression for 3d media",
        "publisher": "Hooli",
        "releaseDate": "2014-10-01",
        "url": "http://publications.example.com/middle-out",
        "summary": "Innovative middle-out compression algorithm that changes the way we store data.",
    }],
    "skills": [
        {"name": "Web Development", "level": "Master", "keywords": ["HTML", "CSS", "Javascript"]},
        {"name": "Compression", "level": "Master", "keywords": ["Mpeg", "MP4", "GIF"]},
    ],
    "languages": [{"language": "English", "fluency": "Native speaker"},
                  {"language": "Spanish", "fluency": "Professional working proficiency"}],
    "interests": [{"name": "Wildlife", "keywords": ["Ferrets", "Unicorns"]}],
    "references": [{"name": "Erlich Bachman",
                    "reference": "It is my pleasure to recommend Richard, his performance proved his value."}],
    "projects": [{
        "name": "Miss Direction",
        "description": "A mapping engine that misguides you",
        "highlights": ["Won award at AIHacks 2016", "Built by all women team of newbie programmers"],
        "keywords": ["GoogleMaps", "Chrome Extension", "Javascript"],
        "startDate": "2016-08-24",
        "endDate": "2016-08",
        "url": "https://missdirection.example.com",
        "roles": ["Team lead", "Designer"],
        "entity": "Smoogle",
        "type": "application",
    }],
    "meta": {
        "canonical": "https://raw.githubusercontent.com/jsonresume/resume-schema/master/sample.resume.json",
        "version": "v1.0.0",
        "lastModified": "2017-12-24T15:53:00",
    },
}

# One piece of text from every section, as views should show it.
SECTION_SAMPLES = {
    "basics": "Programmer",
    "profiles": "soundcloud.example.com/dandymusicnl",
    "work": "Successfully won Techcrunch Disrupt",
    "volunteer": "CoderDojo",
    "education": "CS2011 - Java Introduction",
    "awards": "Digital Compression Pioneer Award",
    "certificates": "Certified Kubernetes Administrator",
    "publications": "Video compression for 3d media",
    "skills": "Compression (Master)",
    "languages": "Spanish",
    "interests": "Wildlife (Ferrets, Unicorns)",
    "references": "Erlich Bachman",
    "projects": "Miss Direction",
}
TEMPLATES = ("modern", "classic", "creative", "minimal", "executive")


def test_full_json_resume_exports_exactly_as_imported(client, auth):
    assert export_json_resume(client, auth, import_json_resume(client, auth, FULL)["_id"]) == FULL


def test_every_date_keeps_its_precision(client, auth):
    exported = export_json_resume(client, auth, import_json_resume(client, auth, FULL)["_id"])
    dates = {
        (section, i, key): item[key]
        for section, items in FULL.items() if isinstance(items, list)
        for i, item in enumerate(items)
        for key in ("startDate", "endDate", "date", "releaseDate") if key in item
    }
    assert {"2011", "2014-12", "2013-12-01"} <= set(dates.values())
    assert {k: exported[k[0]][k[1]].get(k[2]) for k in dates} == dates


def test_properties_the_schema_does_not_define_are_ignored_and_the_rest_kept(client, auth):
    doc = copy.deepcopy(FULL)
    doc["x-tracking"] = {"source": "somewhere"}
    doc["basics"]["pronouns"] = "he/him"
    doc["work"][0]["team"] = "Core"
    assert export_json_resume(client, auth, import_json_resume(client, auth, doc)["_id"]) == FULL


def test_last_modified_is_the_imported_one_until_the_resume_is_edited(client, auth):
    resume = import_json_resume(client, auth, FULL)
    assert export_json_resume(client, auth, resume["_id"])["meta"]["lastModified"] == "2017-12-24T15:53:00"
    edited = client.patch(f"/api/resumes/{resume['_id']}", json={"summary": "New summary"}, headers=auth).get_json()
    meta = export_json_resume(client, auth, resume["_id"])["meta"]
    assert meta["lastModified"] == edited["updated_at"] and meta["canonical"] == FULL["meta"]["canonical"]


def test_a_link_the_web_client_sets_is_exported_next_to_the_imported_profiles(client, auth):
    resume = import_json_resume(client, auth, FULL)
    info = {**resume["personal_info"], "linkedin": "https://www.linkedin.com/in/richard-new"}
    client.patch(f"/api/resumes/{resume['_id']}", json={"personal_info": info}, headers=auth)
    profiles = export_json_resume(client, auth, resume["_id"])["basics"]["profiles"]
    assert profiles == FULL["basics"]["profiles"] + [
        {"network": "LinkedIn", "username": "richard-new", "url": "https://www.linkedin.com/in/richard-new"}]


def test_new_sections_can_be_written_through_the_resume_api_and_client_resumes_keep_their_shape(client, auth):
    body = {
        **CLIENT_RESUME,
        "awards": [{"title": "Best Analyst", "date": "2021", "awarder": "Engines Ltd", "summary": None}],
        "references": [{"name": "Charles Babbage", "reference": "Brilliant."}],
        "interests": [{"name": "Poetry", "keywords": ["Byron"]}],
    }
    created = client.post("/api/resumes", json=body, headers=auth).get_json()
    assert created["awards"] == body["awards"] and created["references"] == body["references"]
    assert export_json_resume(client, auth, created["_id"])["interests"] == [{"name": "Poetry", "keywords": ["Byron"]}]
    plain = client.post("/api/resumes", json=CLIENT_RESUME, headers=auth).get_json()
    assert set(plain) == {"_id", "user_id", "created_at", "updated_at", "title", "template", "summary",
                          "personal_info", "skills", "experience", "education", "certifications", "languages",
                          "projects"}
    assert set(plain["personal_info"]) == set(CLIENT_RESUME["personal_info"])


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda d: d["volunteer"][0].update(highlights="not a list"), ["volunteer", "0", "highlights"]),
    (lambda d: d["awards"][0].update(summary="x" * 5001), ["awards", "0", "summary"]),
    (lambda d: d.update(references=[{"name": "R", "reference": "ok"}] * 21), ["references"]),
    (lambda d: d["projects"][0].update(roles=[1]), ["projects", "0", "roles", "0"]),
    (lambda d: d["interests"][0].update(keywords="Ferrets"), ["interests", "0", "keywords"]),
    (lambda d: d["meta"].update(lastModified=5), ["meta", "lastModified"]),
])
def test_invalid_new_section_gets_422_naming_the_path(client, auth, mutate, path):
    doc = copy.deepcopy(FULL)
    mutate(doc)
    body = assert_error_shape(client.post("/api/resumes/import", json=doc, headers=auth), 422)
    named = reduce(lambda errors, key: errors[key] if key in errors else errors[int(key)], path, body["errors"]["json"])
    assert named and client.get("/api/resumes", headers=auth).get_json() == []


@pytest.mark.parametrize("template", TEMPLATES)
def test_pdf_and_html_of_the_full_sample_show_every_section(client, auth, template):
    resume_id = import_json_resume(client, auth, FULL)["_id"]
    html = client.get(f"/api/resumes/{resume_id}/html?template={template}", headers=auth)
    assert html.status_code == 200
    page = html.get_data(as_text=True).replace("&#39;", "'")
    assert [s for s in SECTION_SAMPLES.values() if s not in page] == []
    pdf = client.get(f"/api/resumes/{resume_id}/pdf?template={template}", headers=auth)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    squeezed = text.replace(" ", "")
    assert [s for s in SECTION_SAMPLES.values() if s.replace(" ", "") not in squeezed] == []
