"""P4, P4b and P5: the API under wrk's load. P4 with no container running (workers=0); P4b while
its workers run one-stage jobs back to back; P5 with a database of many stored jobs. Their
services are up at the same time and measured in alternation."""
import functools
import time

from .busy_workers import BusyWorkers, drain
from .containers import stage
from .interleave import interleave
from .runtime import log
from .seed import stored_database, templates_service
from .service import Service, launch_side_by_side
from .stats import ratio
from .wrk import READS, SUBMITS, CpuMeter, RssSampler, combine_runs, wrk

# Jobs submitted to each service before the load: P4's reads draw from them; on P5's they are the
# newest (its diagnostic reads over them), the SUCCEEDED copies older.
QUEUED = 100


class Target:
    """A service the load runs against, under its scenario's key, and the ids its reads draw from."""

    def __init__(self, key, svc, read_ids, tmp, diagnostic_over=0):
        self.key, self.svc, self.tmp = key, svc, tmp
        self.read_ids = read_ids
        self.diagnostic_over = diagnostic_over  # if set, reads_over_newest(it) runs after the read rounds
        self.ids_file = self.write_ids(read_ids, "read-ids-%s" % key)
        self.runs = {"reads": [], "submits": []}
        self.runs_last = frozenset()  # kinds of load whose runs on this service follow the others' (BusyTarget)
        self.rss = []
        self.jobs_before = {}

    def write_ids(self, ids, name):
        path = self.tmp / name
        path.write_text("\n".join(ids) + "\n")
        return path

    def stored(self):
        return len(self.svc.client.job_ids())

    def load(self, script, seconds, image, ids_file=None):
        cpu = CpuMeter(self.svc)
        res = wrk(self.svc.port, script, seconds, image, ids_file or self.ids_file)
        res.update(cpu.figures(res["requests"]))
        return res

    def measured(self, kind, script, seconds, image):
        sampler = RssSampler(self.svc)
        sampler.start()
        try:
            res = self.load(script, seconds, image)
        finally:
            self.rss.append(sampler.stop())
        self.runs[kind].append(res)
        log("  %s %s run %d: %.0f req/s, p50 %.1f ms, p99 %.1f ms, non-2xx %d; service CPU %.0f µs a request, %.0f%% of the machine" % (
            self.key, kind, len(self.runs[kind]), res["rps"], res["latency_ms_p50"], res["latency_ms_p99"], res["non_2xx"],
            res["service_cpu_us_per_request"] or 0, 100 * (res["service_cpu_share"] or 0)))

    def reads_over_newest(self, n, seconds, image):
        """Diagnostic, not a floor: reads over only the service's newest n ids (P4's working set
        when n is 100), which separates "the database is bigger" from "the reads touch more rows"."""
        self.diagnostic = self.load(READS, seconds, image, self.write_ids(self.read_ids[:n], "read-ids-%s-newest" % self.key))
        log("  %s reads over its newest %d ids (diagnostic): %.0f req/s, p99 %.1f ms"
            % (self.key, n, self.diagnostic["rps"], self.diagnostic["latency_ms_p99"]))

    def result(self):
        after = self.svc.rss_mb()
        during = [x for x in self.rss if x is not None]
        return {"reads": combine_runs(self.runs["reads"]), "submits": combine_runs(self.runs["submits"]),
                "read_ids": len(self.read_ids),
                "jobs_stored_before_reads": self.jobs_before["reads"],
                "jobs_stored_before_submits": self.jobs_before["submits"],
                "jobs_stored_after": self.stored(),
                "rss_max_during_mb": max(during) if during else None, "rss_after_mb": after,
                "rss_max_mb": max(during + ([after] if after is not None else []))}


class BusyTarget(Target):
    """P4b's service: its workers run one-stage jobs back to back during each run of the load on
    it (warm-up included). After a read run they are made idle (queue cancelled, running jobs
    waited for), so that no container of it runs while the other services are measured. A submit
    run leaves thousands of jobs queued, whose cancels would take seconds per thousand: its
    submit runs come after the other services' instead, one after another, on its backlog."""

    def __init__(self, key, svc, read_ids, tmp, image, prefill, low):
        drain(svc)  # the jobs the reads draw from were submitted to a service that runs them
        super().__init__(key, svc, read_ids, tmp)
        self.runs_last = frozenset({"submits"})
        self.busy = lambda drain_after: BusyWorkers(svc, image, prefill, low, drain_after)

    def load(self, script, seconds, image, ids_file=None):
        with self.busy(drain_after=script != SUBMITS) as workers:
            res = super().load(script, seconds, image, ids_file)
        res["busy_workers"] = workers.facts()
        return res

    def result(self):
        r = super().result()
        for kind in ("reads", "submits"):
            busy = [run["busy_workers"] for run in self.runs[kind]]
            r[kind + "_jobs_run"] = sum(b["jobs_run"] for b in busy)
            r[kind + "_queue_ran_dry"] = sum(b["queue_ran_dry"] for b in busy)
        return r


