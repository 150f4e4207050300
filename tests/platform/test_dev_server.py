"""`make run` (tools/serve.py) as a developer runs it: the embedded database, a redis-server and
gunicorn. If the database dies it is restarted on the same port and files, and the API, which
answered 503 meanwhile, recovers without a restart."""

import contextlib
import email
import email.policy
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from orbix.dev.redis_server import free_port
from tools.live_stack import call, wait_ready

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a dev server password"
# Inherited settings that would make serve.py use something other than what it starts.
NOT_INHERITED = ("MONGO_URI", "MONGO_DB_NAME", "RATELIMIT_STORAGE_URI", "PROMETHEUS_MULTIPROC_DIR", "SMTP_URL",
                 "MAIL_FROM", "JOBS_REDIS_URL", "JOBS_QUEUE")


def _children(pid):
    """(pid, command line) of the direct children of ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # the process ended meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def _database_pid(serve_pid):
    pids = [pid for pid, cmdline in _children(serve_pid) if "orbix-ferretdb" in cmdline]
    return pids[0] if pids else None


@contextmanager
def serving(tmp_path):
    """Yields (base url, serve.py process); every process it started is gone afterwards."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(PORT=str(port), HOST="127.0.0.1", ORBIX_DB_LISTEN=f"127.0.0.1:{free_port()}",
               ORBIX_REDIS_PORT=str(free_port()), ORBIX_MAIL_PORT=str(free_port()),
               ORBIX_INSTANCE_DIR=str(tmp_path / "instance"),
               WEB_CONCURRENCY="1", GUNICORN_THREADS="2", LOG_LEVEL="WARNING", BCRYPT_ROUNDS="4")
    with open(tmp_path / "serve.log", "wb") as log:
        # Its own process group, so that whatever is left can be ended as a whole.
        serve = subprocess.Popen([sys.executable, str(ROOT / "tools" / "serve.py")], env=env, cwd=ROOT,
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_ready(f"http://127.0.0.1:{port}", timeout=90)
            yield f"http://127.0.0.1:{port}", serve
        finally:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(40)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(serve.pid, signal.SIGKILL)  # anything serve.py failed to stop


def _ready_status(base):
    try:
        with urllib.request.urlopen(base + "/ready", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_a_killed_embedded_database_is_restarted_and_the_api_recovers(tmp_path):
    with serving(tmp_path) as (base, serve):
        call(base, "POST", "/api/auth/register", {"name": "Dev", "email": "dev@example.com", "password": PASSWORD})
        killed = _database_pid(serve.pid)
        assert killed is not None
        os.kill(killed, signal.SIGKILL)

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            restarted = _database_pid(serve.pid)
            if restarted not in (None, killed) and _ready_status(base) == 200:
                break
            time.sleep(0.3)
        assert _ready_status(base) == 200
        assert restarted not in (None, killed)
        login = call(base, "POST", "/api/auth/login", {"email": "dev@example.com", "password": PASSWORD})
        assert login["user"]["email"] == "dev@example.com"  # same data directory
    assert serve.returncode == 0
    assert not Path(f"/proc/{restarted}").exists()  # stopping make run stops the restarted database too


def test_make_run_delivers_a_sent_invoice_to_the_local_mail_sink(tmp_path):
    with serving(tmp_path) as (base, _serve):
        token = call(base, "POST", "/api/auth/register",
                     {"name": "Dev", "email": "dev@example.com", "password": PASSWORD})["token"]
        customer = call(base, "POST", "/api/clients", {"name": "Acme", "email": "billing@acme.io"}, token)
        invoice = call(base, "POST", "/api/invoices", {"client_id": customer["_id"], "payment_terms": "Net 30",
                                                       "items": [{"description": "Work", "quantity": 1, "rate": 90}]},
                       token)
        call(base, "POST", f"/api/invoices/{invoice['_id']}/send", {}, token)
        mail_dir = tmp_path / "instance" / "mail"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(mail_dir.glob("*.eml")):
            time.sleep(0.3)
        [eml] = list(mail_dir.glob("*.eml"))
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert message["To"] == "billing@acme.io" and invoice["invoice_number"] in message["Subject"]
    assert f"written to {mail_dir}" in (tmp_path / "serve.log").read_text()
