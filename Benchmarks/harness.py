#!/usr/bin/env python3
"""crisisd against Prometheus Alertmanager, side by side, on 127.0.0.1 only (issue 11).

    harness.py --crisisd .build/release/crisisd --crisisctl .build/release/crisisctl \
               [--alertmanager /usr/bin/prometheus-alertmanager] [--out Benchmarks/results/latest.json]

Rows: floors, sequential trigger -> page, burst intake, timer precision, idle cost, recovery.
Each row has a time limit and the whole run stops after --budget seconds (default 600). A row
during which other processes (not this harness and what it started) used more than 10 % of a
core is run once more and marked. Every process it starts is stopped at the end, whatever
happens; its files live in one temp folder under /tmp, removed at the end (--keep keeps it).
"""
import argparse
import base64
import ctypes
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import benchstats as bs  # noqa: E402

HZ = os.sysconf("SC_CLK_TCK")


def cpu_ms(jiffies, count):
    """A process's CPU time (user and system, in clock ticks) per item, in milliseconds."""
    return round(jiffies * 1000 / HZ / count, 3) if count else None
FAR_FUTURE = "2099-01-01T00:00:00Z"
STARTED = time.monotonic()
children = []  # every Popen, stopped in cleanup()


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


class BudgetExceeded(Exception):
    pass


