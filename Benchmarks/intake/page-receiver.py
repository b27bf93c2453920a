#!/usr/bin/env python3
"""A fast local webhook receiver for the crisisd intake benchmark.

Listens on 127.0.0.1 only. Answers every POST with 200 at once (keep-alive, HTTP/1.1),
counts the deliveries and the distinct crisis references (`reference` in the JSON body),
and answers GET /stats with a JSON summary. Standard library only (asyncio).

    page-receiver.py PORT_FILE [MAX_SECONDS]

Binds a free port, writes it to PORT_FILE, and exits by itself after MAX_SECONDS
(default 900) or on SIGTERM/SIGINT.
"""
import asyncio
import json
import signal
import sys
import time

deliveries = 0
bad_bodies = 0
references = set()
first_at = None          # wall time of the first delivery
last_at = None           # wall time of the last delivery (any)
last_new_at = None       # wall time of the last delivery that named a reference not seen before
kinds = {}


def record(body: bytes) -> None:
    global deliveries, bad_bodies, first_at, last_at, last_new_at
    now = time.time()
    deliveries += 1
    if first_at is None:
        first_at = now
    last_at = now
    try:
        page = json.loads(body)
        reference = page["reference"]
    except Exception:
        bad_bodies += 1
        return
    kind = page.get("kind", "?")
    kinds[kind] = kinds.get(kind, 0) + 1
    if reference not in references:
        references.add(reference)
        last_new_at = now


def stats() -> bytes:
    return json.dumps({
        "deliveries": deliveries,
        "distinct_references": len(references),
        "bad_bodies": bad_bodies,
        "kinds": kinds,
        "first_at": first_at,
        "last_at": last_at,
        "last_new_at": last_new_at,
        "now": time.time(),
    }).encode()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method = lines[0].split(" ", 1)[0]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            if headers.get("expect", "").lower() == "100-continue":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            body = b""
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size_line = await reader.readuntil(b"\r\n")
                    size = int(size_line.split(b";")[0].strip(), 16)
                    if size == 0:
                        await reader.readuntil(b"\r\n")  # trailers end (no trailers expected)
                        break
                    chunks.append(await reader.readexactly(size))
                    await reader.readexactly(2)
                body = b"".join(chunks)
            if method == "POST":
                record(body)
                reply = b"ok"
                ctype = b"text/plain"
            else:
                reply = stats()
                ctype = b"application/json"
            close = headers.get("connection", "").lower() == "close"
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: "
                         + str(len(reply)).encode() + (b"\r\nConnection: close" if close else b"")
                         + b"\r\n\r\n" + reply)
            await writer.drain()
            if close:
                return
    except Exception:
        return
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main() -> None:
    port_file = sys.argv[1]
    max_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 900.0
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    import os
    os.replace(port_file + ".tmp", port_file)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=max_seconds)
    except asyncio.TimeoutError:
        pass
    server.close()
    sys.stdout.write(stats().decode() + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
