"""A drop-in for the ``chainlink`` Python module that runs its chains on a Chainlink service.

``from chainlink import Chainlink`` and ``Chainlink(stages).run(environ)`` work as with the
original module, which drove a local Docker engine itself; here the stages go, unchanged, to the
service's HTTP API, and the results come back in the original's shape: one dictionary per stage
that ran, with ``data`` (the container's inspected ``State``), ``killed``, ``success`` and
``logs`` (``stdout`` and ``stderr`` as bytes, each line starting with its timestamp, or None for a
stage with ``"logs": False``).

The service is named by ``CHAINLINK_URL`` (default ``http://127.0.0.1:8080``) and the client's
token by ``CHAINLINK_TOKEN``, or by the ``url=`` and ``token=`` keyword arguments.

Standard library only, Python 3.8 or later, so a grading host needs nothing installed.
"""

import asyncio
import concurrent.futures
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Chainlink", "ChainlinkError", "ServiceError", "ServiceUnreachable", "JobError"]

DEFAULT_URL = "http://127.0.0.1:8080"
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "ERROR", "CANCELLED"})

# The service holds a wait for at most 60 s; 30 keeps each request well inside proxies' idle limits.
WAIT_SECONDS = 30
# A request's own deadline: the longest the service may hold it, and room for a slow answer.
REQUEST_TIMEOUT = WAIT_SECONDS + 30
# Past 64 waiting clients the service answers a wait at once; then pause between polls rather than
# spin, growing to the longest pause that still notices an ended job promptly.
FIRST_PAUSE = 0.25
LONGEST_PAUSE = 5.0
# A job outlives a restart or a deploy of the service: keep asking about it for this long while
# the service does not answer (or answers 5xx) before giving up on it.
OUTAGE_SECONDS = 60


class ChainlinkError(Exception):
    """Everything this module raises about the service or a job derives from this."""


class ServiceError(ChainlinkError):
    """The service refused a request: ``status`` is the HTTP status, ``problem`` its RFC 9457
    problem (a dict; None if the body was not one), e.g. 403 for a privileged stage under the
    default policy, 400 naming each wrong field, 401 for a missing or unknown token."""

    def __init__(self, method, path, status, problem, text):
        self.method = method
        self.path = path
        self.status = status
        self.problem = problem
        self.text = text
        super().__init__(self._describe())

    @property
    def detail(self):
        return (self.problem or {}).get("detail")

    @property
    def errors(self):
        """The fields the service named (``stages[0].memory``), each a dict; empty if none."""
        return (self.problem or {}).get("errors") or []

    def _describe(self):
        if self.problem is None:
            said = self.text.strip()[:500] or "(no body)"
        else:
            said = ": ".join(str(part) for part in (self.problem.get("title"), self.detail) if part)
        return "{} {} answered {}: {}".format(self.method, self.path, self.status, said)


class ServiceUnreachable(ChainlinkError):
    """No answer from the service at all: wrong ``CHAINLINK_URL``, service down, or no answer in time."""


class JobError(ChainlinkError):
    """The chain could not be run to its end: the job ended ``ERROR`` (a stage's image could not
    be had, the engine refused a container) or ``CANCELLED`` (a client cancelled it).
    ``job`` is the service's view of the job, ``results`` what the stages that ran left."""

    def __init__(self, job, results):
        self.job = job
        self.results = results
        self.status = job.get("status")
        self.error = job.get("error")
        super().__init__("job {} ended {}{}".format(
            job.get("id"), self.status, ": " + self.error if self.error else ""))


