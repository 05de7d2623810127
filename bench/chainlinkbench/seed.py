"""P5's database: many stored jobs, made by copying the rows of jobs the service ran itself.

The copies restate nothing of the schema (the service's Flyway migrations made it): every row of
a job, in `jobs` and in each table with a `job_id` column, is copied whole (`INSERT INTO t SELECT *`)
and only the keys are changed, so a column or a table a migration adds is copied too."""
import math
import subprocess
import time
import zipfile

from .containers import stage
from .runtime import BenchError, log
from .service import JAR, Service

# Real jobs, each one stage writing a line of stdout, run by the service to SUCCEEDED: the rows
# every copy is made from.
TEMPLATES = 10


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


def run_sql(tmp, data_dir, sql):
    """Runs a script on the stopped service's database; the rows of its queries, one list per row."""
    script = tmp / "seed.sql"
    script.write_text(sql)
    r = subprocess.run(["java", "-cp", str(h2_jar(tmp)), "org.h2.tools.RunScript", "-showResults",
                        "-url", "jdbc:h2:file:%s/chainlink" % data_dir, "-user", "sa", "-script", str(script)],
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise BenchError("SQL on the P5 database failed: %s %s" % (r.stdout[-2000:], r.stderr[-2000:]))
    return [line[4:].split() for line in r.stdout.splitlines() if line.startswith("--> ")]


def templates_service(tmp):
    """The service, not yet started, that runs the templates into P5's data directory."""
    return Service(tmp, "p5-templates", workers=2, data_dir=tmp / "p5-stored" / "data")


def stored_database(svc, tmp, image, n, queued):
    """P5's data directory, for a service to start on, holding n - queued SUCCEEDED jobs (the
    caller submits the `queued` others): TEMPLATES jobs the started templates service `svc` runs
    (it is stopped after), and their copies. (data_dir, facts for the JSON)"""
    ids = [svc.client.submit([stage(image, ["sh", "-c", "echo stored job output"])]) for _ in range(TEMPLATES)]
    statuses = [svc.client.wait_for_end(job_id)["status"] for job_id in ids]
    svc.stop()
    if statuses != ["SUCCEEDED"] * TEMPLATES:
        raise BenchError("P5's template jobs did not all succeed: %s" % statuses)
    copies = math.ceil((n - queued) / TEMPLATES) - 1
    log("P5: copying %d jobs %d times" % (TEMPLATES, copies))
    t0 = time.perf_counter()
    tables = [row[0] for row in run_sql(tmp, svc.data_dir, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.COLUMNS"
                                                           " WHERE TABLE_SCHEMA = 'PUBLIC' AND COLUMN_NAME = 'JOB_ID';")]
    run_sql(tmp, svc.data_dir, copy_sql(tables, copies))
    seconds = time.perf_counter() - t0
    log("P5: %d jobs stored in %.1f s (tables copied: JOBS, %s)" % (TEMPLATES * (copies + 1), seconds, ", ".join(tables)))
    return svc.data_dir, {"seed_seconds": seconds, "seed_templates": TEMPLATES, "seed_copies": copies,
                          "seed_tables": ["JOBS"] + tables}


def copy_sql(job_tables, copies):
    """Copy c (1..copies) of job i gets the id i + c * max(id); its rows elsewhere follow by job_id.
    The copies are consistent by construction, so referential checks are off while they go in, in
    whatever order the tables come (H2 keeps the setting: it is turned back on at the end)."""
    def copy(table, rekey):
        return """
CREATE TABLE bench_copy AS SELECT t.*, r.X AS bench_copy_no FROM %s t CROSS JOIN SYSTEM_RANGE(1, %d) r;
UPDATE bench_copy SET %s;
ALTER TABLE bench_copy DROP COLUMN bench_copy_no;
INSERT INTO %s SELECT * FROM bench_copy;
DROP TABLE bench_copy;""" % (table, copies, rekey, table)

    return "".join([
        "SET REFERENTIAL_INTEGRITY FALSE;\nSET @m = (SELECT MAX(id) FROM jobs);",
        copy("jobs", "id = id + @m * bench_copy_no, public_id = RANDOM_UUID(7)"),
        *(copy(table, "job_id = job_id + @m * bench_copy_no") for table in job_tables),
        # Ids were given explicitly: the identity must continue past them for the next submission.
        "\nEXECUTE IMMEDIATE 'ALTER TABLE jobs ALTER COLUMN id RESTART WITH ' || (SELECT MAX(id) + 1 FROM jobs);",
        "\nSET REFERENTIAL_INTEGRITY TRUE;\n",
    ])
