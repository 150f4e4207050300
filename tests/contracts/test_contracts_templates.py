"""Contract templates: the built-ins, rendering, injection safety, user templates."""

import pytest

from tests.factories import CONTRACT_TEMPLATE, assert_error_shape, make_client, make_contract, make_contract_template

BUILTIN_KEYS = ["freelance_services", "employment", "partnership", "service_agreement", "nda"]
SAMPLES = {"text": "Sample text", "longtext": "Line one\nLine two", "date": "2026-04-15", "money": 2500.75,
           "number": 40, "email": "sample@example.org"}
SHOWN = {"date": "15 April 2026", "money": "$2,500.75"}


def builtin(client, auth, key):
    templates = client.get("/api/contracts/templates", headers=auth).get_json()
    return next(t for t in templates if t["key"] == key)


def sample_variables(template):
    return {v["name"]: f"{v['name']} value" if v["type"] in ("text", "longtext") else SAMPLES[v["type"]]
            for v in template["variables"]}


def render(client, auth, **body):
    return client.post("/api/contracts/render", json=body, headers=auth)


def test_lists_the_five_builtins_with_variables(client, auth):
    response = client.get("/api/contracts/templates", headers=auth)
    assert response.status_code == 200
    templates = response.get_json()
    assert [t["key"] for t in templates] == BUILTIN_KEYS
    for template in templates:
        assert template["builtin"] is True and template["title"] and template["description"]
        for variable in template["variables"]:
            assert {"name", "label", "required", "type"} <= variable.keys()
        assert any(v["required"] for v in template["variables"])


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_builtin_renders_with_its_variables(client, auth, key):
    template = builtin(client, auth, key)
    variables = sample_variables(template)
    response = render(client, auth, template=key, variables=variables)
    assert response.status_code == 200, response.get_json()
    content = response.get_json()["content"]
    assert "{{" not in content and "}}" not in content
    assert content.startswith(template["title"].upper())
    assert "1. " in content and "Signature: ____" in content
    for variable in template["variables"]:
        expected = SHOWN.get(variable["type"], str(variables[variable["name"]]))
        assert expected in content, variable["name"]


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_builtin_refuses_each_missing_required_variable(client, auth, key):
    template = builtin(client, auth, key)
    for variable in (v for v in template["variables"] if v["required"]):
        variables = {**sample_variables(template), variable["name"]: ""}
        error = assert_error_shape(render(client, auth, template=key, variables=variables), 422)
        assert list(error["errors"]["json"]["variables"]) == [variable["name"]]
        assert variable["name"] in error["message"]


def test_missing_variables_are_all_named(client, auth):
    error = assert_error_shape(render(client, auth, template="nda", variables={}), 422)
    missing = error["errors"]["json"]["variables"]
    assert {"party_b_name", "purpose"} <= missing.keys()
    assert "party_a_name" not in missing  # defaulted from the business profile


def test_defaults_come_from_profile_and_client(client, auth):
    client.patch("/api/auth/me", json={"business_name": "Lovelace Studio", "default_currency": "GBP"}, headers=auth)
    client_id = make_client(client, auth, name="Grace Hopper", company="Navy Labs", address="1 Harbour Rd")["_id"]
    body = render(client, auth, template="freelance_services", client_id=client_id, value=1000, start_date="2026-05-01",
                  variables={"scope": "Compilers"}).get_json()
    content = body["content"]
    assert "Party A: Lovelace Studio, represented by Ada Lovelace" in content
    assert "Party B: Navy Labs, represented by Grace Hopper" in content and "1 Harbour Rd" in content
    assert "£1,000.00" in content and "1 May 2026" in content
    assert body["variables"]["fee"] == "1000.00" and body["variables"]["start_date"] == "2026-05-01"


