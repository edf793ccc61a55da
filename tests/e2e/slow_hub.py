#!/usr/bin/env python3
"""A proxy in front of buurthub on loopback that answers sign-ups slowly.

Usage: slow_hub.py HUB_URL DELAY_S PORT_FILE

Forwards every request to HUB_URL as it is; a POST to /kiosk/v1/signups
first waits DELAY_S seconds, then goes to the hub even when the kiosk has
given up meanwhile (the hub must hold it afterwards). Writes the port it
listens on to PORT_FILE.
"""
import http.client
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUB = urllib.parse.urlsplit(sys.argv[1])
DELAY = float(sys.argv[2])


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.command == "POST" and self.path.startswith("/kiosk/v1/signups"):
            time.sleep(DELAY)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection", "content-length")}
        conn = http.client.HTTPConnection(HUB.hostname, HUB.port, timeout=30)
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        try:
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("connection", "content-length", "transfer-encoding"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the kiosk stopped waiting; the hub has the sign-up anyway

    do_GET = forward
    do_POST = forward


server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
with open(sys.argv[3], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
