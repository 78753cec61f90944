-- MLflow's runs/log-metric: one point per request, to the runs in BENCH_RUNS (comma-separated
-- ids) in turn, each point at its own step (BENCH_T0, milliseconds, plus the thread's number
-- as its time), so no two requests log the same point.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

bench_post()
local runs = bench_runs()
local t0 = tonumber(os.getenv("BENCH_T0"))
local sent = 0

function request()
  sent = sent + 1
  local run = runs[(sent + thread_index) % #runs + 1]
  return wrk.format(nil, nil, nil, string.format(
    '{"run_id":"%s","key":"bench_metric","value":%d.5,"timestamp":%d,"step":%d}',
    run, sent % 1000, t0 + thread_index, sent))
end
