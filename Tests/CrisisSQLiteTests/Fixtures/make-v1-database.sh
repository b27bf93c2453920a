#!/usr/bin/env bash
# Writes v1-database.sqlite beside this script with crisisd as it shipped with migration v1
# (commit 8fd841e): three crises (one acknowledged with contact recorded, one resolved), their
# clocks, pages and journal, and one run-time cover. The store tests open it with today's code.
#
#   make-v1-database.sh BUILD_DIR     # BUILD_DIR holds crisisd and crisisctl built at 8fd841e
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "${1:?usage: make-v1-database.sh BUILD_DIR}" && pwd)"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/crisisd.toml" <<TOML
timezone = "Europe/Copenhagen"
state_dir = "$work/state"
[http]
listen = "127.0.0.1:28471"
[control]
socket = "$work/control.sock"
[[people]]
id = "anna"
name = "Anna Holm"
phone = "+4520000001"
contacts = ["console"]
[[people]]
id = "bo"
name = "Bo Madsen"
phone = "+4520000002"
contacts = ["console"]
[[channels]]
id = "console"
type = "console"
[[rotations]]
id = "chiefs"
members = ["anna", "bo"]
start = "2026-01-05T08:00"
shift = "7d"
[escalation]
steps = ["rotation:chiefs"]
TOML
"$bin/crisisd" --config "$work/crisisd.toml" >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -S "$work/control.sock" ] && break; sleep 0.1; done
sleep 0.5
ctl() { "$bin/crisisctl" "$@" --config "$work/crisisd.toml"; }
ref() { ctl trigger --category "$1" --site "$2" --callback +4512345678 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["reference"])'; }
first=$(ref violence "Depot 4")
second=$(ref accident "Yard")
third=$(ref death "Office 3")
ctl ack "$first" --by anna >/dev/null
ctl record "$first" contacted --by anna >/dev/null
ctl ack "$third" --by bo >/dev/null
ctl record "$third" contacted --by bo >/dev/null
ctl record "$third" waive-onsite --by bo --reason "assessed by phone" >/dev/null
ctl record "$third" resolved --by bo --outcome "supported" >/dev/null
ctl rota cover --rotation chiefs --person bo --from "2027-03-01 08:00" --to "2027-03-02 08:00" >/dev/null
sleep 1
kill -TERM "$pid"
wait "$pid" || true
python3 - "$work/state/crisisd.sqlite" "$here/v1-database.sqlite" <<'PY'
import sqlite3, sys
source = sqlite3.connect(sys.argv[1])
source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
target = sqlite3.connect(sys.argv[2])
source.backup(target)
target.execute("PRAGMA journal_mode = DELETE")
target.close()
PY
echo "wrote $here/v1-database.sqlite: $first (acknowledged), $second (open), $third (resolved)"
