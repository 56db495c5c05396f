"""A local HTTP server that plays Twilio's Messages API: it records each request and answers as Twilio does."""

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

SID, TOKEN = "AC0123456789abcdef0123456789abcdef", "test-auth-token"


class FakeTwilio(BaseHTTPRequestHandler):
    requests: list = []
    answers: list = []  # (status, body) to give, in order; then 201

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length).decode()
        type(self).requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "form": parse_qs(body)}
        )
        status, answer = type(self).answers.pop(0) if type(self).answers else (201, None)
        answer = answer or {"sid": f"SM{len(type(self).requests):032d}", "status": "queued"}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving():
    """FakeTwilio, emptied, listening on a free port of 127.0.0.1 in a thread: yields (FakeTwilio, base URL)."""
    FakeTwilio.requests, FakeTwilio.answers = [], []
    server = HTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeTwilio, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
