-- wrk script: GET /api/v1/jobs/{id} for ids drawn uniformly from the file BENCH_IDS_FILE, one id a
-- line (all of them existing jobs: ids are random UUIDs, so there is no range to draw from);
-- prints the figures as one JSON line.
local ids = {}

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
  for line in io.lines(os.getenv("BENCH_IDS_FILE")) do
    if #line > 0 then
      ids[#ids + 1] = line
    end
  end
end

request = function()
  return wrk.format("GET", "/api/v1/jobs/" .. ids[math.random(1, #ids)])
end

local report = dofile(os.getenv("BENCH_DIR") .. "/wrk-report.lua")
done = report