def load_rounds(targets, image, seconds, warmup_seconds, rounds):
    """Reads first, then submits; for each, a warm-up run on every service, then `rounds` rounds
    of one run per service, alternating the order (a service that must run last for a kind,
    runs_last, gets its warm-up and rounds after the others'). Reads come first so that the
    "empty" database really is (submits add jobs: at 10,000 submits/s a 10 s run adds 100,000)."""
    for kind, script in (("reads", READS), ("submits", SUBMITS)):
        for t in targets:
            t.jobs_before[kind] = t.stored()
        for group in ([t for t in targets if kind not in t.runs_last], [t for t in targets if kind in t.runs_last]):
            if not group:
                continue
            log("%s %s: %d s warm-up on each service, then %d rounds of %d s" % (
                "/".join(t.key for t in group), kind, warmup_seconds, rounds, seconds))
            interleave([(t.key, functools.partial(t.load, script, warmup_seconds, image)) for t in group], 0, warmup=1)
            interleave([(t.key, functools.partial(t.measured, kind, script, seconds, image)) for t in group],
                       rounds, alternate=True)
        for t in targets:
            if kind == "reads" and t.diagnostic_over:
                t.reads_over_newest(t.diagnostic_over, seconds, image)
    time.sleep(1)
    return {t.key: t.result() for t in targets}


def submit_queued(svc, image):
    return [svc.client.submit([stage(image, ["true"])]) for _ in range(QUEUED)]


class HttpServices:
    """The services of P4, P4b and P5 (P5's first runs the jobs its database is copied from), made
    before they are launched: their JVMs may start while the bench still measures something that
    is not a time (P6: a heap)."""

    def __init__(self, tmp, stored_jobs, busy):
        self.stored_jobs, self.busy = stored_jobs, busy  # P5's job count (0: no P5), P4b's plan (None: no P4b)
        self.empty = Service(tmp, "p4-empty", workers=0)
        self.templates = templates_service(tmp) if stored_jobs else None
        self.working = Service(tmp, "p4b-working", workers=busy["workers"]) if busy else None
        self.launched = False

    def all(self):
        return [svc for svc in (self.empty, self.templates, self.working) if svc]

    def launch(self, stack):
        """Launches them once; each is stopped when the ExitStack `stack` closes."""
        if not self.launched:
            launch_side_by_side(stack, self.all())
            self.launched = True


def measure_http(tmp, image, services, stack, seconds, warmup_seconds, rounds):
    """P4 on an (almost) empty database; P5 on one holding services.stored_jobs jobs, if any; P4b
    with services.busy's plan, if any. `services` (HttpServices) are launched here unless they were
    already, and stopped with the ExitStack `stack`. (P4, P4b or None, P5 or None)"""
    stored_jobs, busy = services.stored_jobs, services.busy
    services.launch(stack)
    for svc in services.all():
        svc.wait_until_up()
    empty, working = services.empty, services.working
    targets = [Target("P4", empty, submit_queued(empty, image), tmp)]
    if busy:
        targets.append(BusyTarget("P4b", working, submit_queued(working, image), tmp, image,
                                  busy["prefill"], busy["low"]))
    if stored_jobs:
        data_dir, seeded = stored_database(services.templates, tmp, image, stored_jobs, queued=QUEUED)
        full = stack.enter_context(Service(tmp, "p5-stored", workers=0, data_dir=data_dir))
        submit_queued(full, image)
        p5_target = Target("P5", full, full.client.job_ids(), tmp, diagnostic_over=QUEUED)
        targets.append(p5_target)
    res = load_rounds(targets, image, seconds, warmup_seconds, rounds)
    p4 = res["P4"]
    p4["figures"] = load_figures(p4)
    p4b = res.get("P4b")
    if p4b is not None:
        p4b["workers"] = busy["workers"]
        p4b["p4_figures"] = p4["figures"]
        p4b["figures"] = {**load_figures(p4b, p4), "reads_queue_ran_dry": p4b["reads_queue_ran_dry"],
                          "submits_queue_ran_dry": p4b["submits_queue_ran_dry"]}
    p5 = res.get("P5")
    if p5 is not None:
        p5.update(seeded)
        p5["reads_over_100_ids_diagnostic"] = p5_target.diagnostic
        p5["p4_figures"], p5["p4_rss_max_mb"] = p4["figures"], p4["rss_max_mb"]
        p5["figures"] = {**load_figures(p5, p4), "rss_max_mb": p5["rss_max_mb"]}
    return p4, p4b, p5


def load_figures(r, baseline=None):
    figures = {}
    for kind in ("submits", "reads"):
        figures[kind + "_rps"] = r[kind]["rps"]
        figures[kind + "_p99_ms"] = r[kind]["latency_ms_p99"]
        if baseline is not None:
            figures[kind + "_vs_p4"] = ratio(r[kind]["rps"], baseline[kind]["rps"])
    return figures
