#!/usr/bin/env python3
"""Slow clients from one address: the attack hub_limits.sh defends against.

Usage: slow_clients.py HOST PORT SOURCE_ADDRESS COUNT SECONDS STATUS_FILE

Opens COUNT connections to HOST:PORT from SOURCE_ADDRESS (any 127.x
address works on Linux loopback), sends the start of a request on each,
then one more header line on every connection every 5 s, never ending
the headers, for SECONDS. Writes "opened N held M" to STATUS_FILE once
the connections are opened and again at the end: held counts those still
open, which the hub should have limited.
"""
import resource
import socket
import sys
import time

host, port, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
count, seconds, status_file = int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 64)), hard))


def report(opened, held):
    with open(status_file, "w") as f:
        f.write(f"opened {opened} held {held}\n")


def alive(s):
    """Still open: a closed connection reads as end of file."""
    try:
        s.setblocking(False)
        data = s.recv(1)
        return data != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


socks = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((source, 0))
        s.settimeout(2)
        s.connect((host, port))
        s.sendall(b"GET /kiosk/v1/feed?kiosk=slow HTTP/1.1\r\nHost: hub\r\n")
        socks.append(s)
    except OSError:
        s.close()
report(len(socks), sum(alive(s) for s in socks))

end = time.monotonic() + seconds
n = 0
while time.monotonic() < end:
    time.sleep(min(5.0, max(0.0, end - time.monotonic())))
    n += 1
    for s in socks:
        try:
            s.setblocking(True)
            s.settimeout(0.5)
            s.sendall(b"X-Slow-%d: %d\r\n" % (n, n))
        except OSError:
            pass
report(len(socks), sum(alive(s) for s in socks))
for s in socks:
    s.close()
