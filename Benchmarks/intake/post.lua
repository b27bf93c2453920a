-- wrk script for the crisisd intake benchmark: every request raises one crisis.
-- The token comes from the environment (CRISISD_BENCH_TOKEN). No Idempotency-Key.
wrk.method = "POST"
wrk.body = '{"category":"violence","site":"Depot","callback":"+4512345678"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CRISISD_BENCH_TOKEN")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

-- Machine-readable lines, "BENCH key value", for intake-bench.sh.
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
  end
  local non2xx = 0
  for code, n in pairs(total) do
    io.write(string.format("BENCH status_%d %d\n", code, n))
    if code < 200 or code > 299 then non2xx = non2xx + n end
  end
  local e = summary.errors
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH requests_per_s %.2f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("BENCH non2xx %d\n", non2xx))
  io.write(string.format("BENCH socket_errors connect=%d read=%d write=%d timeout=%d status=%d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("BENCH latency_p50_ms %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("BENCH latency_p90_ms %.3f\n", latency:percentile(90) / 1000))
  io.write(string.format("BENCH latency_p99_ms %.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("BENCH latency_max_ms %.3f\n", latency.max / 1000))
end
