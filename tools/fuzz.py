"""`make fuzz`: schemathesis against /openapi.json of a live server, as an authorised user.

Checks: no 5xx, and responses (status codes, content types, bodies) match the documented
schemas. Not part of `make test`: it takes minutes. `--max-examples` trades depth for time.
The AI writing assistant is pointed at the OpenAI-compatible stand-in of the tests
(tests/ai_stub_server.py, loopback only), so POST /api/ai/generate is exercised for real
instead of answering 503 "no provider configured". `--server-log FILE` keeps the server's
output (JSON logs, tracebacks of any 500) for diagnosis.
"""

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.ai_stub_server import StubServer  # noqa: E402
from tools.live_stack import call, live_stack  # noqa: E402

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# examples: the documented examples; coverage: boundary values of every constraint (lengths,
# ranges, formats, the dates 0001-01-01 and 9999-12-31, huge exponents), where most 5xx hid;
# fuzzing: random data. Stateful links are not described in our schema, so that phase is off.
PHASES = "examples,coverage,fuzzing"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--server-log", help="append the server's output to this file")
    parser.add_argument("extra", nargs="*", help="extra schemathesis arguments")
    args = parser.parse_args()
    limits = {"RATELIMIT_DEFAULT": "10000000/minute", "RATELIMIT_AUTH": "10000000/minute",
              "RATELIMIT_AI": "10000000/minute", "RATELIMIT_PASSWORD": "10000000/minute"}
    with StubServer() as ai_stub, live_stack(log_path=args.server_log, AI_BASE_URL=ai_stub.base_url,
                                             AI_MODEL="fuzz-stub", AI_API_KEY="", **limits) as (base, _server):
        user = call(base, "POST", "/api/auth/register", {"name": "Fuzz", "email": "fuzz@example.com", "password": "fuzzing password"})
        command = [
            str(Path(sys.executable).parent / "schemathesis"), "run", f"{base}/openapi.json",
            "--checks", CHECKS, "--phases", PHASES, "--max-examples", str(args.max_examples),
            "-H", f"Authorization: Bearer {user['token']}",
            # Deleting the account or changing its password would log the fuzzer out mid-run.
            "--exclude-path", "/api/auth/me", "--exclude-path", "/api/auth/me/password",
            "--exclude-path", "/api/auth/logout",
            *args.extra,
        ]
        return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
