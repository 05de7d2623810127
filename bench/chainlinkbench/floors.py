"""The scenarios' floors and goals, in one table.

Each scenario's result carries named figures ("figures": ratio, submits_rps, …). A row of the
table says what it measures, against what, how its figures are shown, and the limits on them: the
floor (what must hold) and the goal (where the work is headed, beyond the floor). The printed table
and the JSON's are built from this table alone; a floor is stated nowhere else.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """A bound on one figure; its words come from the bound unless `text` says them."""
    figure: str
    op: str  # "≤" or "≥"
    bound: float
    unit: str = ""
    label: str = ""  # what it bounds, when a row has several limits
    text: str = ""
    # Set for a figure the run may leave out (a baseline that is optional): the limit is then not
    # judged, and the table says this instead. Unset, a figure that is missing does not hold.
    unmeasured: str = ""

    def describe(self):
        if self.text:
            return self.text
        if self.unit.startswith("×"):
            bound = "%.2f" % self.bound
        elif self.bound == int(self.bound):
            bound = "{:,}".format(int(self.bound))
        else:
            bound = "%g" % self.bound
        return "%s%s %s%s" % (self.label + " " if self.label else "", self.op, bound, self.unit)

    def judge(self, figures):
        """True or False; None when the figure was not measured."""
        value = figures.get(self.figure)
        if value is None:
            return None
        return value <= self.bound if self.op == "≤" else value >= self.bound


@dataclass(frozen=True)
class Row:
    """One line of the table. The texts are str.format templates over the scenario's result, e.g.
    "{service[median]:.3f} s"; one whose fields are missing shows "not measured"."""
    id: str
    measures: str
    figure: str
    baseline: str = "-"
    ratio: str = "-"
    floor: tuple = ()
    goal: tuple = ()


EVERY_JOB_SUCCEEDED = Limit("not_succeeded", "≤", 0, text="every job SUCCEEDED")
EVERY_CHAIN_SUCCEEDED = Limit("not_succeeded", "≤", 0, text="every chain succeeded")
NOT_SLOWER_THAN_CHAINLINK = Limit("service_vs_chainlink", "≤", 1.0, text="not slower than chainlink",
                                  unmeasured="chainlink not measured")


def chain_rows(id, stages, floor, goal, offline=False):
    name = "1-stage" if stages == 1 else "%d-stage" % stages
    offline_rows = [
        Row(id, "… the chain with `networking: false`, against `docker run --network none`",
            figure="{service_offline[median]:.3f} s; {service_offline[p99]:.3f} s",
            baseline="--network none: {docker_offline[median]:.3f} s; {docker_offline[p99]:.3f} s",
            ratio="{figures[offline_ratio]:.2f}×"),
    ] if offline else []
    return [
        Row(id, name + " chain `true`, submit→terminal (median; p99 = max of {service[n]})",
            figure="{service[median]:.3f} s; {service[p99]:.3f} s",
            baseline="docker run: {docker[median]:.3f} s; {docker[p99]:.3f} s",
            ratio="{figures[ratio]:.2f}×",
            floor=(Limit("ratio", "≤", floor, "×"), NOT_SLOWER_THAN_CHAINLINK, EVERY_CHAIN_SUCCEEDED),
            goal=(Limit("ratio", "≤", goal, "×"),)),
        Row(id, "… `docker run` with the service's container options and a job volume",
            figure="{docker_options[median]:.3f} s; {docker_options[p99]:.3f} s",
            baseline="docker run: {docker[median]:.3f} s", ratio="{figures[options_ratio]:.2f}×"),
        Row(id, "… the service over `docker run` with its options",
            figure="{service[median]:.3f} s", baseline="with options: {docker_options[median]:.3f} s",
            ratio="{figures[service_over_options]:.2f}×"),
        Row(id, "… upstream chainlink: construct + run, which pulls every image (pull's median in brackets)",
            figure="{chainlink[median]:.3f} s; {chainlink[p99]:.3f} s ({chainlink_pull_median_s:.3f} s)",
            baseline="docker run: {docker[median]:.3f} s",
            ratio="{figures[chainlink_ratio]:.2f}×"),
        *offline_rows,
    ]


def rate_and_p99(kind, rps, p99_ms):
    """Limits on a load row: at least rps requests/s, a p99 latency of at most p99_ms."""
    return Limit(kind + "_rps", "≥", rps, "/s"), Limit(kind + "_p99_ms", "≤", p99_ms, " ms", "p99")


def load_row(id, kind, measures, floor, goal, baseline="-", ratio="-"):
    return Row(id, measures + "; median of {%s[n_runs]} runs (p50/p99; non-2xx)" % kind,
               figure="{%s[rps]:,.0f} req/s ({%s[latency_ms_p50]:.1f}/{%s[latency_ms_p99]:.1f} ms; {%s[non_2xx]})"
                      % (kind, kind, kind, kind),
               baseline=baseline, ratio=ratio, floor=floor, goal=goal)


def cpu_row(id, whose="the service's"):
    """Not judged: what the load's requests cost in CPU, and the share of the machine the service had."""
    return Row(id, "… %s CPU a request (median of the runs; its share of the machine's CPU meanwhile)" % whose,
               figure="submits {submits[service_cpu_us_per_request]:,.0f} µs ({submits[service_cpu_share]:.0%}); "
                      "reads {reads[service_cpu_us_per_request]:,.0f} µs ({reads[service_cpu_share]:.0%})")


