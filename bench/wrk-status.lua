-- wrk script: GET /api/v1/jobs/{id} for ids drawn uniformly from BENCH_ID_MIN..BENCH_ID_MAX
-- (all of them existing jobs); prints the figures as one JSON line.
local lo = tonumber(os.getenv("BENCH_ID_MIN") or "1")
local hi = tonumber(os.getenv("BENCH_ID_MAX") or "1")

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

request = function()
  return wrk.format("GET", "/api/v1/jobs/" .. math.random(lo, hi))
end

local report = dofile(os.getenv("BENCH_DIR") .. "/wrk-report.lua")
done = report
