"""P4b's load on the side: a service's workers running one-stage jobs back to back while wrk runs
against it, and idle otherwise, so that no container of P4b runs while P4's and P5's services
are measured beside it."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .containers import stage
from .runtime import BenchError, log
from .service import Client


class BusyWorkers:
    """A context manager around one run of the load: on entry the queue gets `prefill` jobs; while
    the run lasts it is checked every `every` s and topped up to `prefill` when it holds fewer than
    `low`; on exit, if `drain_after`, what is still queued is cancelled and the running jobs are waited for."""

    def __init__(self, svc, image, prefill, low, drain_after, every=0.5):
        self.svc, self.image = svc, image
        self.prefill, self.low, self.drain_after, self.every = prefill, low, drain_after, every
        self.client = Client(svc.port)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._top_up, daemon=True)
        self.checks = self.ran_dry = self.submitted = 0
        self.error = None

    def __enter__(self):
        self._submit(self.prefill)
        self.succeeded_before = self._succeeded()
        self.thread.start()
        return self

    def __exit__(self, kind, error, tb):
        self.stopping.set()
        self.thread.join(30)
        self.jobs_run = self._succeeded() - self.succeeded_before
        t0 = time.perf_counter()
        if self.drain_after:
            drain(self.svc)
        self.client.close()
        self.drain_s = time.perf_counter() - t0
        if self.error is not None and error is None:
            raise BenchError("keeping %s's queue full failed: %s" % (self.svc.name, self.error))

    def facts(self):
        """What the workers did during the run (for the JSON and the floors)."""
        return {"jobs_run": self.jobs_run, "queue_checks": self.checks, "queue_ran_dry": self.ran_dry,
                "jobs_submitted": self.submitted, "drain_s": self.drain_s}

    def _submit(self, n):
        for _ in range(n):
            self.client.submit([stage(self.image, ["true"])])
        self.submitted += n

    def _succeeded(self):
        return int(self.client.metric("chainlink.jobs.finished", "status:SUCCEEDED"))

    def _top_up(self):
        try:
            while not self.stopping.wait(self.every):
                queued = len(self.client.job_ids(status="QUEUED", limit=self.low))
                self.checks += 1
                if queued == 0:
                    self.ran_dry += 1  # the workers may have idled: the run's figure is not all P4b's
                if queued < self.low:
                    self._submit(self.prefill - queued)
        except Exception as e:  # noqa: BLE001 - reported when the run ends
            self.error = e


def drain(svc, threads=4, timeout=120):
    """Cancels every queued job (newest first: the workers claim the oldest) and waits until no
    job runs. Cancels go over a few connections at once: a submit run leaves thousands queued."""
    client = Client(svc.port)
    t0 = time.perf_counter()
    cancelled = 0
    try:
        while True:
            queued = client.job_ids(status="QUEUED")
            if not queued:
                break
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(lambda part: _cancel(svc.port, part), [queued[k::threads] for k in range(threads)]))
            cancelled += len(queued)
        while client.job_ids(status="RUNNING", limit=1):
            if time.perf_counter() - t0 > timeout:
                raise BenchError("service %s still runs jobs %d s after its queue was emptied" % (svc.name, timeout))
            time.sleep(0.05)
    finally:
        client.close()
    if cancelled > 1000:
        log("  %s: %d queued jobs cancelled in %.1f s" % (svc.name, cancelled, time.perf_counter() - t0))


def _cancel(port, ids):
    client = Client(port)
    try:
        for job_id in ids:
            client.cancel(job_id)
    finally:
        client.close()
