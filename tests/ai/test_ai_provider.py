"""The writing assistant and the provider paths, against a loopback OpenAI-compatible stand-in."""

import pytest

from orbix.ai import optimizer
from orbix.ai.routes import generate, optimize_resume
from orbix.resumes import routes as resume_routes
from tests.ai_stub_server import StubServer
from tests.factories import assert_error_shape
from tests.resume_samples import JOB, MATCHING


@pytest.fixture
def stub(app, monkeypatch):
    """A running stand-in, configured as the app's provider (restored after the test)."""
    with StubServer() as server:
        monkeypatch.setitem(app.config, "AI_BASE_URL", server.base_url)
        monkeypatch.setitem(app.config, "AI_MODEL", "stub-model")
        monkeypatch.setitem(app.config, "AI_API_KEY", "sk-test")
        monkeypatch.setitem(app.config, "AI_TIMEOUT_SECONDS", 1)
        monkeypatch.setitem(app.config, "AI_RETRY_BACKOFF_SECONDS", 0.01)
        yield server


def generate_call(client, auth, **body):
    return client.post("/api/ai/generate", json={"task": "improve", "tone": "formal", "input": "me write good", **body},
                       headers=auth)


def test_generate_returns_the_providers_content_and_records_usage(client, auth, stub):
    stub.script = [("ok", "  I write well.  ")]
    response = generate_call(client, auth)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"content": "I write well.", "model": "stub-model"}
    sent = stub.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["headers"]["Authorization"] == "Bearer sk-test"
    assert sent["json"]["model"] == "stub-model" and "formal" in sent["json"]["messages"][1]["content"]
    assert "me write good" in sent["json"]["messages"][1]["content"]
    usage = client.get("/api/ai/usage", headers=auth).get_json()
    assert len(usage) == 1
    assert {
        k: usage[0][k] for k in ("task", "status", "chars_in", "chars_out", "prompt_tokens", "total_tokens", "model")
    } == {
        "task": "improve",
        "status": "ok",
        "chars_in": 13,
        "chars_out": 13,
        "prompt_tokens": 11,
        "total_tokens": 18,
        "model": "stub-model",
    }
    assert usage[0]["latency_ms"] >= 0
    summary = client.get("/api/ai/usage/summary", headers=auth).get_json()
    assert summary == {
        "calls": 1,
        "errors": 0,
        "chars_in": 13,
        "chars_out": 13,
        "total_tokens": 18,
        "by_task": {"improve": 1},
    }


def test_templates_send_their_context(client, auth, stub):
    response = client.post(
        "/api/ai/generate",
        headers=auth,
        json={"task": "cover_letter", "context": {"role": "Data Engineer", "company": "Initech", "name": "Ada"}},
    )
    assert response.status_code == 200
    prompt = stub.requests[0]["json"]["messages"][1]["content"]
    assert "cover letter" in prompt and "Initech" in prompt and "Data Engineer" in prompt


def test_429_then_success_is_retried_once(client, auth, stub):
    stub.script = [("status", 429), ("ok", "second time lucky")]
    response = generate_call(client, auth)
    assert response.status_code == 200 and response.get_json()["content"] == "second time lucky"
    assert len(stub.requests) == 2


def test_two_server_errors_give_502_after_one_retry(client, auth, stub):
    stub.script = [("status", 500), ("status", 503)]
    body = assert_error_shape(generate_call(client, auth), 502)
    assert "HTTP 503" in body["message"] and len(stub.requests) == 2
    usage = client.get("/api/ai/usage", headers=auth).get_json()
    assert usage[0]["status"] == "error" and usage[0]["error_code"] == 502


def test_rejected_key_is_502_without_retry(client, auth, stub):
    stub.script = [("status", 401)]
    assert "AI_API_KEY" in assert_error_shape(generate_call(client, auth), 502)["message"]
    assert len(stub.requests) == 1


def test_slow_provider_times_out_with_504(client, auth, stub):
    stub.script = [("sleep", 2.5)]
    body = assert_error_shape(generate_call(client, auth), 504)
    assert "in time" in body["message"] and len(stub.requests) == 1


@pytest.mark.parametrize(
    "raw", [b"not json", b'{"choices": []}', b'{"choices": [{"message": {"content": ""}}]}', b"[1]"]
)
def test_malformed_reply_is_502(client, auth, stub, raw):
    stub.script = [("raw", raw)]
    assert_error_shape(generate_call(client, auth), 502)


def test_unreachable_provider_is_502(client, auth, app, monkeypatch):
    with StubServer() as server:
        url = server.base_url  # the port is free again once the stand-in stops
    monkeypatch.setitem(app.config, "AI_BASE_URL", url)
    monkeypatch.setitem(app.config, "AI_MODEL", "m")
    assert "Could not reach" in assert_error_shape(generate_call(client, auth), 502)["message"]


def test_unconfigured_provider_is_503_saying_how_to_configure(client, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "AI_BASE_URL", None)
    message = assert_error_shape(generate_call(client, auth), 503)["message"]
    assert "AI_BASE_URL" in message and "AI_MODEL" in message
    assert client.get("/api/ai/usage", headers=auth).get_json() == []


def test_optimizer_adds_provider_suggestions_but_keeps_its_own_score(client, auth, stub):
    expected = optimizer.analyse(MATCHING.strip(), JOB)
    stub.script = [("ok", "- Lead with your Kubernetes work\n- Add a link to your GitHub\n")]
    response = client.post("/api/ai/optimize-resume", json={"resume": MATCHING, "job_description": JOB}, headers=auth)
    body = response.get_json()
    assert body["score"] == expected["score"] and body["breakdown"] == expected["breakdown"]
    assert body["ai"]["status"] == "used"
    assert body["suggestions"] == expected["suggestions"] + [
        "AI: Lead with your Kubernetes work",
        "AI: Add a link to your GitHub",
    ]
    assert "resume" in stub.requests[0]["json"]["messages"][0]["content"].lower()


def test_optimizer_survives_a_failing_provider(client, auth, stub):
    stub.script = [("status", 500), ("status", 500)]
    response = client.post("/api/ai/optimize-resume", json={"resume": MATCHING, "job_description": JOB}, headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["ai"]["status"] == "unavailable" and body["score"] > 0
    assert not any(s.startswith("AI:") for s in body["suggestions"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"task": "poem", "input": "x"}, "task"),
        ({"task": "improve", "tone": "angry", "input": "x"}, "tone"),
        ({"task": "improve"}, "input"),
        ({"task": "grammar", "input": "   "}, "input"),
        ({"task": "write"}, "input"),
        ({"task": "improve", "input": "x" * 20_001}, "input"),
        ({"task": "bio", "context": {"details": "x" * 5001}}, "context"),
    ],
)
def test_bad_generate_input_is_422_naming_the_field(client, auth, stub, body, field):
    response = client.post("/api/ai/generate", json=body, headers=auth)
    assert field in assert_error_shape(response, 422)["errors"]["json"]
    assert stub.requests == []


def test_ai_endpoints_carry_the_rate_limit_hook():
    """The rate limiter finds every AI endpoint through this marker."""
    assert generate.ai_rate_limited and optimize_resume.ai_rate_limited
    assert resume_routes.optimize_resume.ai_rate_limited and resume_routes.optimize_legacy.ai_rate_limited
    assert not getattr(resume_routes.get_resume, "ai_rate_limited", False)
