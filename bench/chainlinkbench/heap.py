"""P6: one stage that writes a lot to stdout and stderr, and what it does to the service's heap."""
import statistics
import time

from .containers import stage
from .service import TERMINAL


def measure_heap(svc, image, mb_per_stream):
    # Warm the paths once with a tiny job, so class loading does not count as growth.
    svc.run_to_terminal([stage(image, ["sh", "-c", "echo warm; echo warm >&2"])])
    time.sleep(1)
    svc.gc()
    idle = []
    for _ in range(25):
        idle.append(svc.heap_used_mb())
        time.sleep(0.2)
    after_gc_before = idle[0]
    base = statistics.median(idle)
    n = mb_per_stream * 1024 * 1024
    cmd = "yes $(printf '%%0999d' 0) | head -c %d; yes $(printf '%%0999d' 0) | head -c %d >&2" % (n, n)
    t0 = time.perf_counter()
    job_id = svc.client.submit([stage(image, ["sh", "-c", cmd], timeout=900)])
    samples, rss = [], []
    status = None
    # Sampling every 200 ms can miss a short spike: the peak is a lower bound of the true one.
    while time.perf_counter() - t0 < 1200:
        samples.append(svc.heap_used_mb())
        rss.append(svc.rss_mb())
        status = svc.client.job(job_id)["status"]
        if status in TERMINAL:
            break
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    job = svc.client.job(job_id)
    results = svc.client.json("GET", "/api/v1/jobs/%s/results" % job_id)
    time.sleep(1)
    svc.gc()
    retained = svc.heap_used_mb()
    logs = {}
    for stream in ("stdout", "stderr"):
        code, raw = svc.client.request("GET", "/api/v1/jobs/%s/stages/0/logs/%s" % (job_id, stream))
        logs[stream] = {"http": code, "bytes": len(raw),
                        "last_line": raw.decode(errors="replace").rstrip("\n").split("\n")[-1][-200:]}
    r = {
        "mb_per_stream": mb_per_stream,
        "job_id": job_id, "status": status, "wall_s": wall,
        "stage": {k: job["stages"][0].get(k) for k in ("status", "exitCode", "killed")} if job.get("stages") else None,
        "success": results[0].get("success") if results else None,
        "heap_idle_after_gc_mb": after_gc_before,
        "heap_idle_median_mb": base,
        "heap_idle_max_mb": max(idle),
        "heap_peak_mb": max(samples),
        "heap_peak_growth_mb": max(samples) - base,
        "heap_after_job_gc_mb": retained,
        "heap_retained_growth_mb": retained - after_gc_before,
        "rss_max_mb": max(x for x in rss if x is not None),
        "heap_samples": len(samples),
        "logs_stored": logs,
    }
    r["figures"] = {"heap_peak_growth_mb": r["heap_peak_growth_mb"], "succeeded": int(status == "SUCCEEDED")}
    return r
