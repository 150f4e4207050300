"""Requests that would cost too much are refused with a 422 naming the limit, or cost
little: one user must not be able to tie up a worker thread (gunicorn never times out a
gthread request)."""

import threading

import pytest
from bson import ObjectId

from orbix.common import timeutil
from tests.factories import assert_error_shape

LONG_WORDS = ("Designed and shipped features used by millions of customers every day. " * 80)[:5000]


def new_client(client, auth):
    response = client.post("/api/clients", json={"name": "Acme", "email": "ap@acme.example"}, headers=auth)
    assert response.status_code == 201
    return response.get_json()["_id"]


def new_template(client, auth, body, variables):
    return client.post(
        "/api/contracts/templates", json={"title": "Mine", "body": body, "variables": variables}, headers=auth
    )


def answered_within(request, seconds):
    """The response of ``request()``, or None when it is still running after ``seconds``
    (the request keeps running in a daemon thread: the point is that it did not answer)."""
    result = []
    worker = threading.Thread(target=lambda: result.append(request()), daemon=True)
    worker.start()
    worker.join(seconds)
    return result[0] if result else None


# ---- contract templates ------------------------------------------------------------------


def test_a_template_with_more_than_500_placeholders_is_422_naming_the_limit(client, auth):
    response = new_template(client, auth, "{{ a }} " * 501, [{"name": "a"}])
    message = assert_error_shape(response, 422)["errors"]["json"]["body"][0]
    assert "At most 500 placeholders" in message


@pytest.mark.parametrize("path", ["/api/contracts/render", "/api/contracts"])
def test_rendering_past_the_content_cap_is_422_naming_it(client, auth, db, path):
    template = new_template(client, auth, "{{ x }}\n" * 11, [{"name": "x", "type": "longtext"}]).get_json()
    body = {"template": template["_id"], "client_id": new_client(client, auth), "variables": {"x": "y" * 20000}}
    message = assert_error_shape(client.post(path, json=body, headers=auth), 422)["errors"]["json"]["content"][0]
    assert "220010 characters" in message and "limited to 200000" in message
    assert db.contracts.count_documents({}) == 0


def test_rendering_up_to_the_content_cap_is_served(client, auth):
    template = new_template(client, auth, "{{ x }}" * 10, [{"name": "x", "type": "longtext"}]).get_json()
    body = {"template": template["_id"], "client_id": new_client(client, auth), "variables": {"x": "y" * 20000}}
    response = client.post("/api/contracts/render", json=body, headers=auth)
    assert response.status_code == 200
    assert len(response.get_json()["content"]) == 200_000


def test_an_email_variable_longer_than_254_characters_is_422(client, auth):
    template = new_template(
        client, auth, "Reach me at {{ contact }}", [{"name": "contact", "type": "email"}]
    ).get_json()
    address = "a@" + "b." * 20000 + "com"  # a valid format, 40 KB long
    body = {"template": template["_id"], "client_id": new_client(client, auth), "variables": {"contact": address}}
    errors = assert_error_shape(client.post("/api/contracts/render", json=body, headers=auth), 422)["errors"]["json"]
    assert errors["variables"]["contact"] == ["Longer than maximum length 254."]


def test_the_pdf_of_a_stored_contract_too_long_to_print_is_422_naming_the_limit(client, auth, user, db):
    now = timeutil.utcnow()
    contract_id = db.contracts.insert_one(
        {
            "user_id": ObjectId(user["id"]),
            "client_id": ObjectId(new_client(client, auth)),
            "title": "Huge",
            "content": "Clause. " * 40_000,
            "status": "draft",
            "currency": "USD",
            "value": None,
            "start_date": None,
            "end_date": None,
            "created_at": now,
            "updated_at": now,
        }
    ).inserted_id
    response = client.get(f"/api/contracts/{contract_id}/pdf", headers=auth)
    assert "at most 200000 can be rendered as a PDF" in assert_error_shape(response, 422)["message"]


def test_the_pdf_of_an_invoice_with_too_much_text_is_422_naming_the_limit(client, auth):
    items = [{"description": LONG_WORDS[:1000], "quantity": 1, "rate": 10}] * 101
    body = {"client_id": new_client(client, auth), "due_date": "2030-01-01", "items": items}
    invoice = client.post("/api/invoices", json=body, headers=auth).get_json()
    response = client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth)
    assert "at most 100000 can be rendered as a PDF" in assert_error_shape(response, 422)["message"]


