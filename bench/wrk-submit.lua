-- wrk script: POST /api/v1/jobs with a one-stage chain; prints the figures as one JSON line.
-- The image is taken from the environment (BENCH_IMAGE), default chainlink-test/busybox:latest.
-- BENCH_MARKER (NAME=VALUE) goes into the stage's env: a service whose workers run the jobs (P4b)
-- then leaves containers the bench's cleanup can tell apart from anyone else's.
local image = os.getenv("BENCH_IMAGE") or "chainlink-test/busybox:latest"
local name, value = (os.getenv("BENCH_MARKER") or "="):match("^([^=]*)=(.*)$")
local env = name ~= "" and string.format(',"env":{"%s":"%s"}', name, value) or ""

wrk.method = "POST"
wrk.path = "/api/v1/jobs"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"stages":[{"image":"' .. image .. '","entrypoint":["true"]' .. env .. '}]}'

local report = dofile(os.getenv("BENCH_DIR") .. "/wrk-report.lua")
done = report
