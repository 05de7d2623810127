"""HTTP load with wrk: one run's figures (its scripts print them as JSON, wrk-report.lua), several
runs combined, and what they cost the service: its RSS sampled while they run, its CPU."""
import json
import os
import statistics
import subprocess
import threading

from .machine import machine_cpu_seconds
from .runtime import BENCH, MARKER_ENV, RUN_ID, BenchError
from .stats import median

THREADS, CONNECTIONS = 2, 32
READS, SUBMITS = "wrk-status.lua", "wrk-submit.lua"


def wrk(port, script, seconds, image, ids_file):
    """One wrk run of `script` against the service on `port`: requests/s, latencies, errors."""
    env = dict(os.environ, BENCH_DIR=str(BENCH), BENCH_IMAGE=image, BENCH_IDS_FILE=str(ids_file),
               BENCH_MARKER="%s=%s" % (MARKER_ENV, RUN_ID))
    args = ["wrk", "-t%d" % THREADS, "-c%d" % CONNECTIONS, "-d%ds" % seconds, "--timeout", "10s",
            "-s", str(BENCH / script), "http://127.0.0.1:%d" % port]
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=seconds + 120)
    for line in r.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            d = json.loads(line[len("BENCH_JSON "):])
            d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
            for k in ("p50", "p99"):
                d["latency_ms_" + k] = d["latency_us"][k] / 1000.0
            d["non_2xx"] = d["errors"]["status"]
            d["socket_errors"] = sum(v for k, v in d["errors"].items() if k != "status")
            return d
    raise BenchError("wrk gave no figures (exit %d): %s %s" % (r.returncode, r.stdout, r.stderr))


def combine_runs(runs):
    """Several wrk runs of one kind on one service: medians across runs, worst p99, error totals."""
    return {
        "runs": runs,
        "n_runs": len(runs),
        "rps": statistics.median(r["rps"] for r in runs),
        "latency_ms_p50": statistics.median(r["latency_ms_p50"] for r in runs),
        "latency_ms_p99": statistics.median(r["latency_ms_p99"] for r in runs),
        "latency_ms_p99_worst": max(r["latency_ms_p99"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "service_cpu_us_per_request": median([r.get("service_cpu_us_per_request") for r in runs]),
        "service_cpu_share": median([r.get("service_cpu_share") for r in runs]),
    }


class CpuMeter:
    """What one run cost the service in CPU: per request, and as a share of the machine's CPU.
    Rates alone do not travel between machines (a JVM twice as slow halves them); CPU per request
    shows whether the service or the machine changed, and the share whether the service had the
    cores (beside the engine's containers, P4b) or was short of them."""

    def __init__(self, svc):
        self.svc = svc
        self.service0, self.machine0 = svc.cpu_seconds(), machine_cpu_seconds()

    def figures(self, requests):
        service = self.svc.cpu_seconds() - self.service0
        machine = machine_cpu_seconds() - self.machine0
        return {"service_cpu_us_per_request": service / requests * 1e6 if requests else None,
                "service_cpu_share": service / machine if machine else None}


class RssSampler(threading.Thread):
    """The service's VmRSS every `every` seconds while a run lasts; stop() gives the maximum."""

    def __init__(self, svc, every=0.2):
        super().__init__(daemon=True)
        self.svc, self.every = svc, every
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            v = self.svc.rss_mb()
            if v is not None:
                self.samples.append(v)
            self.stopping.wait(self.every)

    def stop(self):
        self.stopping.set()
        self.join(5)
        return max(self.samples) if self.samples else None