# ---- reports -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, query",
    [
        ("revenue", "group=week&from=1900-01-01&to=2026-12-31"),
        ("revenue", "group=month&from=1000-01-01&to=2026-12-31"),
        ("hours", "group=week&from=1900-01-01&to=2026-12-31"),
        ("revenue", "group=week&from=0001-01-08&to=9999-12-20&format=csv"),
    ],
)
def test_a_report_of_more_than_4000_periods_is_422_naming_the_maximum(client, auth, path, query):
    body = assert_error_shape(client.get(f"/api/reports/{path}?{query}", headers=auth), 422)
    assert "At most 4000 periods" in body["errors"]["query"]["from"][0]


def test_a_report_of_4000_weeks_is_served(client, auth):
    response = client.get("/api/reports/revenue?group=week&from=1950-01-02&to=2026-08-30", headers=auth)
    assert response.status_code == 200
    assert len(response.get_json()["periods"]) == 4000


# ---- the resume optimizer and resumes ----------------------------------------------------


def test_the_optimizer_answers_on_20000_digits_without_a_space(client, auth):
    """Its number pattern re-walked the digits from every position: about 40 s of one thread."""
    body = {"resume": "1" * 19_970 + "a\nCut costs by 30%", "job_description": "Python developer"}
    response = answered_within(lambda: client.post("/api/ai/optimize-resume", json=body, headers=auth), 10)
    assert response is not None, "the optimizer did not answer within 10 s"
    assert response.status_code == 200
    checks = {check["name"]: check for check in response.get_json()["breakdown"]["ats"]["checks"]}
    assert checks["quantified_achievements"]["detail"] == "1 line(s) with numbers"


def test_the_optimizer_finds_the_contacts_after_20000_characters_without_a_space(client, auth):
    body = {"resume": "x" * 19_950 + " ada@example.com +44 20 7946 0958", "job_description": ""}
    response = client.post("/api/ai/optimize-resume", json=body, headers=auth)
    assert response.status_code == 200
    checks = {check["name"]: check for check in response.get_json()["breakdown"]["ats"]["checks"]}
    assert checks["contact"]["detail"] == "email found, phone found"


def big_resume(client, auth, experiences):
    body = {
        "title": "Long",
        "personal_info": {"full_name": "Ada"},
        "experience": [{"position": "Engineer", "company": "Co", "description": LONG_WORDS}] * experiences,
    }
    response = client.post("/api/resumes", json=body, headers=auth)
    assert response.status_code == 201
    return response.get_json()["_id"]


def test_the_pdf_of_a_resume_too_long_to_print_is_422_naming_the_limit(client, auth):
    resume_id = big_resume(client, auth, 45)
    response = client.get(f"/api/resumes/{resume_id}/pdf", headers=auth)
    assert "at most 200000 can be rendered as a PDF" in assert_error_shape(response, 422)["message"]
    assert client.get(f"/api/resumes/{resume_id}/html", headers=auth).status_code == 200


def test_optimizing_a_stored_resume_longer_than_the_optimizer_reads_is_422(client, auth):
    resume_id = big_resume(client, auth, 5)
    response = client.post(f"/api/resumes/{resume_id}/optimize", json={"job_description": "Python"}, headers=auth)
    assert "the optimizer reads at most 20000" in assert_error_shape(response, 422)["message"]


# ---- downloads and e-mail addresses ------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/time-tracking/export.csv", "/api/invoices/export.csv"])
def test_a_csv_export_states_its_row_limit(client, auth, path):
    response = client.get(path, headers=auth)
    assert response.status_code == 200
    assert response.headers["X-Row-Limit"] == "100000"


def test_a_client_email_longer_than_254_characters_is_refused_before_its_format_is_checked(client, auth):
    body = {"name": "Long", "email": "a" * 300 + "@@"}
    errors = assert_error_shape(client.post("/api/clients", json=body, headers=auth), 422)["errors"]["json"]
    assert errors["email"] == ["Longer than maximum length 254."]