class Budget:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def check(self, what):
        if self.left() <= 0:
            raise BudgetExceeded(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def die_with_harness():
    """In the child before exec: SIGTERM when the harness dies, even by SIGKILL, so nothing it
    started outlives it."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(args, log_path, env=None):
    out = open(log_path, "ab")
    process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
                               preexec_fn=die_with_harness)
    out.close()
    children.append(process)
    return process


def stop(process, sig=signal.SIGTERM, wait=10):
    if process is None or process.poll() is not None:
        return
    try:
        process.send_signal(sig)
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cleanup():
    for process in children:
        stop(process, wait=5)
        # The receiver's pipe: its reader sees the end of it and stops (`Receiver._read`).
        if process.stdout:
            process.stdout.close()


# --- load ----------------------------------------------------------------------------------------


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    name = text[text.index("(") + 1 : text.rindex(")")]
    return name, text[text.rindex(")") + 2 :].split()


def cpu_busy_jiffies():
    """user + nice + system over all CPUs (interrupt time left out: loopback traffic is ours)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    return int(fields[0]) + int(fields[1]) + int(fields[2])


def process_table():
    """{pid: (ppid, name, jiffies incl. reaped children, own jiffies)} of every process now."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            name, rest = _stat_fields(entry)
        except (OSError, ValueError):
            continue
        # rest[0] is state; ppid is rest[1]; utime, stime, cutime, cstime are rest[11..14].
        table[int(entry)] = (int(rest[1]), name, sum(int(x) for x in rest[11:15]), int(rest[11]) + int(rest[12]))
    return table


def ours(table, root):
    kids = {}
    for pid, (ppid, *_) in table.items():
        kids.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(kids.get(pid, []))
    return found


class LoadWatch:
    """CPU used by processes that are not this harness's tree, between start and finish."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.busy0 = cpu_busy_jiffies()
        self.table0 = process_table()
        self.ours0 = sum(self.table0[p][2] for p in ours(self.table0, os.getpid()))
        self.load0 = os.getloadavg()[0]

    def finish(self):
        seconds = time.monotonic() - self.t0
        busy = cpu_busy_jiffies() - self.busy0
        table = process_table()
        mine = ours(table, os.getpid())
        ours_delta = sum(table[p][2] for p in mine) - self.ours0
        others = max(0, busy - ours_delta) / HZ / max(seconds, 1e-3)
        heavy = {}
        for pid, (_, name, _, own) in table.items():
            if pid in mine:
                continue
            # Its own time only: a shell's reaped children bring their whole lives with them.
            used = own - (self.table0[pid][3] if pid in self.table0 else 0)
            if used > 0:
                heavy[name] = heavy.get(name, 0) + used
        top = sorted(heavy.items(), key=lambda kv: -kv[1])[:3]
        return {
            "seconds": round(seconds, 1),
            "others_cores": round(others, 3),
            "ours_cores": round(ours_delta / HZ / max(seconds, 1e-3), 3),
            "loadavg_1m": [round(self.load0, 2), round(os.getloadavg()[0], 2)],
            "top_others": [f"{n} {j / HZ:.1f}s" for n, j in top],
            "verdict": bs.load_verdict(others),
        }


# --- the receiver ----------------------------------------------------------------------------------


class Receiver:
    """receiver.py in its own process; its arrival lines read here by a thread."""

    def __init__(self, work):
        port_file = os.path.join(work, "receiver.port")
        self.process = subprocess.Popen(
            [sys.executable, "-B", os.path.join(HERE, "receiver.py"), port_file],
            stdout=subprocess.PIPE, stderr=open(os.path.join(work, "receiver.log"), "ab"),
            start_new_session=True, preexec_fn=die_with_harness)
        children.append(self.process)
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        self.port = int(open(port_file).read())
        self.cond = threading.Condition()
        self.first = {}  # key -> (mono_ns, wall_ns) of its first arrival
        self.crisis_pages = []  # (mono, wall, reference, site, kind, step)
        self.alerts = []  # (mono, wall, bid)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            self._read_lines()
        except (ValueError, OSError):  # the pipe closed at cleanup
            pass

    def _read_lines(self):
        for raw in self.process.stdout:
            parts = raw.decode(errors="replace").split()
            if not parts:
                continue
            with self.cond:
                if parts[0] == "c" and len(parts) == 7:
                    mono, wall, reference, site, kind, step = int(parts[1]), int(parts[2]), *parts[3:]
                    self.crisis_pages.append((mono, wall, reference, site, kind, step))
                    for key in ("c:" + site,):
                        self.first.setdefault(key, (mono, wall))
                elif parts[0] == "a" and len(parts) == 4:
                    mono, wall, bid = int(parts[1]), int(parts[2]), parts[3]
                    self.alerts.append((mono, wall, bid))
                    self.first.setdefault("a:" + bid, (mono, wall))
                self.cond.notify_all()

    def wait_for(self, key, timeout):
        with self.cond:
            self.cond.wait_for(lambda: key in self.first, timeout)
            return self.first.get(key)

    def wait_count(self, predicate, timeout, quiet_after=None):
        """Wait until predicate() holds (called under the lock) or timeout; with quiet_after,
        also give up after that many seconds without any new arrival."""
        end = time.monotonic() + timeout
        last_len, last_change = -1, time.monotonic()
        with self.cond:
            while not predicate():
                now = time.monotonic()
                size = len(self.crisis_pages) + len(self.alerts)
                if size != last_len:
                    last_len, last_change = size, now
                if now >= end or (quiet_after and now - last_change > quiet_after):
                    return False
                self.cond.wait(0.2)
            return True

    def mark(self):
        with self.cond:
            return len(self.crisis_pages)

    def first_pages_since(self, mark, references):
        """{reference: (mono, wall)} of the first page for each of `references` after `mark`."""
        with self.cond:
            found = {}
            for mono, wall, reference, _, kind, _ in self.crisis_pages[mark:]:
                if reference in references and kind == "crisis":
                    found.setdefault(reference, (mono, wall))
            return found

    def wait_pages_since(self, mark, references, timeout):
        references = set(references)
        seen, scanned = set(), mark

        def all_paged():
            nonlocal scanned
            for page in self.crisis_pages[scanned:]:
                if page[2] in references and page[4] == "crisis":
                    seen.add(page[2])
            scanned = len(self.crisis_pages)
            return len(seen) >= len(references)

        return self.wait_count(all_paged, timeout)

    def snapshot(self):
        with self.cond:
            return list(self.crisis_pages), list(self.alerts)


# --- the daemons -----------------------------------------------------------------------------------


CRISISD_CONFIG = """# Written by Benchmarks/harness.py: one requester, one person on a one-person rotation,
# paged by webhook. Every deadline is an hour or more away unless the harness moves it.
timezone = "UTC"
state_dir = "{state}"

[http]
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"

[control]
socket = "{run}/control.sock"

[clocks]
ack = "2h"
contact = "3h"
onsite = "4h"
warn_before = "15m"

[[people]]
id = "psy"
name = "Bench Psychologist"
phone = "+4520000001"
contacts = ["hook"]
roles = ["chief", "crisis"]

[[channels]]
id = "hook"
type = "webhook"
url = "http://127.0.0.1:{receiver}/c"
secret = "{secret}"

[[rotations]]
id = "oncall"
members = ["psy"]
start = "2020-01-01T00:00"
shift = "30000d"

[escalation]
steps = [
    {{ notify = ["rotation:oncall"], wait = "1h" }},
    {{ notify = ["rotation:oncall"], wait = "1h" }},
    {{ notify = ["rotation:oncall"] }},
]

[[requesters]]
id = "bench"
token_sha256 = "{token_sha}"
"""

ALERTMANAGER_CONFIG = """# Written by Benchmarks/harness.py: one group per alert, sent at once, never repeated.
route:
  receiver: hook
  group_by: ['...']
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1000h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:{receiver}/a
        send_resolved: false
"""


class Crisisd:
    def __init__(self, binary, ctl, work, name, receiver_port):
        self.binary, self.dir = binary, os.path.join(work, name)
        self.state = os.path.join(self.dir, "state")
        os.makedirs(self.state)
        os.makedirs(os.path.join(self.dir, "run"), mode=0o750)
        self.db = os.path.join(self.state, "crisisd.sqlite")
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.config = os.path.join(self.dir, "crisisd.toml")
        with open(self.config, "w") as f:
            f.write(CRISISD_CONFIG.format(
                state=self.state, run=os.path.join(self.dir, "run"), port=self.port, receiver=receiver_port,
                secret="whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
                token_sha=hashlib.sha256(self.token.encode()).hexdigest()))
        check = subprocess.run([ctl, "check-config", "--config", self.config], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError("crisisctl check-config failed:\n" + check.stdout + check.stderr)
        self.notify_path = os.path.join(self.dir, "notify.sock")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(self.notify_path)
        self.process = None

    def start(self, timeout=60):
        """Start and wait for READY=1; (mono_ns at exec, mono_ns at READY=1)."""
        env = dict(os.environ, NOTIFY_SOCKET=self.notify_path)
        env.pop("WATCHDOG_USEC", None)
        started = time.monotonic_ns()
        self.process = spawn([self.binary, "--config", self.config], os.path.join(self.dir, "crisisd.log"), env)
        end = time.monotonic() + timeout
        while True:
            self.notify.settimeout(max(0.05, min(0.5, end - time.monotonic())))
            try:
                message = self.notify.recv(4096)
            except socket.timeout:
                if self.process.poll() is not None or time.monotonic() > end:
                    raise RuntimeError(f"crisisd gave no READY=1 (exit {self.process.poll()}); see {self.dir}/crisisd.log")
                continue
            if b"READY=1" in message.split(b"\n"):
                return started, time.monotonic_ns()

    def stop(self):
        stop(self.process, signal.SIGTERM, 15)

    def kill9(self):
        self.process.kill()
        self.process.wait()

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def headers(self):
        return {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}

    def trigger_body(self, site):
        return json.dumps({"category": "violence", "site": site, "callback": "+4512345678"})

    def open_crises_metric(self):
        conn = self.connection()
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
        conn.close()
        return int(sum(float(m) for m in re.findall(r"^crisisd_open_crises\{[^}]*\} (\S+)$", text, re.M)))

    def sample_visible(self, count=50):
        """How many of `count` random crises in the database crisisd answers for over HTTP as
        open (GET /v1/crises/REF): the seeded rows must be crises crisisd reads. (Not /metrics:
        today it reads every open crisis, seconds for 10,000.)"""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        refs = [r[0] for r in con.execute(
            "SELECT reference FROM crisis WHERE status = 'open' ORDER BY random() LIMIT ?", (count,))]
        con.close()
        conn, seen = self.connection(), 0
        for ref in refs:
            conn.request("GET", "/v1/crises/" + ref, headers=self.headers())
            response = conn.getresponse()
            body = response.read()
            if response.status == 200 and json.loads(body).get("status") == "open":
                seen += 1
        conn.close()
        return f"{seen} of {len(refs)}"

    def cpu_jiffies(self):
        return sum(int(x) for x in _stat_fields(self.process.pid)[1][11:13])

    def rss_kib(self):
        return vm_rss(self.process.pid)


class Alertmanager:
    def __init__(self, binary, work, name, receiver_port):
        self.binary, self.dir = binary, os.path.join(work, name)
        os.makedirs(os.path.join(self.dir, "data"))
        self.port = free_port()
        self.config = os.path.join(self.dir, "alertmanager.yml")
        with open(self.config, "w") as f:
            f.write(ALERTMANAGER_CONFIG.format(receiver=receiver_port))
        self.process = None

    def start(self, timeout=60):
        started = time.monotonic_ns()
        self.process = spawn([
            self.binary, f"--config.file={self.config}", f"--storage.path={self.dir}/data",
            f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address=",
            "--log.level=warn"], os.path.join(self.dir, "alertmanager.log"))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/-/ready")
                if conn.getresponse().status == 200:
                    conn.close()
                    return started, time.monotonic_ns()
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"Alertmanager not ready; see {self.dir}/alertmanager.log")

    def stop(self):
        stop(self.process, signal.SIGTERM, 15)

    def kill9(self):
        self.process.kill()
        self.process.wait()

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    @staticmethod
    def alerts_body(bids):
        return json.dumps([{"labels": {"alertname": "bench", "bid": b}, "endsAt": FAR_FUTURE} for b in bids])

    def post_alerts(self, bids, conn=None):
        own = conn is None
        conn = conn or self.connection()
        conn.request("POST", "/api/v2/alerts", self.alerts_body(bids), {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        if own:
            conn.close()
        return response.status

    def count_alerts(self):
        conn = self.connection()
        conn.request("GET", "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true")
        alerts = json.loads(conn.getresponse().read())
        conn.close()
        return len(alerts)

    def alerts_metric(self):
        """Alerts held (alertmanager_alerts, every state): cheaper than listing them all."""
        conn = self.connection()
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
        conn.close()
        return int(sum(float(m) for m in re.findall(r"^alertmanager_alerts\{[^}]*\} (\S+)$", text, re.M)))

    def cpu_jiffies(self):
        return sum(int(x) for x in _stat_fields(self.process.pid)[1][11:13])

    def rss_kib(self):
        return vm_rss(self.process.pid)


def vm_rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


# --- seeding crisisd's database ------------------------------------------------------------------------

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def references(taken):
    """Every CR-XXXX reference in order, skipping those taken."""
    n = len(ALPHABET)
    for i in range(n**4):
        body = "".join(ALPHABET[(i // n**k) % n] for k in (3, 2, 1, 0))
        ref = "CR-" + body
        if ref not in taken:
            yield ref


def clone_crises(db, total):
    """Grow crisisd's database (crisisd stopped) to `total` crises by cloning the crises it has,
    with every row that names a crisis (crisis_personal, clock, milestone, page, ack_link,
    journal), under new ids, references and acknowledgement-link hashes, in one transaction.
    Returns the number added."""
    con = sqlite3.connect(db, timeout=30, isolation_level=None)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    known = {"crisis", "crisis_personal", "clock", "milestone", "page", "ack_link", "journal",
             "rota_override", "grdb_migrations", "sqlite_sequence"}
    if tables - known:
        raise RuntimeError(f"the schema has tables the seeding does not know: {sorted(tables - known)}")
    templates = con.execute("SELECT id, reference FROM crisis ORDER BY id").fetchall()
    have = len(templates)
    if have == 0 or total <= have:
        return 0
    next_id = templates[-1][0] + 1
    new_refs = references({ref for _, ref in templates})
    clones = [(next_id + i, templates[i % have][0], next(new_refs), templates[i % have][1])
              for i in range(total - have)]

    def columns(table):
        return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]

    def copy(table, on, replace):
        """INSERT INTO table SELECT the template's rows, some columns replaced by expressions
        (None: left to SQLite, a new rowid)."""
        cols = [c for c in columns(table) if replace.get(c, "") is not None]
        values = ", ".join(replace.get(c, "t." + c) for c in cols)
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {values} "
                    f"FROM clone_map m JOIN {table} t ON {on} ORDER BY m.new_id")

    con.execute("BEGIN")
    con.execute("CREATE TEMP TABLE clone_map (new_id INTEGER PRIMARY KEY, template_id INTEGER, "
                "new_reference TEXT, template_reference TEXT)")
    con.executemany("INSERT INTO clone_map VALUES (?, ?, ?, ?)", clones)
    copy("crisis", "t.id = m.template_id", {"id": "m.new_id", "reference": "m.new_reference"})
    copy("crisis_personal", "t.crisis_id = m.template_id", {"crisis_id": "m.new_id"})
    copy("clock", "t.crisis_id = m.template_id", {"crisis_id": "m.new_id"})
    copy("milestone", "t.crisis_id = m.template_id", {"id": None, "crisis_id": "m.new_id"})
    copy("page", "t.crisis_id = m.template_id", {"id": None, "crisis_id": "m.new_id"})
    copy("ack_link", "t.crisis_id = m.template_id", {"crisis_id": "m.new_id", "token_sha256": "lower(hex(randomblob(32)))"})
    copy("journal", "t.reference = m.template_reference", {"id": None, "reference": "m.new_reference",
                                  "crisis_id": "m.new_id",
                                  "data": "replace(t.data, m.template_reference, m.new_reference)"})
    con.execute("COMMIT")
    con.close()
    return total - have


def sql_instant(wall_ns):
    """crisisd's (GRDB's) stored form of an instant: UTC, milliseconds."""
    d = datetime.datetime.fromtimestamp(wall_ns / 1e9, datetime.timezone.utc)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + f"{d.microsecond // 1000:03d}"


def parse_sql_instant(text):
    """Nanoseconds since the epoch of a stored instant ("YYYY-MM-DD HH:MM:SS[.fff]", UTC)."""
    whole, _, fraction = text.partition(".")
    d = datetime.datetime.strptime(whole, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    seconds = int((d - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)).total_seconds())
    return seconds * 1_000_000_000 + int((fraction or "0").ljust(9, "0")[:9])


def move_escalations(db, moves):
    """Set the next escalation step (and so the crisis's next deadline) of crises: {id: wall_ns}."""
    con = sqlite3.connect(db, timeout=30)
    with con:
        con.executemany(
            "UPDATE crisis SET next_escalation_at = ?, next_deadline_at = ? WHERE id = ?",
            [(sql_instant(w), sql_instant(w), cid) for cid, w in moves.items()])
    rows = con.execute(
        f"SELECT id, reference, next_escalation_at, escalation_step FROM crisis WHERE id IN ({','.join('?' * len(moves))})",
        list(moves)).fetchall()
    con.close()
    return {ref: (parse_sql_instant(at), step) for _, ref, at, step in rows}


def db_counts(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    crises = con.execute("SELECT count(*) FROM crisis").fetchone()[0]
    open_ = con.execute("SELECT count(*) FROM crisis WHERE status = 'open'").fetchone()[0]
    clocks = con.execute("SELECT count(*) FROM clock WHERE outcome IS NULL").fetchone()[0]
    con.close()
    return {"crises": crises, "open": open_, "running_clocks": clocks}


# --- the rows --------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.receiver = Receiver(work)
        self.serial = 0

    def new_crisisd(self):
        self.serial += 1
        return Crisisd(self.args.crisisd, self.args.crisisctl, self.work, f"crisisd-{self.serial}", self.receiver.port)

    def new_alertmanager(self):
        self.serial += 1
        return Alertmanager(self.args.alertmanager, self.work, f"alertmanager-{self.serial}", self.receiver.port)

    # 6. floors
    def floors(self):
        result = {}
        # A synchronous=FULL single-row commit in WAL mode, on the disk of the state folders.
        self.serial += 1
        path = os.path.join(self.work, f"floor-{self.serial}.sqlite")
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        times, began = [], time.monotonic_ns()
        for i in range(1000):
            t0 = time.monotonic_ns()
            con.execute("BEGIN")
            con.execute("INSERT INTO t (v) VALUES (?)", (f"row {i}",))
            con.execute("COMMIT")
            times.append(time.monotonic_ns() - t0)
            if time.monotonic_ns() - began > 10e9:
                break
        con.close()
        result["sqlite_full_commit"] = bs.summary_ms(times) | {
            "per_s": len(times) / ((time.monotonic_ns() - began) / 1e9)}
        # A loopback HTTP round trip to the receiver, kept alive, with row 1's client code.
        conn = http.client.HTTPConnection("127.0.0.1", self.receiver.port, timeout=10)
        times = []
        for i in range(1020):
            t0 = time.monotonic_ns()
            conn.request("POST", "/echo", '{"floor":%d}' % i, {"Content-Type": "application/json"})
            conn.getresponse().read()
            if i >= 20:
                times.append(time.monotonic_ns() - t0)
        conn.close()
        result["http_round_trip"] = bs.summary_ms(times)
        # libcurl: the curl CLI with many URLs in one invocation reuses the connection.
        n = 500
        urls = [f"http://127.0.0.1:{self.receiver.port}/echo"] * (n + 1)
        out = subprocess.run(
            ["curl", "-s", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", '{"floor":1}',
             "-w", "%{time_total} %{num_connects}\\n"] + [a for u in urls for a in ("-o", "/dev/null", u)],
            capture_output=True, text=True, timeout=60, preexec_fn=die_with_harness).stdout.split("\n")
        samples = [line.split() for line in out if line.strip()]
        times = [int(float(s[0]) * 1e9) for s in samples[1:]]
        result["curl_reused_post"] = bs.summary_ms(times) | {
            "new_connections_after_first": sum(int(s[1]) for s in samples[1:])}
        return result

    # 1. sequential trigger -> page
    def sequential(self, count=1000, warmup=20):
        result = {"crisisd": self.sequential_crisisd(count, warmup)}
        a = self.new_alertmanager()
        a.start()
        try:
            result["alertmanager"] = self._triggers(
                a, a.connection(), "/api/v2/alerts", {"Content-Type": "application/json"},
                lambda bid: a.alerts_body([bid]), 200, "a:", "Alertmanager", warmup, count)
        finally:
            a.stop()
        return result

    def sequential_crisisd(self, count=1000, warmup=20):
        d = self.new_crisisd()
        d.start()
        try:
            return self._triggers(
                d, d.connection(), "/v1/crises", d.headers(), d.trigger_body, 201, "c:", "crisisd", warmup, count)
        finally:
            d.stop()

    def _triggers(self, daemon, conn, path, headers, body_for, created, tag, who, warmup, count):
        """One trigger at a time: each posted, answered, and its page awaited at the receiver;
        request start to page arrival and to the HTTP reply, after `warmup` untimed ones; and the
        daemon's CPU time per timed trigger."""
        times, replies = [], []
        for i in range(warmup + count):
            if i == warmup:
                cpu0 = daemon.cpu_jiffies()
            key = f"s{self.serial}-{i}"
            body = body_for(key)
            t0 = time.monotonic_ns()
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            t1 = time.monotonic_ns()
            if response.status != created:
                raise RuntimeError(f"{who} answered {response.status} to trigger {i}")
            arrival = self.receiver.wait_for(tag + key, 10)
            if arrival is None:
                raise RuntimeError(f"no page from {who} for trigger {i} within 10 s")
            if i >= warmup:
                times.append(arrival[0] - t0)
                replies.append(t1 - t0)
        return bs.summary_ms(times) | {"http_reply": bs.summary_ms(replies),
                                        "cpu_ms_per_trigger": cpu_ms(daemon.cpu_jiffies() - cpu0, count)}

    def _wrk(self, url, target, token, tag):
        env = dict(os.environ, BENCH_TARGET=target, BENCH_TOKEN=token or "")
        out = subprocess.run(
            ["wrk", "-t2", "-c64", "-d10s", "-s", os.path.join(HERE, "burst.lua"), url],
            capture_output=True, text=True, env=env, timeout=60, preexec_fn=die_with_harness)
        with open(os.path.join(self.work, f"wrk-{tag}.out"), "w") as f:
            f.write(out.stdout + out.stderr)
        values = bs.parse_wrk(out.stdout)
        ok = sum(v for k, v in values.items() if k.startswith("status_2"))
        other = sum(v for k, v in values.items() if k.startswith("status_") and not k.startswith("status_2"))
        seconds = values.get("duration_us", 10e6) / 1e6
        return {
            "requests": int(values.get("requests", 0)), "accepted": int(ok),
            "accepted_per_s": ok / seconds, "errors": int(other + values.get("socket_errors", 0)),
            "http_reply_p50_ms": values.get("latency_p50_ms"), "http_reply_p99_ms": values.get("latency_p99_ms"),
        }

    @staticmethod
    def _burst_latencies(keys_first):
        times = []
        for key, (mono, _) in keys_first.items():
            stamp = bs.stamp_ns(key)
            if stamp is not None:
                times.append(mono - stamp)
        return times

    # 2. burst intake
    def burst_crisisd(self, drain_limit=90):
        d = self.new_crisisd()
        d.start()
        mark = self.receiver.mark()
        try:
            cpu0 = d.cpu_jiffies()
            wrk = self._wrk(f"http://127.0.0.1:{d.port}/v1/crises", "crisisd", d.token, "crisisd")
            wrk_end = time.monotonic()
            # Requests in flight when wrk stopped are stored too (wrk does not count them).
            time.sleep(1)
            crises = db_counts(d.db)["crises"]

            def paged():
                return {p[2] for p in self.receiver.crisis_pages[mark:] if p[3].startswith("b") and p[4] == "crisis"}

            self.receiver.wait_count(lambda: len(paged()) >= crises, drain_limit, quiet_after=20)
            crises = db_counts(d.db)["crises"]
            refs = paged()
            pages = self.receiver.snapshot()[0][mark:]
            firsts = {}
            for mono, wall, ref, site, kind, step in pages:
                if site.startswith("b") and kind == "crisis":
                    firsts.setdefault(site, (mono, wall))
            last = max((m for m, _ in firsts.values()), default=None)
            return wrk | {
                "trigger_to_page": bs.summary_ms(self._burst_latencies(firsts)),
                "cpu_ms_per_accepted": cpu_ms(d.cpu_jiffies() - cpu0, crises),
                "crises_stored": crises, "crises_paged": len(refs),
                "every_accepted_paged": len(refs) >= crises >= wrk["accepted"],
                "last_page_after_wrk_s": None if last is None else last / 1e9 - wrk_end,
            }
        finally:
            d.stop()

    def burst(self, drain_limit=90):
        result = {"crisisd": self.burst_crisisd(drain_limit)}
        self._forget_burst_alerts()
        a = self.new_alertmanager()
        a.start()
        try:
            cpu0 = a.cpu_jiffies()
            wrk = self._wrk(f"http://127.0.0.1:{a.port}/api/v2/alerts", "alertmanager", None, "alertmanager")
            wrk_end = time.monotonic()
            time.sleep(1)
            held = a.alerts_metric()

            def notified():
                return sum(1 for k in self.receiver.first if k.startswith("a:b"))

            # Its gauge may lag a little behind the 2xx wrk counted: wait for the larger.
            expected = max(held, wrk["accepted"])
            self.receiver.wait_count(lambda: notified() >= expected, drain_limit, quiet_after=10)
            firsts = {k[2:]: v for k, v in list(self.receiver.first.items()) if k.startswith("a:b")}
            last = max((m for m, _ in firsts.values()), default=None)
            result["alertmanager"] = wrk | {
                "trigger_to_page": bs.summary_ms(self._burst_latencies(firsts)),
                "cpu_ms_per_accepted": cpu_ms(a.cpu_jiffies() - cpu0, max(expected, 1)),
                "alerts_held": held, "alerts_notified": len(firsts),
                "every_accepted_paged": len(firsts) >= expected,
                "last_page_after_wrk_s": None if last is None else last / 1e9 - wrk_end,
            }
        finally:
            a.stop()
            self._forget_burst_alerts()
        return result

    def _forget_burst_alerts(self):
        with self.receiver.cond:
            for k in [k for k in self.receiver.first if k.startswith("a:b")]:
                del self.receiver.first[k]

    def seeded_crisisd(self, total, template_count=10):
        """A stopped crisisd whose database holds `total` open crises: `template_count` raised over
        HTTP (and paged), the rest cloned from them in SQL."""
        d = self.new_crisisd()
        d.start()
        try:
            conn, headers = d.connection(), d.headers()
            for i in range(template_count):
                site = f"seed{self.serial}-{i}"
                conn.request("POST", "/v1/crises", d.trigger_body(site), headers)
                response = conn.getresponse()
                response.read()
                if response.status != 201 or self.receiver.wait_for("c:" + site, 10) is None:
                    raise RuntimeError("seeding: a crisis was not raised and paged")
            conn.close()
        finally:
            d.stop()
        clone_crises(d.db, total)
        return d

    # 3. timer precision
    def timer(self, total=10000, per_second=1000, seconds=(0, 3)):
        d = self.seeded_crisisd(total)
        # A first start tells how long crisisd takes to be ready with this many crises, so the
        # steps can be made due after it is ready, whatever that takes.
        exec_at, ready_at = d.start(timeout=120)
        ready_s = (ready_at - exec_at) / 1e9
        d.stop()
        con = sqlite3.connect(d.db)
        ids = [r[0] for r in con.execute("SELECT id FROM crisis WHERE status = 'open' ORDER BY random() LIMIT ?",
                                         (per_second * len(seconds),))]
        con.close()
        lead_ns = int((ready_s * 1.5 + 3) * 1e9)
        base = (time.time_ns() + lead_ns) // 1_000_000_000 * 1_000_000_000 + 1_000_000_000
        moves = {}
        for s_index, s in enumerate(seconds):
            for k in range(per_second):
                cid = ids[s_index * per_second + k]
                moves[cid] = base + s * 1_000_000_000 + k * 1_000_000_000 // per_second
        due = move_escalations(d.db, moves)
        try:
            mark = self.receiver.mark()
            exec_at, ready_at = d.start(timeout=120)
            cpu0 = d.cpu_jiffies()
            if time.time_ns() > base + seconds[0] * 1_000_000_000:
                raise RuntimeError("crisisd was not ready before the first step fell due")
            limit = (base + seconds[-1] * 1_000_000_000 - time.time_ns()) / 1e9 + 30
            self.receiver.wait_pages_since(mark, due, limit)
            arrivals = self.receiver.first_pages_since(mark, due)
            cpu = d.cpu_jiffies() - cpu0
            lateness = [arrivals[ref][1] - instant for ref, (instant, _) in due.items() if ref in arrivals]
            missing = len(due) - len(lateness)
            open_now = d.sample_visible()
        finally:
            d.stop()
        return {"crisisd": bs.summary_ms(lateness) | {
            "steps_due": len(due), "steps_not_paged": missing, "cpu_ms_per_step": cpu_ms(cpu, len(due)), "open_sampled_over_http": open_now,
            "due_pattern": f"{per_second} steps spread evenly over each of {len(seconds)} seconds, {seconds[-1]} s apart",
            "ready_s_first_start": ready_s,
            "earliest_page_ms": min(lateness) / 1e6 if lateness else None}}

    # 4. idle cost
    def idle(self, total=10000, window=30, settle=5):
        d = self.seeded_crisisd(total)
        a = self.new_alertmanager()
        try:
            d.start(timeout=120)
            open_crisisd = d.sample_visible()
            a.start()
            conn, prefix = a.connection(), f"idle{self.serial}-"
            for start in range(0, total, 1000):
                a.post_alerts([f"{prefix}{i}" for i in range(start, start + 1000)], conn)
            conn.close()
            # Alertmanager sends one notification per new group first: let that pass.
            self.receiver.wait_count(
                lambda: sum(1 for k in self.receiver.first if k.startswith("a:" + prefix)) >= total,
                60, quiet_after=10)
            time.sleep(settle)
            c0, a0, t0 = d.cpu_jiffies(), a.cpu_jiffies(), time.monotonic()
            time.sleep(window)
            c1, a1, t1 = d.cpu_jiffies(), a.cpu_jiffies(), time.monotonic()
            seconds = t1 - t0
            result = {
                "crisisd": {"cpu_percent": 100 * (c1 - c0) / HZ / seconds, "rss_mib": d.rss_kib() / 1024,
                            "open_sampled_over_http": open_crisisd},
                "alertmanager": {"cpu_percent": 100 * (a1 - a0) / HZ / seconds, "rss_mib": a.rss_kib() / 1024,
                                 "active_alerts": a.alerts_metric()},
                "window_s": round(seconds, 1), "note": "both daemons measured in the same window",
            }
        finally:
            d.stop()
            a.stop()
        return result

    # 5. recovery
    def recovery(self, total=100000, overdue=100, first_ready_limit=60, ready_limit=150):
        result = {}
        d = self.seeded_crisisd(total)
        try:
            try:
                exec_at, ready_at = d.start(timeout=first_ready_limit)
                first_ready_s = (ready_at - exec_at) / 1e9
            except RuntimeError:
                first_ready_s = None  # not ready in time: killed all the same, once it answers HTTP
            seen = d.sample_visible()
            before = db_counts(d.db)
            d.kill9()
            # The outage: some escalation steps fall due while crisisd is down.
            con = sqlite3.connect(d.db, timeout=30)
            ids = [r[0] for r in con.execute("SELECT id FROM crisis WHERE status = 'open' ORDER BY random() LIMIT ?",
                                             (overdue,))]
            con.close()
            due = move_escalations(d.db, {cid: time.time_ns() - 60_000_000_000 for cid in ids})
            mark = self.receiver.mark()
            exec_at, ready_at = d.start(timeout=ready_limit)
            self.receiver.wait_pages_since(mark, due, 30)
            arrivals = sorted(m for m, _ in self.receiver.first_pages_since(mark, due).values())
            seen_after = d.sample_visible()
            d.stop()
            after = db_counts(d.db)
            result["crisisd"] = {
                "db_before_kill": before, "db_after_restart": after, "first_start_ready_s": first_ready_s,
                "open_sampled_over_http_before": seen, "open_sampled_over_http_after": seen_after,
                "ready_s": (ready_at - exec_at) / 1e9,
                "first_overdue_after_ready_s": (arrivals[0] - ready_at) / 1e9 if arrivals else None,
                "first_overdue_after_exec_s": (arrivals[0] - exec_at) / 1e9 if arrivals else None,
                "all_overdue_after_ready_s": (arrivals[-1] - ready_at) / 1e9 if len(arrivals) == len(due) else None,
                "overdue_steps": len(due), "overdue_paged": len(arrivals),
                "none_lost": after["open"] == before["open"] == total
                and after["running_clocks"] == before["running_clocks"],
            }
        finally:
            d.stop()
        a = self.new_alertmanager()
        try:
            a.start()
            conn = a.connection()
            for start in range(0, 10000, 1000):
                a.post_alerts([f"rec{self.serial}-{i}" for i in range(start, start + 1000)], conn)
            conn.close()
            held = a.count_alerts()
            a.kill9()
            exec_at, ready_at = a.start()
            result["alertmanager"] = {"alerts_before_kill": held, "alerts_after_restart": a.count_alerts(),
                                      "ready_s": (ready_at - exec_at) / 1e9,
                                      "note": "Alertmanager keeps alerts in memory only"}
        finally:
            a.stop()
        return result


# --- machine facts, the table, targets ------------------------------------------------------------------


def machine_facts(work, crisisd):
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except Exception:
            return None

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), None)
    mount = run(["findmnt", "-no", "SOURCE,FSTYPE,OPTIONS", "-T", work])
    repo = os.path.dirname(HERE)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
        "memory_mib": os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20,
        "state_disk": mount, "os": run(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "commit": run(["git", "-C", repo, "rev-parse", "--short", "HEAD"]),
        "commit_dirty": bool(run(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"])),
        "crisisd": os.path.abspath(crisisd),
        "alertmanager_version": (run(["prometheus-alertmanager", "--version"]) or "").split("\n")[0],
        "wrk_version": (run(["sh", "-c", "wrk -v 2>&1 | head -1"]) or ""),
        "curl_version": (run(["curl", "--version"]) or "").split("\n")[0],
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
    }


def g(d, *path):
    for p in path:
        if d is None:
            return None
        d = d.get(p) if isinstance(d, dict) else None
    return d


def build_table(rows):
    """(header, lines, targets) from the rows' results."""
    r = {name: row.get("result") for name, row in rows.items()}
    mark = {name: row.get("mark", "") for name, row in rows.items()}
    fl = r.get("floors") or {}
    lines = []

    def add(row, figure, c, a, floor, ratio_am, ratio_floor):
        status = "not run" if row not in rows else "failed" if r.get(row) is None else mark.get(row, "")
        lines.append([figure, c, a, floor, ratio_am, ratio_floor, status])

    sq = r.get("sequential")
    rtt = g(fl, "http_round_trip")
    for p in ("p50_ms", "p99_ms", "max_ms"):
        c, a = g(sq, "crisisd", p), g(sq, "alertmanager", p)
        add("sequential", f"1. trigger → page, 1,000 sequential: {p[:-3]}", bs.fmt_ms(c), bs.fmt_ms(a),
            bs.fmt_ms(g(rtt, p)) + " (HTTP round trip)" if p != "max_ms" else "",
            bs.fmt_ratio(bs.ratio(c, a)), bs.fmt_ratio(bs.ratio(c, g(rtt, p))) if p != "max_ms" else "")
    c, a = g(sq, "crisisd", "cpu_ms_per_trigger"), g(sq, "alertmanager", "cpu_ms_per_trigger")
    add("sequential", "1. sequential: daemon CPU time per trigger", bs.fmt_ms(c), bs.fmt_ms(a), "",
        bs.fmt_ratio(bs.ratio(c, a)), "")
    bu = r.get("burst")
    c, a = g(bu, "crisisd", "accepted_per_s"), g(bu, "alertmanager", "accepted_per_s")
    add("burst", "2. burst, 64 clients × 10 s: accepted per second", bs.fmt_num(c), bs.fmt_num(a),
        bs.fmt_num(g(fl, "sqlite_full_commit", "per_s")) + " (FULL commits/s)", bs.fmt_ratio(bs.ratio(c, a)), "")
    add("burst", "2. burst: errors (non-2xx + socket)", bs.fmt_num(g(bu, "crisisd", "errors")),
        bs.fmt_num(g(bu, "alertmanager", "errors")), "", "", "")
    for p in ("p50_ms", "p99_ms"):
        c, a = g(bu, "crisisd", "trigger_to_page", p), g(bu, "alertmanager", "trigger_to_page", p)
        add("burst", f"2. burst: trigger → page {p[:-3]}", bs.fmt_ms(c), bs.fmt_ms(a), "", bs.fmt_ratio(bs.ratio(c, a)), "")
    c, a = g(bu, "crisisd", "cpu_ms_per_accepted"), g(bu, "alertmanager", "cpu_ms_per_accepted")
    add("burst", "2. burst: daemon CPU time per accepted trigger", bs.fmt_ms(c), bs.fmt_ms(a), "",
        bs.fmt_ratio(bs.ratio(c, a)), "")
    if bu:
        cd = g(bu, "crisisd") or {}
        am = g(bu, "alertmanager") or {}
        add("burst", "2. burst: every accepted one paged",
            f"{'yes' if cd.get('every_accepted_paged') else 'NO'} ({bs.fmt_num(cd.get('crises_stored'))} stored, "
            f"{bs.fmt_num(cd.get('crises_paged'))} paged)",
            f"{'yes' if am.get('every_accepted_paged') else 'NO'} ({bs.fmt_num(am.get('alerts_notified'))} sent; memory only)",
            "", "", "")
    ti = r.get("timer")
    for p in ("p50_ms", "p99_ms", "max_ms"):
        add("timer", f"3. timer lateness, 10,000 open, 1,000 due per second: {p[:-3]}", bs.fmt_ms(g(ti, "crisisd", p)),
            "—", "", "", "")
    add("timer", "3. timer: CPU time per step paged", bs.fmt_ms(g(ti, "crisisd", "cpu_ms_per_step")), "—", "", "", "")
    idl = r.get("idle")
    c, a = g(idl, "crisisd", "cpu_percent"), g(idl, "alertmanager", "cpu_percent")
    add("idle", "4. idle, 10,000 open, 30 s: CPU % of one core", None if c is None else f"{c:.2f} %",
        None if a is None else f"{a:.2f} %", "", bs.fmt_ratio(bs.ratio(c, a)), "")
    c, a = g(idl, "crisisd", "rss_mib"), g(idl, "alertmanager", "rss_mib")
    add("idle", "4. idle: RSS", None if c is None else f"{c:.0f} MiB", None if a is None else f"{a:.0f} MiB", "",
        bs.fmt_ratio(bs.ratio(c, a)), "")
    rec = r.get("recovery")
    c, a = g(rec, "crisisd", "ready_s"), g(rec, "alertmanager", "ready_s")
    add("recovery", "5. kill -9 with 100,000 open → READY", None if c is None else f"{c:.2f} s",
        None if a is None else f"{a:.2f} s (ready)", "", "", "")
    c, e = g(rec, "crisisd", "first_overdue_after_ready_s"), g(rec, "crisisd", "first_overdue_after_exec_s")
    add("recovery", "5. READY → first overdue step paged (exec → it)",
        None if c is None else f"{c:.3f} s ({e:.2f} s)", "—", "", "", "")
    if rec:
        cd, am = g(rec, "crisisd") or {}, g(rec, "alertmanager") or {}
        add("recovery", "5. after the restart: open / running clocks",
            f"{bs.fmt_num(g(cd, 'db_after_restart', 'open'))} / {bs.fmt_num(g(cd, 'db_after_restart', 'running_clocks'))}"
            f" ({'none lost' if cd.get('none_lost') else 'LOST'})",
            f"{am.get('alerts_after_restart')} of {am.get('alerts_before_kill')} alerts", "", "", "")
    add("floors", "6. floor: synchronous=FULL commit p50 / per s", "", "",
        f"{bs.fmt_ms(g(fl, 'sqlite_full_commit', 'p50_ms'))} / {bs.fmt_num(g(fl, 'sqlite_full_commit', 'per_s'))}", "", "")
    add("floors", "6. floor: loopback HTTP round trip p50 / p99", "", "",
        f"{bs.fmt_ms(g(rtt, 'p50_ms'))} / {bs.fmt_ms(g(rtt, 'p99_ms'))}", "", "")
    add("floors", "6. floor: libcurl POST, reused connection p50 / p99", "", "",
        f"{bs.fmt_ms(g(fl, 'curl_reused_post', 'p50_ms'))} / {bs.fmt_ms(g(fl, 'curl_reused_post', 'p99_ms'))}", "", "")
    lines = [[x if x is not None else "—" for x in line] for line in lines]
    header = ["figure", "crisisd", "Alertmanager", "floor", "crisisd / AM", "crisisd / floor", "load"]
    return header, lines, targets(r)


def targets(r):
    def check(name, value, ok):
        return {"target": name, "value": value, "pass": None if ok is None else bool(ok)}

    sq, bu, ti, idl, rec = (r.get(k) for k in ("sequential", "burst", "timer", "idle", "recovery"))
    out = []
    c50, a50 = g(sq, "crisisd", "p50_ms"), g(sq, "alertmanager", "p50_ms")
    c99, a99 = g(sq, "crisisd", "p99_ms"), g(sq, "alertmanager", "p99_ms")
    out.append(check("trigger → page p50 ≤ 1.5× Alertmanager's", bs.fmt_ratio(bs.ratio(c50, a50)),
                     None if c50 is None or a50 is None else c50 <= 1.5 * a50))
    out.append(check("trigger → page p99 ≤ Alertmanager's", bs.fmt_ratio(bs.ratio(c99, a99)),
                     None if c99 is None or a99 is None else c99 <= a99))
    cr, ar = g(bu, "crisisd", "accepted_per_s"), g(bu, "alertmanager", "accepted_per_s")
    out.append(check("burst intake ≥ 1.0× Alertmanager's rate", bs.fmt_ratio(bs.ratio(cr, ar)),
                     None if cr is None or ar is None else cr >= ar))
    out.append(check("burst: every crisis stored and paged, no errors",
                     f"{g(bu, 'crisisd', 'crises_paged')} paged of {g(bu, 'crisisd', 'crises_stored')}",
                     None if bu is None else g(bu, "crisisd", "every_accepted_paged") and g(bu, "crisisd", "errors") == 0))
    cp, ap = g(bu, "crisisd", "trigger_to_page", "p99_ms"), g(bu, "alertmanager", "trigger_to_page", "p99_ms")
    out.append(check("burst p99 trigger → page ≤ Alertmanager's", bs.fmt_ratio(bs.ratio(cp, ap)),
                     None if cp is None or ap is None else cp <= ap))
    t99 = g(ti, "crisisd", "p99_ms")
    out.append(check("timer lateness p99 ≤ 10 ms", bs.fmt_ms(t99),
                     None if t99 is None else t99 <= 10 and g(ti, "crisisd", "steps_not_paged") == 0))
    cpu, rss = g(idl, "crisisd", "cpu_percent"), g(idl, "crisisd", "rss_mib")
    out.append(check("idle ≤ 1 % of a core and ≤ 64 MiB", None if cpu is None else f"{cpu:.2f} %, {rss:.0f} MiB",
                     None if cpu is None else cpu <= 1 and rss <= 64))
    ready, first = g(rec, "crisisd", "ready_s"), g(rec, "crisisd", "first_overdue_after_ready_s")
    out.append(check("kill -9, 100,000 open: READY ≤ 2 s, none lost", None if ready is None else f"{ready:.2f} s",
                     None if ready is None else ready <= 2 and g(rec, "crisisd", "none_lost")))
    exec_first = g(rec, "crisisd", "first_overdue_after_exec_s")
    shown = None if first is None else (
        f"{first:.3f} s after READY" if first >= 0 else f"sent {-first:.2f} s before READY, {exec_first:.2f} s after exec")
    out.append(check("first overdue step ≤ 1 s after READY", shown, None if first is None else first <= 1))
    return out


def summary_markdown(report, table, target_list):
    """The run as the README's Performance section shows it (also written as latest.md)."""
    m = report["machine"] or {}
    disk = (m.get("state_disk") or "? ?").split()
    quiet = ("A quiet run: no row had other processes using more than 10 % of a core." if report["quiet"] else
             "Not a quiet run: other work shared the cores during the rows marked noisy in the load column "
             "(a row is run once more when other processes used more than 10 % of a core).")
    verdicts = [f"- {dict([(True, 'pass'), (False, '**fail**'), (None, 'n/a')])[t['pass']]}: {t['target']} ({t['value']})"
                for t in target_list]
    return (f"The latest run: commit {m.get('commit')}{' (with local changes)' if m.get('commit_dirty') else ''}, "
            f"{report['started'][:16].replace('T', ' ')} UTC, {m.get('cpu')} with {m.get('cores')} cores, "
            f"state on {disk[1]} ({disk[0]}), Alertmanager {(m.get('alertmanager_version') or '?').split()[2].rstrip(',')}, "
            f"{report['seconds']:.0f} s. {quiet}\n\n{table}\n\nIssue 11's targets:\n\n" + "\n".join(verdicts) + "\n")


# --- main -------------------------------------------------------------------------------------------------


ROWS = [  # name, method, time limit in seconds (a row is skipped when less is left), usual seconds
    ("floors", "floors", 40, 5),
    ("sequential", "sequential", 90, 20),
    ("burst", "burst", 150, 40),
    ("timer", "timer", 120, 45),
    ("idle", "idle", 100, 60),
    ("recovery", "recovery", 260, 250),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crisisd", required=True)
    parser.add_argument("--crisisctl", required=True)
    parser.add_argument("--alertmanager", default="/usr/bin/prometheus-alertmanager")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "latest.json"))
    parser.add_argument("--budget", type=float, default=600, help="seconds for the whole run")
    parser.add_argument("--only", help="comma-separated rows to run (default: all)")
    parser.add_argument("--no-rerun", action="store_true", help="never rerun a noisy row")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    budget = Budget(args.budget)
    work = tempfile.mkdtemp(prefix="crisisd-bench.", dir="/tmp")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    def on_alarm(*_):
        raise BudgetExceeded("the run's time budget")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.budget) + 30)  # the hard stop, should a row hang
    rows, started_at = {}, datetime.datetime.now(datetime.timezone.utc)
    only = set(args.only.split(",")) if args.only else None
    try:
        facts = machine_facts(work, args.crisisd)
        log(f"work folder {work}; commit {facts['commit']}; load {os.getloadavg()[0]:.2f}")
        bench = Bench(args, work)
        todo = [row for row in ROWS if not only or row[0] in only]
        for index, (name, method, limit, _) in enumerate(todo):
            # What the rows after this one usually take: a rerun must leave that much.
            reserve = sum(usual for *_, usual in todo[index + 1 :])
            attempts, row, kept = 0, {}, None
            while True:
                if budget.left() < limit:
                    row.setdefault("error", f"skipped: {budget.left():.0f} s left of the budget, the row may take {limit}")
                    log(f"{name}: skipped (budget)")
                    break
                attempts += 1
                log(f"{name}: run {attempts}")
                watch = LoadWatch()
                t0 = time.monotonic()
                try:
                    result, error = getattr(bench, method)(), None
                except (BudgetExceeded, KeyboardInterrupt):
                    raise
                except Exception as e:  # a failed row is reported, the others still run
                    result, error = None, f"{type(e).__name__}: {e}"
                    log(f"{name}: FAILED {error}")
                load = watch.finish()
                row = {"result": result, "error": error, "load": load, "attempts": attempts,
                       "seconds": round(time.monotonic() - t0, 1)}
                log(f"{name}: {row['seconds']} s, others used {load['others_cores']:.2f} cores ({load['verdict']})")
                if error and kept:  # a rerun that failed: the first run's figures stand, noisy
                    row = kept | {"attempts": attempts, "rerun_error": error}
                    break
                if load["verdict"] == "quiet" or attempts >= 2 or args.no_rerun or error:
                    break
                if budget.left() - row["seconds"] < reserve + 30:
                    log(f"{name}: noisy, but no time to rerun it")
                    break
                kept = row
                log(f"{name}: rerun (load: {', '.join(load['top_others'])})")
            row["mark"] = bs.row_mark(row.get("attempts", 1), g(row, "load", "verdict") or "quiet")
            rows[name] = row
    except BudgetExceeded as e:
        log(f"stopped: {e}")
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        signal.alarm(0)
        cleanup()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    header, lines, target_list = build_table(rows)
    table = bs.markdown_table(header, lines)
    finished_at = datetime.datetime.now(datetime.timezone.utc)
    noisy = [n for n, row in rows.items() if g(row, "load", "verdict") == "noisy"]
    report = {
        "schema": 1, "started": started_at.isoformat(timespec="seconds"),
        "finished": finished_at.isoformat(timespec="seconds"),
        "seconds": round((finished_at - started_at).total_seconds(), 1),
        "machine": facts if "facts" in locals() else None, "quiet": not noisy, "noisy_rows": noisy,
        "rows": rows, "table": {"header": header, "rows": lines}, "targets": target_list,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2, default=str)
    with open(os.path.splitext(args.out)[0] + ".md", "w") as f:
        f.write(summary_markdown(report, table, target_list))
    print()
    print(f"crisisd {report['machine'] and report['machine']['commit']} vs Alertmanager, "
          f"{started_at:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"{'quiet' if not noisy else 'noisy rows: ' + ', '.join(noisy)}; {report['seconds']:.0f} s")
    print(table)
    print()
    for t in target_list:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        print(f"  {verdict}  {t['target']}: {t['value']}")
    for name, row in rows.items():
        if row.get("error"):
            print(f"  row {name}: {row['error']}")
    print(f"\nwritten to {args.out}")
    return 0 if all(not row.get("error") for row in rows.values()) and rows else 1


if __name__ == "__main__":
    sys.exit(main())
