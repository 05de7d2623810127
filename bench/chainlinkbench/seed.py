"""P5's database: many stored jobs, written straight into the service's H2 file."""
import json
import subprocess
import time
import zipfile

from .containers import stage
from .runtime import BenchError, log
from .service import JAR, Service


def h2_jar(tmp):
    """The H2 jar the service itself bundles (same file format), taken out of the boot jar."""
    out = tmp / "h2.jar"
    if not out.exists():
        with zipfile.ZipFile(JAR) as z:
            names = [n for n in z.namelist() if n.startswith("BOOT-INF/lib/h2-") and n.endswith(".jar")]
            if not names:
                raise BenchError("no H2 jar inside %s" % JAR)
            out.write_bytes(z.read(names[0]))
    return out


def stored_database(tmp, image, n):
    """A data directory holding n jobs: 100 real submissions (whose stage spec the seed copies),
    then SUCCEEDED one-stage jobs added with H2's RunScript. (data_dir, facts for the JSON)."""
    with Service(tmp, "p5-stored", workers=0) as svc:
        for _ in range(100):
            svc.client.submit([stage(image, ["true"])])
    log("P5: seeding %d jobs" % (n - 100))
    t0 = time.perf_counter()
    seed(tmp, svc.data_dir, n - 100)
    seconds = time.perf_counter() - t0
    log("P5: seeded in %.1f s" % seconds)
    return svc.data_dir, {"seed_seconds": seconds}


def seed(tmp, data_dir, n):
    """Adds n SUCCEEDED one-stage jobs, each with a small stdout row, straight into the H2 file."""
    sql = tmp / "seed.sql"
    state = json.dumps({"Status": "exited", "Running": False, "Paused": False, "Restarting": False,
                        "OOMKilled": False, "Dead": False, "Pid": 0, "ExitCode": 0, "Error": "",
                        "StartedAt": "2026-01-01T00:00:00.100000000Z",
                        "FinishedAt": "2026-01-01T00:00:00.200000000Z"}).replace("'", "''")
    line = b"2026-01-01T00:00:00.150000000Z seeded job output\n".hex()
    sql.write_text("""
SET @m = (SELECT COALESCE(MAX(id), 0) FROM jobs);
SET @spec = (SELECT spec FROM stage_details ORDER BY job_id, idx FETCH FIRST 1 ROWS ONLY);
INSERT INTO jobs (public_id, status, created_at, started_at, finished_at)
  SELECT CAST(RANDOM_UUID() AS VARCHAR), 'SUCCEEDED', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00',
         TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00.1+00', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00.2+00'
  FROM SYSTEM_RANGE(1, %d);
INSERT INTO stages (job_id, idx, image, status, exit_code, killed, logs, started_at, finished_at)
  SELECT id, 0, 'chainlink-test/busybox:latest', 'SUCCEEDED', 0, FALSE, TRUE, started_at, finished_at
  FROM jobs WHERE id > @m;
INSERT INTO stage_details (job_id, idx, spec, state)
  SELECT id, 0, @spec, '%s' FROM jobs WHERE id > @m;
INSERT INTO stage_logs (job_id, idx, stream, seq, data)
  SELECT id, 0, 'stdout', 0, X'%s' FROM jobs WHERE id > @m;
""" % (n, state, line))
    r = subprocess.run(["java", "-cp", str(h2_jar(tmp)), "org.h2.tools.RunScript",
                        "-url", "jdbc:h2:file:%s/chainlink" % data_dir, "-user", "sa", "-script", str(sql)],
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise BenchError("seeding failed: %s %s" % (r.stdout, r.stderr))
