"""P3: many one-stage jobs at once through the service's workers, against as many shell loops of
`docker run`."""
import subprocess
import time

from .containers import LABEL, stage
from .interleave import interleave
from .runtime import BenchError, log
from .stats import ratio, summary


def service_block(svc, image, n, timeout=1800):
    """n jobs POSTed at once; (jobs/s from the first POST to the last job seen terminal, detail)."""
    chain = [stage(image, ["true"])]
    t0 = time.perf_counter()
    ids = [svc.client.submit(chain) for _ in range(n)]
    submitted = time.perf_counter() - t0
    # Jobs are claimed oldest first: wait for each in order, with the API's own `?wait=`.
    for job_id in ids:
        svc.await_terminal(job_id, t0, timeout)
    wall = time.perf_counter() - t0
    statuses = {}
    for job_id in ids:
        status = svc.client.job(job_id)["status"]
        statuses[status] = statuses.get(status, 0) + 1
    log("P3 service: %d jobs in %.1f s (%.2f jobs/s; submits took %.2f s) %s" % (n, wall, n / wall, submitted, statuses))
    return n / wall, {"wall_s": wall, "submit_s": submitted, "statuses": statuses}


def docker_block(image, n, loops):
    """n `docker run --rm` in `loops` parallel bash loops; (runs/s, detail)."""
    per = [n // loops + (1 if i < n % loops else 0) for i in range(loops)]
    script = 'for i in $(seq %d); do docker run --rm --label "$1" "$0" true >/dev/null || exit 1; done'
    t0 = time.perf_counter()
    procs = [subprocess.Popen(["bash", "-c", script % k, image, LABEL]) for k in per if k > 0]
    codes = [p.wait(timeout=1800) for p in procs]
    wall = time.perf_counter() - t0
    if any(codes):
        raise BenchError("a P3 docker loop failed: %s" % codes)
    log("P3 docker: %d runs in %.1f s (%.2f runs/s)" % (n, wall, n / wall))
    return n / wall, {"wall_s": wall}


def measure_throughput(svc, image, jobs_per_block, blocks, warmup_jobs, loops):
    def sides(n):
        return [("service", lambda: service_block(svc, image, n)), ("docker", lambda: docker_block(image, n, loops))]

    log("P3: warm-up of %d jobs each side, then %d blocks of %d" % (warmup_jobs, blocks, jobs_per_block))
    interleave(sides(warmup_jobs), rounds=0, warmup=1)
    samples = interleave(sides(jobs_per_block), rounds=blocks)
    r = {"jobs_per_block": jobs_per_block, "workers": svc.workers, "docker_loops": loops,
         "service": summary([rate for rate, _ in samples["service"]]),
         "docker": summary([rate for rate, _ in samples["docker"]]),
         "blocks": [{"service": s, "docker": d} for (_, s), (_, d) in zip(samples["service"], samples["docker"])]}
    r["figures"] = {
        "ratio": ratio(r["service"]["median"], r["docker"]["median"]),
        "not_succeeded": sum(jobs_per_block - b["service"]["statuses"].get("SUCCEEDED", 0) for b in r["blocks"]),
    }
    return r
