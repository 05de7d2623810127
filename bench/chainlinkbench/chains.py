"""P1 and P2: one chain at a time, submit to terminal, against the same stages run by `docker run`."""
from .containers import docker_runs, docker_runs_with_service_options, stage
from .interleave import interleave
from .runtime import log
from .service import instant
from .stats import median, medians_by_key, ratio, summary


def measure_chain(svc, image, n_stages, rounds, warmup, upstream=None, offline=False):
    """A chain of n_stages `true` stages, submitted to the service and run by each baseline in turn
    (upstream chainlink too, when given). offline: the same chain with `networking: false` too,
    against `docker run --network none`, the CLI's nearest way to a container without a network."""
    chain = [stage(image, ["true"]) for _ in range(n_stages)]
    sides = [
        ("service", lambda: svc.run_to_terminal(chain)),
        ("docker", lambda: (docker_runs(image, n_stages), None)),
        ("docker_options", lambda: (docker_runs_with_service_options(image, n_stages), None)),
    ]
    if offline:
        offline_chain = [stage(image, ["true"], networking=False) for _ in range(n_stages)]
        sides += [("service_offline", lambda: svc.run_to_terminal(offline_chain)),
                  ("docker_offline", lambda: (docker_runs(image, n_stages, "--network", "none"), None))]
    if upstream is not None:
        sides.append(("chainlink", lambda: upstream.run(chain)))
    log("%d-stage chain: %d warm-up + %d rounds of %s" % (n_stages, warmup, rounds, ", ".join(n for n, _ in sides)))
    samples = interleave(sides, rounds, warmup)
    seconds = {name: [s for s, _ in got] for name, got in samples.items()}
    jobs = samples["service"]
    every_job = jobs + samples.get("service_offline", [])
    runs = samples.get("chainlink", [])
    r = {"stages": n_stages, "image": image,
         "not_succeeded": [(job["id"], job["status"]) for _, job in every_job if job["status"] != "SUCCEEDED"]
                          + [("chainlink", run["success"]) for _, run in runs if not all(run["success"])],
         "service_breakdown_median": breakdown_medians([breakdown(job, s) for s, job in jobs]),
         **timings_medians([job for _, job in jobs]),
         "samples_s": seconds}
    for name in ("service", "docker", "docker_options", "chainlink", "service_offline", "docker_offline"):
        r[name] = summary(seconds[name]) if name in seconds else None
    r["chainlink_pull_median_s"] = median([run.get("pull_seconds") for _, run in runs])
    r["figures"] = {
        "ratio": ratio(r["service"]["median"], r["docker"]["median"]),
        "ratio_p99": ratio(r["service"]["p99"], r["docker"]["p99"]),
        # what the service's container options and job volume cost, and what the service adds beyond them
        "options_ratio": ratio(r["docker_options"]["median"], r["docker"]["median"]),
        "service_over_options": ratio(r["service"]["median"], r["docker_options"]["median"]),
        "chainlink_ratio": ratio(median(seconds.get("chainlink", [])), r["docker"]["median"]),
        "service_vs_chainlink": ratio(r["service"]["median"], median(seconds.get("chainlink", []))),
        "offline_ratio": ratio(median(seconds.get("service_offline", [])), median(seconds.get("docker_offline", []))),
        "not_succeeded": len(r["not_succeeded"]),
    }
    log("%d-stage chain: medians %s; ratio %.2f" % (n_stages, ", ".join(
        "%s %.3f s" % (name, r[name]["median"]) for name in seconds), r["figures"]["ratio"]))
    return r


def breakdown(job, total_s):
    """Where the time of one job went, from the service's own timestamps (ms): queued, before the
    first stage (pull check, volume), the stages, between stages, after the last stage, and what
    the client saw on top (HTTP, its wait)."""
    stages = job.get("stages") or []
    created, started, finished = (instant(job[k]) for k in ("createdAt", "startedAt", "finishedAt"))
    if created is None or started is None or finished is None or not stages:
        return None
    first, last = instant(stages[0]["startedAt"]), instant(stages[-1]["finishedAt"])
    ms = lambda a, b: (b - a) * 1000 if a is not None and b is not None else None  # noqa: E731
    return {
        "queued_ms": ms(created, started),
        "before_first_stage_ms": ms(started, first),
        "stages_ms": ms(first, last),
        "stage_run_ms": [ms(instant(x["startedAt"]), instant(x["finishedAt"])) for x in stages],
        "between_stages_ms": [ms(instant(a["finishedAt"]), instant(b["startedAt"])) for a, b in zip(stages, stages[1:])],
        "after_last_stage_ms": ms(last, finished),
        "created_to_finished_ms": ms(created, finished),
        "client_overhead_ms": total_s * 1000 - ms(created, finished),
    }


def breakdown_medians(items):
    items = [b for b in items if b]
    out = medians_by_key([{k: v for k, v in b.items() if not isinstance(v, list)} for b in items])
    out["per_stage_run_ms"] = median([x for b in items for x in b["stage_run_ms"]])
    out["between_stages_ms"] = median([x for b in items for x in b["between_stages_ms"]])
    return out


def timings_medians(jobs):
    """The service's own account of each stage (its job view's per-stage "timings": image,
    create, start, run, collect, in ms), as medians across jobs: of each job's sum over its
    stages, and per stage. Nothing when the service does not report them."""
    per_job, per_stage = [], []
    for job in jobs:
        timings = [stage.get("timings") for stage in job.get("stages") or []]
        if not timings or not all(isinstance(t, dict) for t in timings):
            continue
        per_job.append({k: sum(t.get(k) or 0 for t in timings) for k in timings[0]})
        per_stage += [[] for _ in range(len(timings) - len(per_stage))]
        for i, t in enumerate(timings):
            per_stage[i].append(t)
    if not per_job:
        return {}
    return {"service_timings_median_ms": {"per_job": medians_by_key(per_job),
                                          "per_stage": [medians_by_key(ts) for ts in per_stage]}}
