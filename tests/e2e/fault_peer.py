#!/usr/bin/env python3
"""A misbehaving feed server and hub on loopback, for tests/e2e/faults.sh.

Usage: fault_peer.py --port-file FILE [--mode-file FILE] [--feed FILE]
                     [--hub URL] [--log FILE]
                     [--tls-cert PEM --tls-key PEM --tls-port-file FILE]

Answers the kiosk's three conversations (the feed GET, the sign-up POST,
the heartbeat POST) with one fault each. Which fault:

  - a path starting /f/NAME/ gets fault NAME (the rest is the real path);
  - else the mode file, read at every request: either one word for all
    three conversations, or lines `feed=NAME`, `signups=NAME`,
    `heartbeat=NAME` (a missing line means `ok`);
  - else `ok`.

`ok` forwards to --hub when given (so a real buurthub answers), else
serves --feed for a GET, 201 confirmed for a sign-up and 204 for a
heartbeat. The faults are listed in FAULTS below. The log (one line per
request: scheme, Host, conversation, method, path, fault, whether a bearer
token came)
carries no body: sign-ups hold personal data.

With --tls-cert the same handler also listens with TLS on a second port
(written to --tls-port-file), for the untrusted-certificate fault and the
https-to-http redirect. Python standard library only.
"""
import argparse
import http.client
import os
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NOISE_BYTES = 100 * 1024 * 1024
NOISE_BLOCK = os.urandom(64 * 1024)

HTML_PAGE = (b"<html>\r\n<head><title>%d Error</title></head>\r\n<body>\r\n"
             b"<center><h1>%d Error</h1></center>\r\n<hr><center>nginx</center>\r\n"
             b"</body>\r\n</html>\r\n")

# Every status-code fault answers with an HTML page (what a proxy in front
# of a broken hub sends): a status the contract knows with a body it does
# not is never a final answer to a sign-up.
STATUS_FAULTS = {
    "s204": (204, None), "s304": (304, None),
    "s400": (400, None), "s401": (401, None), "s403": (403, None),
    "s404": (404, None), "s409": (409, None), "s410": (410, None),
    "s413": (413, None), "s422": (422, None), "s429": (429, None),
    "s429-retry": (429, "120"), "s500": (500, None), "s502": (502, None),
    "s503-retry": (503, "120"), "s504": (504, None),
}
REDIRECT_FAULTS = {"r301": 301, "r302": 302, "r307": 307, "r308": 308}
OTHER_FAULTS = [
    "ok", "garbage", "empty", "html", "truncated", "noise", "drip", "reset",
    "length-long", "length-short", "redirect-other-host", "https-to-http",
    "noise-slow",
]
FAULTS = sorted(STATUS_FAULTS) + sorted(REDIRECT_FAULTS) + OTHER_FAULTS


def conversation(path):
    if path.startswith("/kiosk/v1/signups"):
        return "signups"
    if path.startswith("/kiosk/v1/heartbeat"):
        return "heartbeat"
    return "feed"


