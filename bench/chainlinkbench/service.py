"""The service under test: its jar (built from this tree when stale), started on loopback with its
own JVM settings, and a small keep-alive client for its API."""
import datetime
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

from .runtime import REPO, BenchError, log

_POM = (REPO / "pom.xml").read_text()
JAR = REPO / "target" / ("chainlink-%s.jar"
                         % re.search(r"<artifactId>chainlink</artifactId>\s*<version>([^<]+)</version>", _POM).group(1))
# The service runs with its own JVM settings and environment: the jvmArguments and
# environmentVariables of the pom's spring-boot-maven-plugin (README, "Memory"), their one home.
JVM_OPTIONS = re.search(r"<jvmArguments>(.*?)</jvmArguments>", _POM).group(1).split()
SERVICE_ENV = dict(re.findall(r"<(\w+)>([^<]*)</\1>",
                              re.search(r"<environmentVariables>(.*?)</environmentVariables>", _POM, re.S).group(1)))
# Every service the bench starts gets these (besides its port, data directory and workers).
PROPERTIES = ["--server.address=127.0.0.1", "--chainlink.max-queued=10000000", "--logging.level.io.chainlink=WARN"]
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "ERROR", "CANCELLED"})


def build_jar():
    """Builds the jar when it is missing or older than pom.xml or anything under src/; True if it did."""
    newest = max([(REPO / "pom.xml").stat().st_mtime]
                 + [p.stat().st_mtime for p in (REPO / "src").rglob("*") if p.is_file()])
    if JAR.exists() and JAR.stat().st_mtime >= newest:
        log("jar up to date: %s" % JAR)
        return False
    log("building the jar (./mvnw -q -DskipTests package)")
    r = subprocess.run(["./mvnw", "-q", "-DskipTests", "package"], cwd=REPO)
    if r.returncode != 0 or not JAR.exists():
        raise BenchError("build failed (exit %d)" % r.returncode)
    return True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A keep-alive HTTP/1.1 client to the service on loopback (no clients are configured, so no token)."""

    def __init__(self, port, timeout=60):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 1:
                    raise

    def json(self, method, path, body=None, expect=(200,)):
        status, raw = self.request(method, path, body)
        if status not in expect:
            raise BenchError("%s %s answered %d: %s" % (method, path, status, raw[:500]))
        return json.loads(raw) if raw else None

    # --- the API's verbs the bench uses
    def submit(self, stages):
        return self.json("POST", "/api/v1/jobs", {"stages": stages}, expect=(202,))["id"]

    def job(self, job_id):
        return self.json("GET", "/api/v1/jobs/%s" % job_id)

    def wait_for_end(self, job_id, seconds=60):
        """The job once it has ended, or as it stands after `seconds` (the API waits, at most 60 s)."""
        return self.json("GET", "/api/v1/jobs/%s?wait=%d" % (job_id, seconds))

    def cancel(self, job_id):
        """Cancels a job; one that ended meanwhile (409) is left as it ended."""
        self.json("POST", "/api/v1/jobs/%s/cancel" % job_id, expect=(200, 202, 409))

    def job_ids(self, status=None, limit=None):
        """Stored jobs' ids, newest first, page by page (ids are random UUIDs: no range to draw from)."""
        ids, after = [], None
        while limit is None or len(ids) < limit:
            page = self.json("GET", "/api/v1/jobs?limit=%d%s%s" % (
                min(500, limit - len(ids)) if limit else 500,
                "&status=%s" % status if status else "", "&after=%s" % after if after else ""))
            ids += [job["id"] for job in page["jobs"]]
            after = page.get("next")
            if not after:
                break
        return ids

    def metric(self, name, tag=None):
        m = self.json("GET", "/actuator/metrics/%s%s" % (name, "?tag=" + tag if tag else ""))
        return m["measurements"][0]["value"]

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Service:
    """One service process; a context manager that stops it (SIGTERM, then waits) however the block ends."""

    def __init__(self, tmp, name, workers, data_dir=None, extra=()):
        self.name = name
        self.workers = workers
        self.data_dir = data_dir or (tmp / name / "data")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (tmp / name).mkdir(exist_ok=True)
        self.log_path = tmp / name / ("service-%d.log" % int(time.time() * 1000))
        self.port = free_port()
        self.args = ["java"] + JVM_OPTIONS + ["-jar", str(JAR), "--server.port=%d" % self.port,
                                              "--chainlink.data-dir=%s" % self.data_dir,
                                              "--chainlink.workers=%d" % workers] + PROPERTIES + list(extra)
        self.proc = None
        self.client = None

    def __enter__(self):
        return self.start()

    def __exit__(self, kind, error, tb):
        if error is not None and not isinstance(error, KeyboardInterrupt):
            log("--- last lines of service %s (%s):\n%s" % (self.name, self.log_path, self.tail(60)))
        self.stop()

    def start(self):
        self.launch()
        return self.wait_until_up()

    def launch(self):
        """Starts the service in its own session, as a deployed service would be apart from its
        clients: with the kernel's autogroup scheduling it then gets a fair share of the CPU
        against wrk rather than a share per thread."""
        log("starting service %s (workers=%d, port %d)" % (self.name, self.workers, self.port))
        self.logf = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.args, stdout=self.logf, stderr=subprocess.STDOUT, cwd=REPO,
                                     start_new_session=True, env={**os.environ, **SERVICE_ENV})
        self.client = Client(self.port)
        self.launched = time.monotonic()

    def wait_until_up(self, timeout=120):
        """Waits for /actuator/health to answer 200; gives up if the JVM exits or after `timeout` s."""
        while time.monotonic() - self.launched < timeout:
            if self.proc.poll() is not None:
                raise BenchError("service %s exited with %d while starting; log: %s\n%s"
                                 % (self.name, self.proc.returncode, self.log_path, self.tail()))
            try:
                if self.client.request("GET", "/actuator/health")[0] == 200:
                    self.started_s = time.monotonic() - self.launched
                    log("service %s up after %.1f s" % (self.name, self.started_s))
                    return self
            except (OSError, http.client.HTTPException):
                pass
            self.client.close()
            time.sleep(0.2)
        raise BenchError("service %s did not answer /actuator/health with 200 within %d s; log: %s\n%s"
                         % (self.name, timeout, self.log_path, self.tail()))

    def stop(self, timeout=60):
        if self.proc is None or self.proc.poll() is not None:
            return
        log("stopping service %s" % self.name)
        self.client.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log("service %s ignored SIGTERM for %d s; killing it" % (self.name, timeout))
            self.proc.kill()
            self.proc.wait(10)
        self.logf.close()

    def tail(self, n=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    @property
    def pid(self):
        return self.proc.pid

    def cpu_seconds(self):
        """The CPU time (user and system) the service's process has used so far."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self):
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            return None
        return None

    def heap_used_mb(self):
        return self.client.metric("jvm.memory.used", "area:heap") / 1024 / 1024

    def gc(self):
        subprocess.run(["jcmd", str(self.pid), "GC.run"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        time.sleep(0.5)

    def run_to_terminal(self, stages, timeout=600):
        """(seconds, job): wall time from just before the POST to the answer that shows the job
        terminal, waiting with the API's own `?wait=` over one keep-alive connection, as a client
        that blocks (like `docker run`) would; the job as that answer saw it. Polling instead, every
        5 ms, cost the service about 100 ms of CPU per job, which the engine, on 2 cores, missed."""
        t0 = time.perf_counter()
        job_id = self.client.submit(stages)
        return self.await_terminal(job_id, t0, timeout)

    def await_terminal(self, job_id, t0, timeout=600):
        """(seconds since t0, job) once the job is terminal."""
        while True:
            job = self.client.wait_for_end(job_id)
            if job["status"] in TERMINAL:
                return time.perf_counter() - t0, job
            if time.perf_counter() - t0 > timeout:
                raise BenchError("job %s not terminal after %d s" % (job_id, timeout))


def launch_side_by_side(stack, services):
    """Launches services at once (their JVMs start in parallel, which saves the bench time, not the
    services any); each is stopped when the ExitStack `stack` closes. wait_until_up before use."""
    for svc in services:
        stack.push(svc.__exit__)
        svc.launch()
    return services


def instant(text):
    """An Instant as the API writes it (ISO 8601, 'Z' or an offset), in seconds; None stays None."""
    if not text:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
