#!/usr/bin/env python3
"""The benchmark's one webhook receiver, for crisisd and Alertmanager alike (127.0.0.1 only).

    receiver.py PORT_FILE

A plain asyncio Protocol speaking HTTP/1.1 with keep-alive: every request is answered 200 at
once, before anything else is done with it, so the receiver is never what a sender waits for.
The arrival of each request is stamped with CLOCK_MONOTONIC (time.monotonic_ns(), system-wide
on Linux, so comparable with the client's and wrk's stamps) and the wall clock (time.time_ns(),
for instants a daemon stored), and written to standard output as one line:

    c MONO WALL REFERENCE SITE KIND STEP     a crisisd page            (POST /c)
    a MONO WALL BID                          an Alertmanager alert     (POST /a, one per alert)

Any other path (the floor's round trip) is answered and not reported. Binds a free port, writes
it to PORT_FILE, and runs until SIGTERM/SIGINT. Standard library only.
"""
import asyncio
import json
import os
import re
import signal
import sys
import time

HEAD_END = b"\r\n\r\n"
REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
REPLY_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
CONNECTION_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close", re.IGNORECASE)
CRISIS_FIELDS = {
    name: re.compile(rb'"' + name.encode() + rb'":"([^"]*)"') for name in ("reference", "site", "kind")
}
EXPECT_CONTINUE = re.compile(rb"\r\nexpect:[ \t]*100-continue", re.IGNORECASE)
STEP = re.compile(rb'"step":(\d+)')
ALERT_ID = re.compile(rb'"bid":"([^"]*)"')


def crisis_line(mono: int, wall: int, body: bytes) -> bytes:
    if b'"also"' in body:  # pages sent together: read the top level properly
        page = json.loads(body)
        fields = [str(page.get(k, "-")).encode() for k in ("reference", "site", "kind", "step")]
    else:
        fields = []
        for pattern in CRISIS_FIELDS.values():
            match = pattern.search(body)
            fields.append(match.group(1) if match else b"-")
        match = STEP.search(body)
        fields.append(match.group(1) if match else b"-")
    return b"c %d %d " % (mono, wall) + b" ".join(f.replace(b" ", b"_") or b"-" for f in fields) + b"\n"


def alert_lines(mono: int, wall: int, body: bytes) -> bytes:
    # The bid label shows in alerts[].labels, groupLabels and commonLabels: one line per value.
    ids = dict.fromkeys(ALERT_ID.findall(body))
    return b"".join(b"a %d %d %s\n" % (mono, wall, i) for i in ids)


class Receiver(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.continued = False

    def data_received(self, data):
        mono = time.monotonic_ns()
        wall = time.time_ns()
        self.buffer += data
        out = []
        while True:
            end = self.buffer.find(HEAD_END)
            if end < 0:
                break
            head = self.buffer[:end]
            match = CONTENT_LENGTH.search(head)
            length = int(match.group(1)) if match else 0
            if len(self.buffer) < end + 4 + length:
                if EXPECT_CONTINUE.search(head) and not self.continued:
                    self.continued = True
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                break
            self.continued = False
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            close = CONNECTION_CLOSE.search(head) is not None
            self.transport.write(REPLY_CLOSE if close else REPLY)
            path = head.split(b" ", 2)[1] if head.count(b" ") >= 2 else b"/"
            if path == b"/c":
                out.append(crisis_line(mono, wall, body))
            elif path == b"/a":
                out.append(alert_lines(mono, wall, body))
            if close:
                self.transport.close()
                break
        if out:
            os.write(1, b"".join(out))


async def main() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Receiver, "127.0.0.1", 0, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(port))
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
