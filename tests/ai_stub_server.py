"""A local OpenAI-compatible stand-in (loopback only) for the provider tests.

Each request pops the next scripted reply: ``("ok", text)``, ``("status", code)``,
``("sleep", seconds)`` (answers late, to trigger the read timeout) or
``("raw", bytes)`` (a malformed body). With no script left it answers "ok".
Requests are recorded (path, headers, JSON body) for assertions.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        stub = self.server.stub
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        stub.requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
        kind, value = stub.script.pop(0) if stub.script else ("ok", "stub reply")
        if kind == "sleep":
            time.sleep(value)
            kind, value = "ok", "too late"
        if kind == "status":
            self._send(value, json.dumps({"error": {"message": "stub failure"}}).encode(), {"Retry-After": "0"})
        elif kind == "raw":
            self._send(200, value)
        else:
            reply = {
                "id": "chatcmpl-stub", "object": "chat.completion", "model": body.get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": value}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
            }
            self._send(200, json.dumps(reply).encode())

    def _send(self, status, data, headers=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (timeout test)


class StubServer:
    def __init__(self):
        self.script = []
        self.requests = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.stub = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
