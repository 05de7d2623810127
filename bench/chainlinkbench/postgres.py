"""P8: several instances on one PostgreSQL database (issue 29). Jobs per minute through one
instance and through two on one database, as a ratio; and the claim latency (a job's submission
to its start, on an idle service) on PostgreSQL beside H2. Every instance here shares this
machine's one engine and two cores, so two instances show what sharing the queue costs, not what a
second engine host would add."""
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

from .containers import stage
from .interleave import interleave
from .runtime import BenchError, log
from .service import Service, instant
from .stats import ratio, summary


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """A cluster of the run's own: initdb under /tmp (as the postgres user when run as root, since
    initdb refuses root), the server on 127.0.0.1 and a free port, removed on exit. Durable as
    installed (fsync on): the claim's cost is measured as a deployment would pay it."""

    USER = "chainlink"

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise BenchError("P8 needs PostgreSQL's binaries (apt-get install postgresql)")
        self.bin = bins[-1].parent
        self.dir = Path(subprocess.run(["mktemp", "-d", "/tmp/chainlink-bench-pg-XXXX"], capture_output=True,
                                       text=True, check=True).stdout.strip())
        self.port = _free_port()

    def _as_owner(self, *args):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise BenchError("%s failed: %s %s" % (args[0], r.stdout, r.stderr))

    def __enter__(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_owner("initdb", "-D", str(self.dir / "data"), "-U", self.USER, "--auth=trust", "-E", "UTF8")
        self._as_owner("pg_ctl", "-D", str(self.dir / "data"), "-w", "-l", str(self.dir / "server.log"),
                       "-o", "-c listen_addresses=127.0.0.1 -p %d -k %s" % (self.port, self.dir), "start")
        log("PostgreSQL on 127.0.0.1:%d" % self.port)
        return self

    def __exit__(self, *exc):
        try:
            self._as_owner("pg_ctl", "-D", str(self.dir / "data"), "-w", "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def database(self):
        """A new, empty database; the service's properties for it (URL, user, password: nothing else)."""
        name = "bench_" + uuid.uuid4().hex[:12]
        self._as_owner("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.USER, name)
        return ["--spring.datasource.url=jdbc:postgresql://127.0.0.1:%d/%s" % (self.port, name),
                "--spring.datasource.username=" + self.USER, "--spring.datasource.password=unused"]


def _jobs_per_minute(services, image, n):
    """n one-stage jobs submitted round-robin through `services`; jobs per minute from the first
    submission to the last job seen ended, and how many each instance ran."""
    chain = [stage(image, ["true"])]
    t0 = time.perf_counter()
    ids = [services[i % len(services)].client.submit(chain) for i in range(n)]
    for i, job_id in enumerate(ids):
        services[i % len(services)].await_terminal(job_id, t0)
    wall = time.perf_counter() - t0
    jobs = [services[0].client.job(job_id) for job_id in ids]
    by_instance, not_succeeded = {}, 0
    for job in jobs:
        by_instance[job.get("instance")] = by_instance.get(job.get("instance"), 0) + 1
        not_succeeded += job["status"] != "SUCCEEDED"
    log("P8 %d instance(s): %d jobs in %.1f s (%.0f jobs/min) by instance %s"
        % (len(services), n, wall, n / wall * 60, sorted(by_instance.values())))
    return {"jobs_per_minute": n / wall * 60, "wall_s": wall, "by_instance": sorted(by_instance.values()),
            "not_succeeded": not_succeeded}


def _claim_ms(svc, image):
    """One job on an idle service: from its submission (createdAt) to its start (startedAt), ms."""
    job_id = svc.client.submit([stage(image, ["true"])])
    svc.await_terminal(job_id, time.perf_counter())
    job = svc.client.job(job_id)
    return (instant(job["startedAt"]) - instant(job["createdAt"])) * 1000.0


def measure_postgres(tmp, image, jobs, claims, workers):
    with PrivatePostgres() as pg:
        with Service(tmp, "p8-one", workers=workers, extra=pg.database()) as one:
            _jobs_per_minute([one], image, 4)  # warm-up
            single = _jobs_per_minute([one], image, jobs)
        shared = pg.database()
        with Service(tmp, "p8-a", workers=workers, extra=shared) as a, Service(tmp, "p8-b", workers=workers, extra=shared) as b:
            _jobs_per_minute([a, b], image, 4)
            double = _jobs_per_minute([a, b], image, jobs)
        with Service(tmp, "p8-pg", workers=workers, extra=pg.database()) as on_pg, Service(tmp, "p8-h2", workers=workers) as on_h2:
            log("P8 claim latency: %d jobs one at a time on each, in alternation" % claims)
            samples = interleave([("postgres", lambda: _claim_ms(on_pg, image)), ("h2", lambda: _claim_ms(on_h2, image))],
                                 rounds=claims, warmup=2, alternate=True)
    r = {"jobs": jobs, "workers_per_instance": workers, "one": single, "two": double,
         "claim_ms_postgres": summary(samples["postgres"]), "claim_ms_h2": summary(samples["h2"])}
    r["figures"] = {"two_vs_one": ratio(double["jobs_per_minute"], single["jobs_per_minute"]),
                    "claim_pg_vs_h2": ratio(r["claim_ms_postgres"]["median"], r["claim_ms_h2"]["median"]),
                    "not_succeeded": single["not_succeeded"] + double["not_succeeded"],
                    "instances_used": len(double["by_instance"])}
    return r
