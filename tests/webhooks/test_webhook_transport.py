"""The POST of one attempt connects to the address that was checked, while the Host header, the
TLS server name and the certificate check use the URL's host name (so a DNS answer that changes
after the check cannot steer the connection). Real servers on 127.0.0.1, plain and TLS; the host
names below resolve nowhere, so reaching the server at all proves no second lookup happened."""

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from orbix.webhooks import transport
from orbix.webhooks.targets import Target

NAME = "hooks.example.test"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for NAME (openssl, as on every Debian image)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={NAME}",
         "-addext", f"subjectAltName=DNS:{NAME}", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_server(certificate):
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            seen.append((self.headers["Host"], self.path, self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_plain_http_goes_to_the_checked_address_with_the_host_name(receiver):
    port = int(receiver.url.rsplit(":", 1)[1].split("/", 1)[0])
    outcome = transport.post(Target("http", NAME, port, "/in?x=1", "127.0.0.1"), b"{}", {}, 5)
    assert outcome.ok and outcome.status == 200
    [request] = receiver.requests
    assert request.headers["Host"] == f"{NAME}:{port}" and request.path == "/in?x=1"


def test_https_verifies_the_certificate_for_the_host_name(tls_server, certificate, monkeypatch):
    port, seen = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test certificate like a public CA
    outcome = transport.post(Target("https", NAME, port, "/hook", "127.0.0.1"), b'{"a":1}', {}, 5)
    assert (outcome.status, outcome.error) == (204, None)
    assert seen == [(f"{NAME}:{port}", "/hook", b'{"a":1}')]
    mismatch = transport.post(Target("https", "other.example.test", port, "/hook", "127.0.0.1"), b"{}", {}, 5)
    assert mismatch.status is None and "Hostname mismatch" in mismatch.error


def test_https_refuses_an_untrusted_certificate(tls_server):
    port, seen = tls_server
    outcome = transport.post(Target("https", NAME, port, "/hook", "127.0.0.1"), b"{}", {}, 5)
    assert outcome.status is None and "CERTIFICATE_VERIFY_FAILED" in outcome.error and seen == []