def busy_load_row(kind, measures, rps, p99_ms, of_p4):
    """P4b's row for one kind of request: its own floor, and a goal relative to P4's figure."""
    return load_row("P4b", kind, measures, baseline="P4: {p4_figures[%s_rps]:,.0f} req/s" % kind,
                    ratio="{figures[%s_vs_p4]:.2f}× P4" % kind,
                    floor=(*rate_and_p99(kind, rps, p99_ms),
                           Limit(kind + "_queue_ran_dry", "≤", 0, text="the queue never ran dry")),
                    goal=(Limit(kind + "_vs_p4", "≥", of_p4, "× P4"),))


TABLE = [
    *chain_rows("P1", 1, floor=1.05, goal=0.95, offline=True),
    *chain_rows("P2", 5, floor=1.00, goal=0.90),
    Row("P3", "{jobs_per_block} 1-stage jobs at once, workers={workers} (median; blocks each side: {service[n]})",
        figure="{service[median]:.2f} jobs/s", baseline="{docker_loops} docker run loops: {docker[median]:.2f} runs/s",
        ratio="{figures[ratio]:.2f}×",
        floor=(Limit("ratio", "≥", 1.00, "×"), EVERY_JOB_SUCCEEDED), goal=(Limit("ratio", "≥", 1.10, "×"),)),
    load_row("P4", "submits", "POST /jobs, workers off, {jobs_stored_before_submits:,} stored at its start",
             floor=rate_and_p99("submits", 2000, 50), goal=rate_and_p99("submits", 3000, 20)),
    load_row("P4", "reads", "GET /jobs/{{id}}, workers off, {jobs_stored_before_reads:,} stored",
             floor=rate_and_p99("reads", 5000, 50), goal=rate_and_p99("reads", 10000, 20)),
    cpu_row("P4"),
    busy_load_row("submits", "POST /jobs while {workers} workers run 1-stage jobs back to back ({submits_jobs_run} ran)",
                  rps=1000, p99_ms=100, of_p4=0.7),
    busy_load_row("reads", "GET /jobs/{{id}} while {workers} workers run 1-stage jobs back to back ({reads_jobs_run} ran)",
                  rps=2500, p99_ms=100, of_p4=0.7),
    cpu_row("P4b", "the service's (its workers' included)"),
    Row("P5", "POST /jobs, {jobs_stored_before_submits:,} stored at its start (p99)",
        figure="{submits[rps]:,.0f} req/s ({submits[latency_ms_p99]:.1f} ms)",
        baseline="P4: {p4_figures[submits_rps]:,.0f} req/s",
        ratio="{figures[submits_vs_p4]:.2f}×", floor=(Limit("submits_vs_p4", "≥", 0.8, "×"),)),
    Row("P5", "GET /jobs/{{id}}, {jobs_stored_before_reads:,} stored (p99)",
        figure="{reads[rps]:,.0f} req/s ({reads[latency_ms_p99]:.1f} ms)",
        baseline="P4: {p4_figures[reads_rps]:,.0f} req/s",
        ratio="{figures[reads_vs_p4]:.2f}×", floor=(Limit("reads_vs_p4", "≥", 0.8, "×"),)),
    cpu_row("P5"),
    Row("P5", "service RSS, max during/after load", figure="{rss_max_mb:.0f} MB",
        baseline="P4's service: {p4_rss_max_mb:.0f} MB",
        floor=(Limit("rss_max_mb", "≤", 400, " MB"),)),
    Row("P6", "{mb_per_stream} MB stdout + {mb_per_stream} MB stderr: heap peak growth over idle",
        figure="{heap_peak_growth_mb:.1f} MB (retained after GC {heap_retained_growth_mb:.1f} MB)",
        baseline="idle {heap_idle_median_mb:.1f} MB",
        floor=(Limit("heap_peak_growth_mb", "≤", 64, " MB"),)),
    Row("P6", "job ends normally", figure="{status} in {wall_s:.1f} s",
        floor=(Limit("succeeded", "≥", 1, text="SUCCEEDED"),)),
    Row("P7", "GET /jobs/{{id}} with {waiters} waiters (?wait=60) and {followers} followers (?follow=true) held open,"
              " against none; median of {with[n_runs]} runs each (p99)",
        figure="{with[rps]:,.0f} req/s ({with[latency_ms_p99]:.1f} ms)",
        baseline="none held: {without[rps]:,.0f} req/s ({without[latency_ms_p99]:.1f} ms)",
        ratio="{figures[reads_ratio]:.2f}×",
        floor=(Limit("reads_ratio", "≥", 0.8, "×"),
               Limit("held_early", "≤", 0, text="no waiter or follower let go early"),
               Limit("non_2xx", "≤", 0, text="no non-2xx")),
        goal=(Limit("reads_ratio", "≥", 0.9, "×"),)),
    Row("P8", "{jobs} 1-stage jobs through two instances on one PostgreSQL (workers={workers_per_instance} each,"
              " one engine), against one instance",
        figure="two: {two[jobs_per_minute]:,.0f} jobs/min (ran {two[by_instance]})",
        baseline="one: {one[jobs_per_minute]:,.0f} jobs/min", ratio="{figures[two_vs_one]:.2f}×",
        floor=(EVERY_JOB_SUCCEEDED, Limit("instances_used", "≥", 2, text="both instances ran jobs"))),
    Row("P8", "claim latency, submission to start on an idle service (median of {claim_ms_postgres[n]}; p99 = max)",
        figure="PostgreSQL {claim_ms_postgres[median]:.1f} ms; {claim_ms_postgres[p99]:.1f} ms",
        baseline="H2 {claim_ms_h2[median]:.1f} ms; {claim_ms_h2[p99]:.1f} ms", ratio="{figures[claim_pg_vs_h2]:.2f}×"),
]
