-- Shared by every workload script (loaded with dofile): request headers from the environment,
-- a number for each wrk thread, and one line of results for `cargo xtask bench` to read.

-- BENCH_HEADERS: "Name: value" lines.
function bench_headers(headers)
  for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
end

-- A POST to BENCH_PATH with BENCH_HEADERS; the script's request() makes each body.
function bench_post()
  wrk.method = "POST"
  wrk.path = os.getenv("BENCH_PATH")
  bench_headers(wrk.headers)
end

-- BENCH_RUNS: the run ids (comma-separated) that logging requests take in turn.
function bench_runs()
  local runs = {}
  for id in os.getenv("BENCH_RUNS"):gmatch("[^,]+") do runs[#runs + 1] = id end
  return runs
end

-- Values that differ per request: this thread's number and a counter.
local threads = 0
function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d "
      .. "p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
