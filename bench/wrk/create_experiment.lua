-- A server function that writes one new row: BENCH_BODY (the form without the name) plus a name
-- made unique by BENCH_PREFIX, the thread and a counter.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

bench_post()
local body = os.getenv("BENCH_BODY")
local prefix = os.getenv("BENCH_PREFIX")
local sent = 0

function request()
  sent = sent + 1
  local name = string.format("%s-%d-%d", prefix, thread_index, sent)
  return wrk.format(nil, nil, nil, body .. "&name=" .. name)
end
