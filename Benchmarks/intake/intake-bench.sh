#!/usr/bin/env bash
# crisisd intake benchmark (issue 8): the intake rate of 64 concurrent HTTP clients for 10 s
# against a release build (wrk, loopback), each crisis paged over a webhook to a local receiver.
#
#   intake-bench.sh REPO_DIR
#
# Builds REPO_DIR in release, writes a throw-away config into a temp folder, starts crisisd and a
# local webhook receiver (127.0.0.1 only), runs
#   wrk -t2 -c64 -d10s --latency -s post.lua http://127.0.0.1:PORT/v1/crises
# then waits (at most 120 s) until every crisis created has been paged, and prints one
# "RESULT key value" line per metric. Everything is stopped at the end, whatever happens.
# Knobs (environment): BENCH_DURATION (default 10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
# BENCH_PAGE_WAIT (120 s), BENCH_SKIP_BUILD=1 (use the build already in REPO_DIR/.build/release),
# BENCH_KEEP=1 (keep the temp folder for inspection), BENCH_SETTLE (default 30 s: after the build,
# `sync` and wait this long so the build's disk writeback and CPU are over before wrk starts).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "${1:?usage: intake-bench.sh REPO_DIR}" && pwd)"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
PAGE_WAIT="${BENCH_PAGE_WAIT:-120}"
SETTLE="${BENCH_SETTLE:-30}"
# Process names counted as "compilers" in the load samples.
COMPILERS='swift-frontend|swift-build|swift-driver|swiftc|clang|clang\+\+|cc1|cc1plus|ld|ld\.gold|ld\.lld|rustc|go|javac|make'

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
result() { printf 'RESULT %-26s %s\n' "$1" "$2"; }

# --- tools -------------------------------------------------------------------------------------
need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
PYTHON="$(command -v python3)"

# --- build -------------------------------------------------------------------------------------
COMMIT="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "setup + release build of $REPO_DIR ($COMMIT)"
    (cd "$REPO_DIR" && ./scripts/setup)
    (cd "$REPO_DIR" && timeout 3600 swift build -c release) >&2
fi
CRISISD="$REPO_DIR/.build/release/crisisd"
CRISISCTL="$REPO_DIR/.build/release/crisisctl"
[ -x "$CRISISD" ] || { echo "no $CRISISD" >&2; exit 1; }

log "sync, then settle ${SETTLE}s"
sync
sleep "$SETTLE"

