-- MLflow's runs/log-batch with BENCH_POINTS metric points per request (1,000: MLflow's most),
-- to the runs in BENCH_RUNS in turn, every point at its own step.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

bench_post()
local runs = bench_runs()
local t0 = tonumber(os.getenv("BENCH_T0"))
local points = tonumber(os.getenv("BENCH_POINTS") or "1000")
local sent = 0

function request()
  sent = sent + 1
  local run = runs[(sent + thread_index) % #runs + 1]
  local time = t0 + thread_index
  local parts = {}
  for i = 1, points do
    parts[i] = string.format('{"key":"bench_batch","value":%d.25,"timestamp":%d,"step":%d}',
      i, time, sent * points + i)
  end
  return wrk.format(nil, nil, nil,
    '{"run_id":"' .. run .. '","metrics":[' .. table.concat(parts, ",") .. "]}")
end
