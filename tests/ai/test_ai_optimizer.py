"""The deterministic optimizer on a small hand-made corpus, through HTTP and directly."""

import pytest

from orbix.ai import optimizer
from tests.factories import assert_error_shape, make_resume
from tests.resume_samples import JOB, MATCHING

UNRELATED = """John Smith
Experience
Barista at Cafe. Responsible for coffee and customer service.
Education
High school
"""

PARTIAL = (
    MATCHING.replace("Redis caching", "caching").replace(", Redis", "").replace(" on AWS", "").replace(", AWS", "")
)


def optimize(client, auth, resume, job=JOB):
    response = client.post("/api/ai/optimize-resume", json={"resume": resume, "job_description": job}, headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_score_is_the_weighted_sum_of_its_explained_parts(client, auth):
    body = optimize(client, auth, MATCHING)
    assert set(body) >= {"score", "suggestions", "missing_keywords", "strengths", "breakdown"}
    assert 0 <= body["score"] <= 100 and all(isinstance(s, str) for s in body["suggestions"] + body["strengths"])
    parts = body["breakdown"]
    expected = round(
        parts["keywords"]["weight"] * parts["keywords"]["score"] + parts["ats"]["weight"] * parts["ats"]["score"]
    )
    assert body["score"] == expected
    assert sum(c["points"] for c in parts["ats"]["checks"]) * 100 // sum(
        c["max_points"] for c in parts["ats"]["checks"]
    ) in (parts["ats"]["score"], parts["ats"]["score"] - 1)


def test_matching_resume_scores_higher_than_partial_and_unrelated(client, auth):
    matching, partial, unrelated = (optimize(client, auth, text)["score"] for text in (MATCHING, PARTIAL, UNRELATED))
    assert matching > partial > unrelated
    assert matching >= 70 and unrelated <= 30


def test_missing_keywords_are_the_ones_actually_missing(client, auth):
    body = optimize(client, auth, PARTIAL)
    missing = {k.lower() for k in body["missing_keywords"]}
    assert {"redis", "aws"} <= missing
    for present in ("python", "django", "postgresql", "docker", "kubernetes", "node.js", "rest apis"):
        assert present not in missing
    full = {k.lower() for k in optimize(client, auth, MATCHING)["missing_keywords"]}
    assert not ({"redis", "aws", "python"} & full)


def test_stop_words_and_filler_are_never_key_terms():
    terms = {t.key for t in optimizer.extract_terms(JOB)}
    assert {"python", "django", "postgresql", "redis", "docker", "kubernetes", "aws", "nodejs"} <= terms
    assert not terms & {"the", "with", "we", "are", "experience", "year", "strong", "required", "5", "plus", "looking"}


@pytest.mark.parametrize(
    ("job_word", "resume_word"),
    [
        ("Node.js", "nodejs"),
        ("Node.js", "NodeJS"),
        ("APIs", "API"),
        ("PostgreSQL", "postgresql"),
        ("CI/CD", "CICD"),
        ("Libraries", "library"),
        ("React.", "react"),
    ],
)
def test_normalisation_matches_case_plurals_and_punctuation(job_word, resume_word):
    result = optimizer.analyse(f"Skills: {resume_word}", f"Must know {job_word} and {job_word}")
    assert result["missing_keywords"] == [], result


def test_empty_job_description_scores_ats_basics_alone(client, auth):
    body = optimize(client, auth, MATCHING, job="")
    assert body["breakdown"]["keywords"]["score"] is None and body["breakdown"]["ats"]["weight"] == 1.0
    assert body["score"] == body["breakdown"]["ats"]["score"] and body["missing_keywords"] == []
    assert optimize(client, auth, UNRELATED, job="")["score"] < body["score"]


def test_ats_checks_name_what_is_missing(client, auth):
    checks = {c["name"]: c for c in optimize(client, auth, UNRELATED)["breakdown"]["ats"]["checks"]}
    assert not checks["contact"]["passed"] and "email missing" in checks["contact"]["detail"]
    assert "skills" in checks["sections"]["detail"].split("missing:")[1]
    assert not checks["weak_phrases"]["passed"]
    assert checks["quantified_achievements"]["points"] == 0


def test_same_input_gives_the_same_output(client, auth):
    assert optimize(client, auth, PARTIAL) == optimize(client, auth, PARTIAL)
    assert optimizer.analyse(PARTIAL, JOB) == optimizer.analyse(PARTIAL, JOB)


def test_stored_resume_can_be_optimized_by_id_and_by_legacy_body(client, auth, other_auth):
    resume = make_resume(client, auth)
    job = "Kubernetes and Python engineer who knows Terraform and Terraform modules"
    by_id = client.post(f"/api/resumes/{resume['_id']}/optimize", json={"job_description": job}, headers=auth)
    assert by_id.status_code == 200
    assert "terraform" in [k.lower() for k in by_id.get_json()["missing_keywords"]]
    assert "Kubernetes" in by_id.get_json()["matched_keywords"]
    legacy = client.post(
        "/api/resumes/optimize", json={"resume_id": resume["_id"], "job_description": job}, headers=auth
    )
    assert legacy.get_json() == by_id.get_json()
    theirs = client.post(
        "/api/resumes/optimize", json={"resume_id": resume["_id"], "job_description": job}, headers=other_auth
    )
    assert "resume_id" in assert_error_shape(theirs, 422)["errors"]["json"]


@pytest.mark.parametrize(
    "body",
    [
        {"job_description": "x"},
        {"resume": "", "job_description": "x"},
        {"resume": "x" * 20_001},
        {"resume": "ok", "job_description": "x" * 20_001},
        {"resume": 5},
    ],
)
def test_bad_optimizer_input_is_422(client, auth, body):
    assert_error_shape(client.post("/api/ai/optimize-resume", json=body, headers=auth), 422)


def test_optimizer_calls_are_recorded_as_usage(client, auth, other_auth):
    optimize(client, auth, MATCHING)
    records = client.get("/api/ai/usage", headers=auth).get_json()
    assert (
        len(records) == 1
        and records[0]["task"] == "optimize"
        and records[0]["chars_in"] == len(MATCHING.strip()) + len(JOB)
    )
    assert client.get("/api/ai/usage", headers=other_auth).get_json() == []
