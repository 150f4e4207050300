"""`make fuzz`: schemathesis against /openapi.json of a live server, as an authorised user.

Checks: no 5xx, and responses (status codes, content types, bodies) match the documented
schemas. Not part of `make test`: it takes minutes. `--max-examples` trades depth for time.
The AI writing assistant is pointed at the OpenAI-compatible stand-in of the tests
(tests/ai_stub_server.py, loopback only), so POST /api/ai/generate is exercised for real
instead of answering 503 "no provider configured", and e-mail at a local SMTP sink (sends are
queued; no worker runs), and Stripe at stripe-mock (bin/stripe-mock). `--server-log FILE` keeps the server's
output (JSON logs, tracebacks of any 500) for diagnosis.

Operations on one document (``/api/invoices/{invoice_id}/pdf`` ...) answer 404 to random
ids, so the run seeds a document of each kind and fixes the path ids to them through a
schemathesis config file; DELETE operations get a second copy, so the first one lives on.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orbix.dev.mail_sink import MailSink  # noqa: E402
from tests.ai_stub_server import StubServer  # noqa: E402
from tests.stripe_mock import StripeMock  # noqa: E402
from tools.live_stack import call, live_stack, upload  # noqa: E402

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# examples: the documented examples; coverage: boundary values of every constraint (lengths,
# ranges, formats, the dates 0001-01-01 and 9999-12-31, huge exponents), where most 5xx hid;
# fuzzing: random data. Stateful links are not described in our schema, so that phase is off.
PHASES = "examples,coverage,fuzzing"


def _seed_once(base, token):
    """One document of each kind the path ids name: {path parameter: id}."""
    def post(path, body):
        return call(base, "POST", path, body, token=token)

    client = post("/api/clients", {"name": "Seeded", "email": "seeded@example.com"})["_id"]
    project = post("/api/projects", {"name": "Seeded", "client_id": client, "budget": 1000})["_id"]
    entry = post(
        "/api/time-tracking",
        {
            "description": "Seeded",
            "project_id": project,
            "hourly_rate": 80,
            "start_time": "2026-01-05T09:00:00Z",
            "end_time": "2026-01-05T11:00:00Z",
        },
    )["_id"]
    items = [{"description": "Work", "quantity": 2, "rate": 80}]
    invoice = post("/api/invoices", {"client_id": client, "payment_terms": "Net 30", "items": items})["_id"]
    paid = post("/api/invoices", {"client_id": client, "payment_terms": "Net 30", "items": items})["_id"]
    call(base, "PUT", f"/api/invoices/{paid}", {"status": "sent"}, token=token)
    payment = post(f"/api/invoices/{paid}/payments", {"amount": 10})["payments"][0]["_id"]
    schedule = post(
        "/api/recurring-invoices",
        {"client_id": client, "project_id": project, "frequency": "monthly", "start_date": "2031-01-15",
         "payment_terms": "Net 30", "items": items},
    )["_id"]
    template = post("/api/contracts/templates", {"title": "Seeded", "body": "Work for {{ client }} on {{ scope }}"})[
        "_id"
    ]
    contract = post("/api/contracts", {"client_id": client, "title": "Seeded", "content": "Terms."})["_id"]
    signing = post("/api/contracts", {"client_id": client, "title": "To sign", "content": "Terms."})["_id"]
    link = post(f"/api/contracts/{signing}/send", {})["signing_url"].rsplit("/", 1)[1]
    # A public address literal: the endpoint passes the target check without DNS (nothing listens there).
    webhook = post("/api/webhooks", {"url": "https://93.184.215.14/hooks/orbix", "events": ["*"]})["_id"]
    delivery = post(f"/api/webhooks/{webhook}/ping", {})["_id"]
    resume = post(
        "/api/resumes",
        {
            "title": "Seeded",
            "personal_info": {"full_name": "Ada", "email": "ada@example.com"},
            "experience": [{"position": "Engineer", "company": "Co", "achievements": ["Cut costs 30%"]}],
        },
    )["_id"]
    access_token = post("/api/tokens", {"name": "Seeded", "scopes": ["clients:read"]})["_id"]
    receipt = upload(base, "/api/files", "seeded.png", b"\x89PNG\r\n\x1a\n" + bytes(56), token)["_id"]
    category = post("/api/expense-categories", {"name": f"Seeded {receipt}"})["_id"]
    expense = post(
        "/api/expenses",
        {"date": "2026-01-05", "amount": 12.5, "client_id": client, "billable": True, "category_id": category,
         "receipt_file_id": receipt},
    )["_id"]
    rate = post("/api/tax-rates", {"name": f"VAT {receipt}", "percent": 20})["_id"]
    estimate = post("/api/estimates", {"client_id": client, "items": items})["_id"]
    note = post(f"/api/invoices/{paid}/credit-notes",
                {"items": [{"description": "Refund", "quantity": 1, "rate": 5}], "reason": "Seeded"})["_id"]
    ids = {
        "token_id": access_token,
        "rate_id": rate,
        "estimate_id": estimate,
        "note_id": note,
        "client_id": client,
        "project_id": project,
        "entry_id": entry,
        "invoice_id": invoice,
        "schedule_id": schedule,
        "template_id": template,
        "contract_id": contract,
        "resume_id": resume,
        "webhook_id": webhook,
        "delivery_id": delivery,
        "expense_id": expense,
        "category_id": category,
        "file_id": upload(base, "/api/files", "seeded.pdf", b"%PDF-1.7\n" + bytes(56), token)["_id"],
        "token": link,
    }
    return ids, {"invoice_id": paid, "payment_id": payment}


def _config_file(base, token):
    """A schemathesis config fixing every path id to a seeded document (DELETE: another copy)."""

    def table(ids):
        return (
            "{ "
            + ", ".join(f"{json.dumps('path.' + name)} = {json.dumps(value)}" for name, value in ids.items())
            + " }"
        )

    (kept, _), (doomed, payment) = _seed_once(base, token), _seed_once(base, token)
    text = (
        f'parameters = {table(kept)}\n\n[[operations]]\ninclude-method = "DELETE"\nparameters = {table(doomed)}\n\n'
        f'[[operations]]\ninclude-path = "/api/invoices/{{invoice_id}}/payments/{{payment_id}}"\n'
        f"parameters = {table(payment)}\n"
    )
    config = tempfile.NamedTemporaryFile("w", suffix=".toml", prefix="orbix-fuzz-", delete=False)  # noqa: SIM115
    with config:
        config.write(text)
    return config.name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--server-log", help="append the server's output to this file")
    parser.add_argument("extra", nargs="*", help="extra schemathesis arguments")
    args = parser.parse_args()
    limits = {
        "RATELIMIT_DEFAULT": "10000000/minute",
        "RATELIMIT_AUTH": "10000000/minute",
        "RATELIMIT_AI": "10000000/minute",
        "RATELIMIT_PASSWORD": "10000000/minute",
    }
    with (
        StubServer() as ai_stub,
        MailSink() as mail,  # so sending (invoices, estimates, contracts) is exercised, not a 503
        StripeMock() as stripe,  # connecting Stripe checks the key with Stripe: here, stripe-mock
        live_stack(
            log_path=args.server_log, AI_BASE_URL=ai_stub.base_url, AI_MODEL="fuzz-stub", AI_API_KEY="",
            SMTP_URL=mail.url, MAIL_FROM="Orbix <fuzz@orbix.test>", STRIPE_API_BASE=stripe.url, **limits
        ) as (base, _server),
    ):
        user = call(
            base,
            "POST",
            "/api/auth/register",
            {"name": "Fuzz", "email": "fuzz@example.com", "password": "fuzzing password"},
        )
        config = _config_file(base, user["token"])
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            config,
            "run",
            f"{base}/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            PHASES,
            "--max-examples",
            str(args.max_examples),
            "-H",
            f"Authorization: Bearer {user['token']}",
            # Deleting the account or changing its password would log the fuzzer out mid-run.
            "--exclude-path",
            "/api/auth/me",
            "--exclude-path",
            "/api/auth/me/password",
            "--exclude-path",
            "/api/auth/logout",
            *args.extra,
        ]
        try:
            return subprocess.run(command).returncode
        finally:
            Path(config).unlink()


if __name__ == "__main__":
    sys.exit(main())