class Chainlink:
    """Runs ``stages`` in order on the Chainlink service; a failed stage ends the chain.

    ``workdir`` is accepted for the original's signature and not used: the service keeps each
    job's ``/job`` directory on its engine. ``max_workers`` bounds the threads ``run_async``
    runs its HTTP calls on.
    """

    def __init__(self, stages, workdir="/tmp", max_workers=4, *, url=None, token=None):
        self.stages = stages
        self.workdir = workdir
        self.url = (url or os.environ.get("CHAINLINK_URL") or DEFAULT_URL).rstrip("/")
        self.token = token if token is not None else os.environ.get("CHAINLINK_TOKEN")
        self._max_workers = max_workers
        self._executor = None

    def run(self, environ=None):
        """Submits the chain with the base environment ``environ``, waits for it to end and returns
        the results. Needs no event loop, so it works in any thread, and inside a running loop's
        thread too (where it blocks that loop: use ``run_async`` there)."""
        job = self._submit(environ)
        waiting = _Waiting()
        try:
            while job["status"] not in TERMINAL:
                job = self._poll(job, waiting)
        except BaseException:
            # Interrupted (Ctrl-C, a thread's exception): nobody will read the results, so stop it.
            self._cancel_quietly(job)
            raise
        return self._results(job)

    async def run_async(self, environ=None):
        """``run`` for asyncio: each blocking HTTP call runs on this object's thread pool. A task
        cancelled while it waits cancels its job on the service."""
        loop = asyncio.get_running_loop()
        executor = self._pool()
        job = await loop.run_in_executor(executor, self._submit, environ)
        waiting = _Waiting()
        try:
            while job["status"] not in TERMINAL:
                job = await loop.run_in_executor(executor, self._poll, job, waiting)
        except BaseException:
            try:
                executor.submit(self._cancel_quietly, job)
            except RuntimeError:  # the pool was closed meanwhile: nothing can send the cancel
                pass
            raise
        return await loop.run_in_executor(executor, self._results, job)

    def close(self):
        """Ends ``run_async``'s threads; the object can still ``run`` (and start them again)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _pool(self):
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(self._max_workers)
        return self._executor

    # The calls to the service, one HTTP request each (_poll may pause after its request).

    def _submit(self, environ):
        # The stage dictionaries go as they are: the service reads every chainlink key itself,
        # and refuses (400) what it does not know rather than have it silently ignored.
        submission = {"stages": list(self.stages), "environ": dict(environ or {})}
        return self._call("POST", "/api/v1/jobs", submission)

    def _poll(self, job, waiting):
        asked = time.monotonic()
        try:
            seen = self._call("GET", self._job_path(job) + "?wait={}".format(WAIT_SECONDS))
        except (ServiceUnreachable, ServiceError) as failed:
            if isinstance(failed, ServiceError) and failed.status < 500:
                raise
            waiting.outage(failed)
            return job
        waiting.answered(seen["status"] in TERMINAL or time.monotonic() - asked >= 1)
        return seen

    def _results(self, job):
        results = self._call("GET", self._job_path(job) + "/results")
        for result in results:
            logs = result.get("logs")
            if logs is not None:
                # The service sends text as the engine stored it (UTF-8); the original gave bytes.
                for stream in ("stdout", "stderr"):
                    if isinstance(logs.get(stream), str):
                        logs[stream] = logs[stream].encode("utf-8")
        if job["status"] in ("ERROR", "CANCELLED"):
            raise JobError(job, results)
        return results

    def _cancel_quietly(self, job):
        try:
            self._call("POST", self._job_path(job) + "/cancel", timeout=10)
        except Exception:  # noqa: BLE001 - best effort while something else is being raised
            pass

    @staticmethod
    def _job_path(job):
        return "/api/v1/jobs/" + urllib.parse.quote(str(job["id"]), safe="")

    def _call(self, method, path, body=None, timeout=REQUEST_TIMEOUT):
        headers = {"Accept": "application/json, application/problem+json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as refused:
            try:
                text = refused.read().decode("utf-8", "replace")
                kind = refused.headers.get("Content-Type", "") if refused.headers else ""
            finally:
                refused.close()
            raise ServiceError(method, path, refused.code, _problem(kind, text), text) from None
        except (urllib.error.URLError, OSError) as failed:
            raise ServiceUnreachable("{} {}{}: {}".format(
                method, self.url, path, getattr(failed, "reason", failed))) from failed
        return json.loads(text) if text else None


class _Waiting:
    """The pauses of one wait for a job: none while the service holds each wait as it should."""

    def __init__(self):
        self.pause = 0.0
        self.outage_since = None

    def answered(self, held):
        self.outage_since = None
        if held:
            self.pause = 0.0
        else:
            self.pause = min(LONGEST_PAUSE, max(FIRST_PAUSE, self.pause * 2))
            time.sleep(self.pause)

    def outage(self, failed):
        now = time.monotonic()
        if self.outage_since is None:
            self.outage_since = now
        elif now - self.outage_since > OUTAGE_SECONDS:
            raise failed
        self.pause = min(LONGEST_PAUSE, max(FIRST_PAUSE, self.pause * 2))
        time.sleep(self.pause)


def _problem(content_type, text):
    if "json" not in content_type:
        return None
    try:
        problem = json.loads(text)
    except ValueError:
        return None
    return problem if isinstance(problem, dict) else None
