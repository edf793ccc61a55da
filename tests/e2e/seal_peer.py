#!/usr/bin/env python3
"""A stand-in hub on loopback for tests/e2e/sealed.sh: serves a feed, may
send a Buurtkiosk-Seal-Key header with it, and records the sign-up bodies
a kiosk posts, to see what crosses the wire.

Usage: seal_peer.py FEED PORT_FILE BODIES [SEAL_KEY [SIGNUP_STATUS]]

GET (any path) answers 200 with FEED's bytes, and SEAL_KEY as
Buurtkiosk-Seal-Key when given and not "-". POST /kiosk/v1/signups appends
the body as one line to BODIES and answers SIGNUP_STATUS (default 201,
{"status":"confirmed"}; 503 leaves the sign-up pending at the kiosk); any
other POST (the heartbeat) gets 204. Writes the port it listens on to
PORT_FILE.
"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FEED, PORT_FILE, BODIES = sys.argv[1], sys.argv[2], sys.argv[3]
SEAL_KEY = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != "-" else None
STATUS = int(sys.argv[5]) if len(sys.argv) > 5 else 201


class Peer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        with open(FEED, "rb") as f:
            body = f.read()
        headers = [("Content-Type", "application/json")]
        if SEAL_KEY:
            headers.append(("Buurtkiosk-Seal-Key", SEAL_KEY))
        self.reply(200, body, headers)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/kiosk/v1/signups"):
            with open(BODIES, "ab") as f:
                f.write(body.replace(b"\n", b" ") + b"\n")
            if STATUS == 201:
                self.reply(201, b'{"status":"confirmed"}',
                           [("Content-Type", "application/json")])
            else:
                self.reply(STATUS, b'{"error":"try later"}',
                           [("Content-Type", "application/json"), ("Retry-After", "1")])
        else:
            self.reply(204)


server = ThreadingHTTPServer(("127.0.0.1", 0), Peer)
with open(PORT_FILE + ".tmp", "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
