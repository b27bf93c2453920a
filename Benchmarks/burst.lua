-- wrk script for the burst row: every request is unique and carries its own send time.
-- BENCH_TARGET=crisisd: POST /v1/crises with the stamp in `site` (BENCH_TOKEN is the bearer token).
-- BENCH_TARGET=alertmanager: POST /api/v2/alerts, one alert with the stamp in its `bid` label.
-- The stamp is "b<thread>-<n>-<CLOCK_MONOTONIC ns>", taken when wrk builds the request, i.e.
-- just before it writes it: the receiver subtracts it from the page's arrival.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local now = ffi.new("bench_timespec")

local function mono_ns()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
  return tonumber(now.tv_sec) * 1e9 + tonumber(now.tv_nsec)
end

local target = os.getenv("BENCH_TARGET") or "crisisd"
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  counter = 0
  headers = { ["Content-Type"] = "application/json" }
  if target == "crisisd" then
    headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  end
end

function request()
  counter = counter + 1
  local stamp = string.format("b%d-%d-%.0f", id, counter, mono_ns())
  local body
  if target == "crisisd" then
    body = '{"category":"violence","site":"' .. stamp .. '","callback":"+4512345678"}'
  else
    body = '[{"labels":{"alertname":"bench","bid":"' .. stamp .. '"},"endsAt":"2099-01-01T00:00:00Z"}]'
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

-- Machine-readable lines, "BENCH key value", for the harness.
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("BENCH status_%d %d\n", code, n)) end
  local e = summary.errors
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH latency_p50_ms %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("BENCH latency_p99_ms %.3f\n", latency:percentile(99) / 1000))
end
