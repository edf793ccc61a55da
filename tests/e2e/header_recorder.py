#!/usr/bin/env python3
"""A tiny HTTP server on loopback that records whether requests carried a
token, for the test that the kiosk sends the hub's token only to the hub's
own origin (tests/e2e/token_origin.sh).

Usage: header_recorder.py DIR PORT_FILE LOG_FILE [REDIRECT_TO]

GET /NAME serves DIR/NAME; GET /redirect answers 302 to REDIRECT_TO; a POST
(the heartbeat, sign-ups) gets 204. Each request appends one line to
LOG_FILE: "METHOD PATH auth=yes|no" -- whether an Authorization header came,
never its value. Writes the port it listens on to PORT_FILE.
"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, PORT_FILE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
REDIRECT = sys.argv[4] if len(sys.argv) > 4 else None


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        auth = "yes" if self.headers.get("Authorization") else "no"
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(f"{self.command} {self.path} auth={auth}\n")

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        self.record()
        name = self.path.split("?", 1)[0].lstrip("/")
        if name == "redirect" and REDIRECT:
            self.reply(302, headers=[("Location", REDIRECT)])
            return
        path = os.path.join(ROOT, os.path.basename(name))
        if not name or not os.path.isfile(path):
            self.reply(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        self.reply(200, body, [("Content-Type", "application/json")])

    def do_POST(self):
        self.record()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.reply(204)


server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
with open(PORT_FILE + ".tmp", "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