@pytest.mark.parametrize("field, value, message", [
    ("start_date", "soon", "date"),
    ("fee", "a lot", "valid amount"),
    ("fee", True, "valid amount"),
    ("fee", 10**13, "exceed"),
    ("fee", -5, "negative"),
    ("party_a_email", "not-an-email", "email"),
    ("scope", ["a", "list"], "text"),
    ("scope", "x" * 20001, "Longer"),
    ("unknown_thing", "x", "Not a variable"),
])
def test_bad_variable_values_are_422_naming_them(client, auth, field, value, message):
    variables = {**sample_variables(builtin(client, auth, "freelance_services")), field: value}
    error = assert_error_shape(render(client, auth, template="freelance_services", variables=variables), 422)
    assert message.lower() in " ".join(error["errors"]["json"]["variables"][field]).lower()


def test_unknown_template_is_422(client, auth):
    error = assert_error_shape(render(client, auth, template="will", variables={}), 422)
    assert "template" in error["errors"]["json"]
    error = assert_error_shape(render(client, auth, variables={}), 422)
    assert "template" in error["errors"]["json"]


@pytest.mark.parametrize("payload", [
    "{{ 7*7 }}",
    "{% for i in range(10) %}x{% endfor %}",
    "{{ party_a_name }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${7*7} #{7*7} <script>alert(1)</script>",
])
def test_variable_values_are_inserted_literally(client, auth, payload):
    variables = {**sample_variables(builtin(client, auth, "nda")), "purpose": payload, "party_b_name": payload}
    response = render(client, auth, template="nda", variables=variables)
    assert response.status_code == 200, response.get_json()
    content = response.get_json()["content"]
    assert content.count(payload) == 3  # parties line, signature block, purpose
    assert "49" not in content


def test_create_from_template_renders_server_side(client, auth):
    client_id = make_client(client, auth)["_id"]
    response = client.post("/api/contracts", json={
        "client_id": client_id, "template": "nda", "currency": "EUR",
        "variables": {"purpose": "{{ 7*7 }} evaluate a partnership", "effective_date": "2026-06-01"},
    }, headers=auth)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "Mutual Non-Disclosure Agreement" and body["template"] == "nda"
    assert "{{ 7*7 }} evaluate a partnership" in body["content"] and "1 June 2026" in body["content"]
    assert body["variables"]["party_b_name"] == "Acme Ltd"


def test_create_from_template_with_missing_variable_is_422_and_saves_nothing(client, auth):
    client_id = make_client(client, auth)["_id"]
    error = assert_error_shape(
        client.post("/api/contracts", json={"client_id": client_id, "template": "nda", "variables": {}}, headers=auth),
        422,
    )
    assert "purpose" in error["errors"]["json"]["variables"]
    assert client.get("/api/contracts", headers=auth).get_json() == []


def test_content_and_template_together_is_422(client, auth):
    body = {
        "client_id": make_client(client, auth)["_id"],
        "title": "T",
        "content": "C",
        "template": "nda",
        "variables": {},
    }
    error = assert_error_shape(client.post("/api/contracts", json=body, headers=auth), 422)
    assert "content" in error["errors"]["json"]


def test_draft_rerenders_when_variables_change(client, auth):
    client_id = make_client(client, auth)["_id"]
    created = client.post(
        "/api/contracts",
        json={"client_id": client_id, "template": "nda", "variables": {"purpose": "first talks"}},
        headers=auth,
    ).get_json()
    response = client.patch(
        f"/api/contracts/{created['_id']}", json={"variables": {"purpose": "second talks"}}, headers=auth
    )
    assert response.status_code == 200, response.get_json()
    assert "second talks" in response.get_json()["content"] and "first talks" not in response.get_json()["content"]


def test_raw_content_contract_cannot_take_variables(client, auth):
    created = make_contract(client, auth)
    error = assert_error_shape(
        client.patch(f"/api/contracts/{created['_id']}", json={"variables": {"a": "b"}}, headers=auth), 422
    )
    assert "template" in error["errors"]["json"]


