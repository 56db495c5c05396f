"""A partner's webhook receiver on a free port of 127.0.0.1: records each request, answers as told."""

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver(BaseHTTPRequestHandler):
    requests: list = []
    answers: list = []  # statuses to give, in order; then 204

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        status = type(self).answers.pop(0) if type(self).answers else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def receiving(*answers: int):
    """Yields (Receiver, URL of its hook); it answers ``answers`` in turn, then 204."""
    Receiver.requests, Receiver.answers = [], list(answers)
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver, f"http://127.0.0.1:{server.server_port}/hooks/toplum"
    finally:
        server.shutdown()
        server.server_close()
