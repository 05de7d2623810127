-- wrk script: POST /api/v1/jobs with a one-stage chain; prints the figures as one JSON line.
-- The image is taken from the environment (BENCH_IMAGE), default chainlink-test/busybox:latest.
local image = os.getenv("BENCH_IMAGE") or "chainlink-test/busybox:latest"

wrk.method = "POST"
wrk.path = "/api/v1/jobs"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"stages":[{"image":"' .. image .. '","entrypoint":["true"]}]}'

local report = dofile(os.getenv("BENCH_DIR") .. "/wrk-report.lua")
done = report
