"""A real HTTP server in front of stripe-mock that records each request the app sends to Stripe
and forwards it unchanged (not a test module): stripe-mock answers fixture data, so what we
asked for (the amount, the currency, the metadata) is read from the recorded request."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests


class StripeRecorder:
    def __init__(self, upstream):
        self.upstream = upstream
        self.requests = []
        self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def form(self, path):
        """The form fields (name -> first value) of each recorded request to ``path``."""
        return [{key: values[0] for key, values in parse_qs(body.decode()).items()}
                for method, seen, _headers, body in self.requests if seen == path and method == "POST"]

    def __enter__(self):
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.requests.append((self.command, self.path.split("?")[0], dict(self.headers), body))
                answer = requests.request(self.command, recorder.upstream + self.path, data=body, timeout=10,
                                          headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_DELETE = _forward  # noqa: N815 - http.server's naming

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