# --- temp folder, cleanup ------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/crisisd-bench.XXXXXX)"
DAEMON_PID=""
RECEIVER_PID=""
LOAD_PID=""
cleanup() {
    set +e
    [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
    if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
        kill -TERM "$DAEMON_PID"
        for _ in $(seq 1 100); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$DAEMON_PID" 2>/dev/null && { log "crisisd did not stop in 10 s: SIGKILL"; kill -KILL "$DAEMON_PID"; }
    fi
    if [ -n "$RECEIVER_PID" ] && kill -0 "$RECEIVER_PID" 2>/dev/null; then
        kill -TERM "$RECEIVER_PID"
        for _ in $(seq 1 50); do kill -0 "$RECEIVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$RECEIVER_PID" 2>/dev/null && kill -KILL "$RECEIVER_PID"
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# --- webhook receiver ----------------------------------------------------------------------------
"$PYTHON" "$HERE/page-receiver.py" "$WORK/receiver.port" 900 >"$WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/receiver.port" ] && break; sleep 0.1; done
[ -s "$WORK/receiver.port" ] || { echo "the receiver did not start" >&2; cat "$WORK/receiver.out" >&2; exit 1; }
RECEIVER_PORT="$(cat "$WORK/receiver.port")"
receiver_stats() { curl -s --max-time 5 "http://127.0.0.1:$RECEIVER_PORT/stats"; }
jget() { "$PYTHON" -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

# --- config --------------------------------------------------------------------------------------
TOKEN="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(24))')"
TOKEN_SHA="$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
PORT="$(free_port)"
CONFIG="$WORK/crisisd.toml"
mkdir -p "$WORK/state" "$WORK/run"
cat >"$CONFIG" <<EOF
# Written by intake-bench.sh: one requester, one person on a one-person rotation, paged by webhook.
timezone = "UTC"
state_dir = "$WORK/state"

[http]
listen = "127.0.0.1:$PORT"
public_url = "http://127.0.0.1:$PORT"
max_body_bytes = 65536

[control]
socket = "$WORK/run/control.sock"

[[people]]
id = "psy"
name = "Bench Psychologist"
phone = "+4520000001"
contacts = ["hook"]
roles = ["chief", "crisis"]

[[channels]]
id = "hook"
type = "webhook"
url = "http://127.0.0.1:$RECEIVER_PORT/pages"
secret = "bench-secret-0123456789abcdef"

[[rotations]]
id = "oncall"
members = ["psy"]
start = "2020-01-01T00:00"
shift = "30000d"

[escalation]
steps = ["rotation:oncall"]

[[requesters]]
id = "bench"
token_sha256 = "$TOKEN_SHA"
EOF
"$CRISISCTL" check-config --config "$CONFIG" >&2 || { echo "check-config failed" >&2; exit 1; }

# --- daemon --------------------------------------------------------------------------------------
LOAD_BEFORE="$(uptime) compilers=$(pgrep -c -x "$COMPILERS" || true)"
log "load before: $LOAD_BEFORE"
"$CRISISD" --config "$CONFIG" >"$WORK/crisisd.log" 2>&1 &
DAEMON_PID=$!
healthy=0
for _ in $(seq 1 300); do   # at most ~60 s
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz")" = 200 ]; then
        healthy=1; break
    fi
    kill -0 "$DAEMON_PID" 2>/dev/null || break
    sleep 0.2
done
[ "$healthy" = 1 ] || { echo "crisisd did not answer /healthz" >&2; tail -20 "$WORK/crisisd.log" >&2; exit 1; }
log "crisisd up on 127.0.0.1:$PORT (pid $DAEMON_PID), receiver on 127.0.0.1:$RECEIVER_PORT"

# --- load ----------------------------------------------------------------------------------------
# The load average sampled every 2 s while wrk runs, with the number of compiler/build processes
# on the machine (other engineers' builds share the 2 cores).
(while true; do echo "$(cut -d' ' -f1-3 /proc/loadavg) compilers=$(pgrep -c -x "$COMPILERS" || true)"; sleep 2; done) >"$WORK/loadavg.samples" &
LOAD_PID=$!
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
set +e
CRISISD_BENCH_TOKEN="$TOKEN" timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s "$HERE/post.lua" "http://127.0.0.1:$PORT/v1/crises" >"$WORK/wrk.out" 2>&1
WRK_RC=$?
set -e
WRK_END="$("$PYTHON" -c 'import time; print(time.time())')"
kill "$LOAD_PID" 2>/dev/null || true; wait "$LOAD_PID" 2>/dev/null || true; LOAD_PID=""
sed 's/^/  wrk| /' "$WORK/wrk.out" >&2
[ "$WRK_RC" = 0 ] || log "wrk exited $WRK_RC"
bench() { awk -v k="$1" '$1=="BENCH" && $2==k {print $3; exit}' "$WORK/wrk.out"; }

# --- wait for the pages --------------------------------------------------------------------------
DB="$WORK/state/crisisd.sqlite"
count_crises() { sqlite3 -cmd ".timeout 5000" "$DB" "SELECT count(*) FROM crisis" 2>/dev/null || echo "?"; }
deadline=$(( $(date +%s) + PAGE_WAIT ))
CRISES="?"; PAGED="?"
while :; do
    CRISES="$(count_crises)"
    PAGED="$(receiver_stats | jget distinct_references)"
    if [ "$CRISES" != "?" ] && [ -n "$PAGED" ] && [ "$PAGED" -ge "$CRISES" ]; then break; fi
    [ "$(date +%s)" -ge "$deadline" ] && { log "gave up waiting for pages after ${PAGE_WAIT}s"; break; }
    sleep 0.5
done
STATS="$(receiver_stats)"
LAST_NEW="$(echo "$STATS" | jget last_new_at)"
if [ -n "$LAST_NEW" ]; then
    DRAIN="$("$PYTHON" -c 'import sys; print("%.2f" % (float(sys.argv[1]) - float(sys.argv[2])))' "$LAST_NEW" "$WRK_END")"
else
    DRAIN="n/a"
fi
PAGE_STATES="$(sqlite3 -cmd ".timeout 5000" "$DB" "SELECT status || '=' || count(*) FROM page GROUP BY status" 2>/dev/null | paste -sd' ' -)"

# --- stop ----------------------------------------------------------------------------------------
# crisisd's CPU time (user+sys) over its whole life: start-up, the load and the paging.
DAEMON_CPU="$(awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /,""); printf "%.2f", ($12+$13)/hz}' "/proc/$DAEMON_PID/stat" 2>/dev/null || echo "?")"
kill -TERM "$DAEMON_PID"
for _ in $(seq 1 100); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$DAEMON_PID" 2>/dev/null; then log "crisisd ignored SIGTERM for 10 s: SIGKILL"; kill -KILL "$DAEMON_PID"; DAEMON_STOP="killed"; else
    wait "$DAEMON_PID" 2>/dev/null; DAEMON_STOP="exit $?"; fi
DAEMON_PID=""
LOAD_AFTER="$(uptime) compilers=$(pgrep -c -x "$COMPILERS" || true)"
ERRORS_LOGGED="$(grep -ciE 'error|critical|fail' "$WORK/crisisd.log" || true)"

echo "crisisd intake benchmark: $REPO_DIR at $COMMIT, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
result commit "$COMMIT"
result requests_per_s "$(bench requests_per_s)"
result requests_total "$(bench requests)"
result latency_p50_ms "$(bench latency_p50_ms)"
result latency_p99_ms "$(bench latency_p99_ms)"
result latency_max_ms "$(bench latency_max_ms)"
result non2xx "$(bench non2xx)"
result status_codes "$(awk '$1=="BENCH" && $2 ~ /^status_/ {sub("status_","",$2); printf "%s=%s ", $2, $3}' "$WORK/wrk.out")"
result socket_errors "$(awk '$1=="BENCH" && $2=="socket_errors" {print $3, $4, $5, $6, $7}' "$WORK/wrk.out")"
result wrk_rps_line "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")"
result crises_created "$CRISES"
S201="$(bench status_201)"
result in_flight_at_wrk_stop "$(( ${CRISES//\?/0} - ${S201:-0} ))"
result crises_paged_distinct "$PAGED"
result webhook_deliveries "$(echo "$STATS" | jget deliveries)"
result page_rows "$PAGE_STATES"
result last_page_after_wrk_s "$DRAIN"
result daemon_cpu_s "$DAEMON_CPU"
result daemon_stop "$DAEMON_STOP"
result daemon_log_error_lines "$ERRORS_LOGGED"
result loadavg_during "$(paste -sd'|' "$WORK/loadavg.samples")"
result load_before "$LOAD_BEFORE"
result load_after "$LOAD_AFTER"
