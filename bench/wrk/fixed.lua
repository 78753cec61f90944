-- The same request every time: BENCH_METHOD (GET), BENCH_PATH, BENCH_BODY, BENCH_HEADERS.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.body = os.getenv("BENCH_BODY")
bench_headers(wrk.headers)