# ---- user templates -----------------------------------------------------------------------


def post_template(client, auth, **fields):
    """The response to creating the retainer of CONTRACT_TEMPLATE with ``fields`` changed."""
    return client.post("/api/contracts/templates", json={**CONTRACT_TEMPLATE, **fields}, headers=auth)


def test_user_template_renders_with_its_defaults_until_deleted(client, auth):
    template = make_contract_template(client, auth)
    assert template["builtin"] is False and template["key"] == template["_id"]
    assert [t["key"] for t in client.get("/api/contracts/templates", headers=auth).get_json()][-1] == template["key"]
    client_id = make_client(client, auth)["_id"]
    content = render(
        client, auth, template=template["key"], client_id=client_id, currency="USD", variables={"monthly_fee": 900}
    ).get_json()["content"]
    assert content == "RETAINER\n\n1. Ada Lovelace helps Acme Ltd with general matters for $900.00."
    updated = client.put(f"/api/contracts/templates/{template['_id']}", json={"title": "Retainer v2"}, headers=auth)
    assert updated.status_code == 200 and updated.get_json()["title"] == "Retainer v2"
    deleted = client.delete(f"/api/contracts/templates/{template['_id']}", headers=auth)
    assert deleted.get_json() == {"message": "Template deleted"}
    assert_error_shape(client.get(f"/api/contracts/templates/{template['_id']}", headers=auth), 404)


def test_user_template_without_declared_variables_declares_placeholders(client, auth):
    response = client.post(
        "/api/contracts/templates",
        json={"title": "Hi", "body": "Hello {{ who }}, {{who}} again. {{ 7*7 }} stays."},
        headers=auth,
    )
    assert response.status_code == 201, response.get_json()
    template = response.get_json()
    assert [(v["name"], v["required"], v["type"]) for v in template["variables"]] == [("who", True, "text")]
    content = render(client, auth, template=template["key"], variables={"who": "{{ who }}"}).get_json()["content"]
    assert content == "Hello {{ who }}, {{ who }} again. {{ 7*7 }} stays."


def test_user_template_with_undeclared_placeholder_is_422(client, auth):
    error = assert_error_shape(post_template(client, auth, body="{{ party_a_name }} and {{ surprise }}"), 422)
    assert "surprise" in error["message"] and "body" in error["errors"]["json"]


@pytest.mark.parametrize(
    "variables",
    [
        [{"name": "Bad-Name"}],
        [{"name": "x", "type": "script"}],
        [{"name": "x"}, {"name": "x"}],
        "nope",
    ],
)
def test_user_template_bad_variables_are_422(client, auth, variables):
    error = assert_error_shape(post_template(client, auth, body="{{ x }}", variables=variables), 422)
    assert "variables" in error["errors"]["json"]


def test_builtin_templates_are_read_only(client, auth):
    assert_error_shape(client.put("/api/contracts/templates/nda", json={"title": "Mine"}, headers=auth), 409)
    assert_error_shape(client.delete("/api/contracts/templates/nda", headers=auth), 409)
    assert client.get("/api/contracts/templates/nda", headers=auth).get_json()["key"] == "nda"


def test_other_users_template_is_invisible(client, auth, other_auth):
    template = make_contract_template(client, auth)
    assert_error_shape(client.get(f"/api/contracts/templates/{template['_id']}", headers=other_auth), 404)
    assert_error_shape(
        client.patch(f"/api/contracts/templates/{template['_id']}", json={"title": "x"}, headers=other_auth), 404
    )
    assert_error_shape(client.delete(f"/api/contracts/templates/{template['_id']}", headers=other_auth), 404)
    error = assert_error_shape(render(client, other_auth, template=template["_id"], variables={}), 422)
    assert "template" in error["errors"]["json"]
    assert len(client.get("/api/contracts/templates", headers=other_auth).get_json()) == len(BUILTIN_KEYS)