class Peer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Set on the class by main(): the options, and the lock for the log.
    opts = None
    log_lock = threading.Lock()

    def log_message(self, *args):
        pass

    # ---- which fault ----

    def mode_for(self, conv):
        try:
            with open(self.opts.mode_file) as f:
                text = f.read()
        except (OSError, TypeError):
            return "ok"
        words = text.split()
        if len(words) == 1 and "=" not in words[0]:
            return words[0]
        for w in words:
            key, _, value = w.partition("=")
            if key == conv:
                return value
        return "ok"

    def note(self, conv, fault, path):
        if not self.opts.log:
            return
        token = "token" if self.headers.get("Authorization") else "-"
        with self.log_lock, open(self.opts.log, "a") as f:
            f.write("%s %s %s %s %s %s %s\n" % (
                "https" if self.server.is_tls else "http", self.headers.get("Host", "-"),
                conv, self.command, path, fault, token))

    # ---- answers ----

    def send(self, status, body=b"", ctype="text/html", extra=None, length=None):
        self.send_response(status)
        if status not in (204, 304):
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body and status not in (204, 304):
            self.wfile.write(body)

    def feed_bytes(self):
        with open(self.opts.feed, "rb") as f:
            return f.read()

    def healthy(self, conv, path, body):
        if self.opts.hub:
            return self.forward(path, body)
        if conv == "signups":
            return self.send(201, b'{"status": "confirmed"}', "application/json")
        if conv == "heartbeat":
            return self.send(204)
        data = self.feed_bytes()
        etag = '"%x"' % (hash(data) & 0xffffffff)
        if self.headers.get("If-None-Match") == etag:
            return self.send(304, extra={"ETag": etag})
        return self.send(200, data, "application/json", {"ETag": etag})

    def forward(self, path, body):
        hub = urllib.parse.urlsplit(self.opts.hub)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection", "content-length")}
        conn = http.client.HTTPConnection(hub.hostname, hub.port, timeout=30)
        conn.request(self.command, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "content-length", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reset(self):
        """Closes with SO_LINGER 0: the kiosk sees a TCP reset."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def good_body(self, conv):
        if conv == "feed" and self.opts.feed:
            return self.feed_bytes()
        if conv == "signups":
            return b'{"status": "confirmed"}'
        return b'{"ok": true}'

    def answer(self):
        path = self.path
        fault = None
        if path.startswith("/f/"):
            _, _, rest = path.partition("/f/")
            fault, _, tail = rest.partition("/")
            path = "/" + tail
        conv = conversation(path)
        if fault is None:
            fault = self.mode_for(conv)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        self.note(conv, fault, path)
        prefix = self.path[:len(self.path) - len(path)]
        here = "%s://%s" % ("https" if self.server.is_tls else "http",
                            self.headers.get("Host", "127.0.0.1"))

        if fault == "ok":
            return self.healthy(conv, path, body)
        if fault in STATUS_FAULTS:
            status, retry = STATUS_FAULTS[fault]
            extra = {"Retry-After": retry} if retry else None
            return self.send(status, HTML_PAGE % (status, status), extra=extra)
        if fault in REDIRECT_FAULTS:
            # A loop: every hop names the next, for ever.
            parts = urllib.parse.urlsplit(path)
            query = urllib.parse.parse_qsl(parts.query)
            hop = int(dict(query).get("hop", "0")) + 1
            query = [(k, v) for k, v in query if k != "hop"] + [("hop", str(hop))]
            where = "%s%s%s?%s" % (here, prefix, parts.path, urllib.parse.urlencode(query))
            return self.send(REDIRECT_FAULTS[fault], b"moved", extra={"Location": where})
        if fault == "redirect-other-host":
            # The same server under another name: a token must not follow.
            host = self.headers.get("Host", "127.0.0.1").rsplit(":", 1)
            other = "localhost" if host[0] != "localhost" else "127.0.0.1"
            where = "http://%s:%s/f/ok%s" % (other, host[1] if len(host) > 1 else "80", path)
            return self.send(302, b"moved", extra={"Location": where})
        if fault == "https-to-http":
            where = "http://127.0.0.1:%d/f/ok%s" % (self.opts.http_port, path)
            return self.send(302, b"moved", extra={"Location": where})
        if fault == "garbage":
            return self.send(200, b"\x00\xff{not json at all\x1b[2J" + os.urandom(512),
                             "application/json")
        if fault == "empty":
            return self.send(200, b"", "application/json")
        if fault == "html":
            return self.send(200, HTML_PAGE % (200, 200))
        if fault == "truncated":
            data = self.good_body(conv)
            return self.send(200, data[:len(data) // 2], "application/json")
        if fault == "length-long":
            data = self.good_body(conv)
            self.send(200, data, "application/json", length=len(data) + 1000)
            self.close_connection = True
            return None
        if fault == "length-short":
            data = self.good_body(conv)
            self.send(200, data, "application/json", length=len(data) // 2)
            self.close_connection = True
            return None
        if fault in ("noise", "noise-slow"):
            # Streamed: 100 MiB are never held in memory on either side.
            # noise-slow sends about 2 MiB/s (above the kiosk's low-speed
            # limit), so that a download is under way for seconds.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(NOISE_BYTES))
            self.end_headers()
            sent = 0
            try:
                while sent < NOISE_BYTES:
                    n = min(len(NOISE_BLOCK), NOISE_BYTES - sent)
                    self.wfile.write(NOISE_BLOCK[:n])
                    sent += n
                    if fault == "noise-slow":
                        time.sleep(0.03)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return None
        if fault == "drip":
            # A byte a second of a real answer (padded with white space, so
            # that even a short one outlasts the kiosk's patience), for as
            # long as the kiosk keeps listening (or 10 minutes).
            data = self.good_body(conv) + b" " * 600
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                for i in range(min(len(data), 600)):
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return None
        if fault == "reset":
            data = self.good_body(conv)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            return self.reset()
        return self.send(500, b"fault_peer.py: unknown fault " + fault.encode())

    def do_GET(self):
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_POST = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True
    is_tls = False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--mode-file")
    ap.add_argument("--feed")
    ap.add_argument("--hub")
    ap.add_argument("--log")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--tls-port-file")
    ap.add_argument("--list", action="store_true", help="print the faults and exit")
    opts = ap.parse_args()
    if opts.list:
        print("\n".join(FAULTS))
        return
    Peer.opts = opts
    plain = Server(("127.0.0.1", 0), Peer)
    opts.http_port = plain.server_address[1]
    if opts.tls_cert:
        tls = Server(("127.0.0.1", 0), Peer)
        tls.is_tls = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts.tls_cert, opts.tls_key)
        tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
        threading.Thread(target=tls.serve_forever, daemon=True).start()
        write_port(opts.tls_port_file, tls.server_address[1])
    write_port(opts.port_file, plain.server_address[1])
    plain.serve_forever()


def write_port(path, port):
    # Written whole, then renamed: a test polling the file never reads half.
    with open(path + ".tmp", "w") as f:
        f.write(str(port))
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main())
