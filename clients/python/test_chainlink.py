"""The chainlink drop-in against a running Chainlink service (CHAINLINK_URL, CHAINLINK_TOKEN).

Run from this directory: ``python3 -m unittest -v``. The stages use the image named by
CHAINLINK_TEST_IMAGE (default chainlink-test/busybox:latest, which ``bash .ci/test-image``
builds offline), so no registry is needed. The token tests need a service with clients and
CHAINLINK_TOKEN set; against an open service they say they were skipped.
"""

import asyncio
import os
import re
import time
import unittest
from unittest import mock

import chainlink
from chainlink import Chainlink

IMAGE = os.environ.get("CHAINLINK_TEST_IMAGE", "chainlink-test/busybox:latest")
# Each line of a stream as the engine gives it: an RFC 3339 timestamp, a space, the line.
TIMESTAMPED = re.compile(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (.*)$")


def stage(*entrypoint, **keys):
    return dict(image=IMAGE, entrypoint=list(entrypoint), **keys)


def lines(stream):
    """The lines of a stream without their timestamps, checking that every one has one."""
    found = []
    for line in stream.splitlines():
        match = TIMESTAMPED.match(line)
        if match is None:
            raise AssertionError("a line without a timestamp: {!r}".format(line))
        found.append(match.group(2))
    return found


class ChainsAsTheOriginalRunsThem(unittest.TestCase):
    """The cases of the original module's own integration tests, on the service."""

    def test_basic_chain_passes_the_environment_and_runs_every_stage(self):
        results = Chainlink([
            stage("env", env={"ASSIGNMENT": "", "NETID": "$NETID"}),
            stage("sleep", "2"),
        ]).run({"TEST": "testing", "SEMESTER": "sp18", "ASSIGNMENT": "mp1"})

        self.assertEqual(len(results), 2)
        self.assertFalse(results[0]["killed"])
        self.assertIsInstance(results[0]["logs"]["stdout"], bytes)
        self.assertIn("TEST=testing", results[0]["logs"]["stdout"].decode("utf-8"))
        self.assertFalse(results[1]["killed"])
        self.assertEqual(results[1]["data"]["ExitCode"], 0)

    def test_an_image_that_cannot_be_had_raises(self):
        with self.assertRaises(chainlink.JobError) as raised:
            Chainlink([{"image": "no-such-image:3.1415926535", "entrypoint": ["env"]}]).run({})
        self.assertIsInstance(raised.exception, Exception)
        self.assertEqual(raised.exception.status, "ERROR")
        self.assertIn("no-such-image:3.1415926535", raised.exception.error)
        self.assertEqual(raised.exception.results, [])

    def test_a_stage_just_past_its_timeout_is_killed(self):
        results = Chainlink([stage("sleep", "3", timeout=2)]).run({})
        self.assertTrue(results[0]["killed"])
        self.assertFalse(results[0]["success"])

    def test_a_stage_far_past_its_timeout_is_killed_at_the_timeout(self):
        started = time.monotonic()
        results = Chainlink([stage("sleep", "20", timeout=2)]).run({})
        self.assertTrue(results[0]["killed"])
        self.assertLess(time.monotonic() - started, 15, "killed at its 2 s timeout, not after its 20 s sleep")


class Results(unittest.TestCase):

    def test_stage_env_is_added_over_environ_and_environ_reaches_every_stage(self):
        environ = {"BASE": "one", "SHARED": "environ"}
        results = Chainlink([
            stage("sh", "-c", 'echo "$BASE $SHARED $OWN"', env={"SHARED": "stage", "OWN": "first"}),
            stage("sh", "-c", 'echo "$BASE $SHARED ${OWN:-unset}"'),
        ]).run(environ)

        self.assertEqual(lines(results[0]["logs"]["stdout"]), [b"one stage first"])
        self.assertEqual(lines(results[1]["logs"]["stdout"]), [b"one environ unset"])
        self.assertEqual(environ, {"BASE": "one", "SHARED": "environ"}, "the caller's dict is left as it was")

    def test_a_failing_stage_ends_the_chain_and_the_stages_after_it_do_not_run(self):
        results = Chainlink([
            stage("true"),
            stage("sh", "-c", "echo failing; exit 3"),
            stage("echo", "never"),
        ]).run({})

        self.assertEqual(len(results), 2)
        self.assertTrue(results[0]["success"])
        self.assertFalse(results[1]["success"])
        self.assertFalse(results[1]["killed"])
        self.assertEqual(results[1]["data"]["ExitCode"], 3)

    def test_logs_are_bytes_stream_by_stream_with_a_timestamp_on_every_line(self):
        results = Chainlink([
            stage("sh", "-c", "printf 'h\\303\\251llo\\nworld\\n'; echo oops >&2"),
        ]).run({})

        logs = results[0]["logs"]
        self.assertIsInstance(logs["stdout"], bytes)
        self.assertIsInstance(logs["stderr"], bytes)
        self.assertEqual(lines(logs["stdout"]), ["héllo".encode("utf-8"), b"world"])
        self.assertEqual(lines(logs["stderr"]), [b"oops"])

    def test_a_stage_without_logs_gives_none_for_both_streams(self):
        results = Chainlink([stage("echo", "secret", logs=False)]).run({})
        self.assertEqual(results[0]["logs"], {"stdout": None, "stderr": None})
        self.assertTrue(results[0]["success"])

    def test_data_is_the_containers_inspected_state(self):
        results = Chainlink([stage("true")]).run({})
        data = results[0]["data"]
        self.assertEqual(data["Status"], "exited")
        self.assertEqual(data["ExitCode"], 0)
        self.assertIs(data["OOMKilled"], False)
        self.assertIn("StartedAt", data)
        self.assertIn("FinishedAt", data)
        self.assertEqual(sorted(results[0]), ["data", "killed", "logs", "success"])

    def test_stages_share_the_job_directory(self):
        results = Chainlink([
            stage("sh", "-c", "echo 42 > /job/answer"),
            stage("cat", "/job/answer"),
        ]).run()
        self.assertEqual(lines(results[1]["logs"]["stdout"]), [b"42"])

    def test_every_chainlink_stage_key_is_read(self):
        results = Chainlink([{
            "image": IMAGE,
            "entrypoint": ["sh", "-c", "hostname; cat /sys/fs/cgroup/memory.max 2>/dev/null"
                                       " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes"],
            "hostname": "grader",
            "memory": "64m",
            "cpuset_cpus": "0",
            "networking": False,
            "privileged": False,
            "timeout": 10,
            "logs": True,
            "env": {},
        }]).run({})
        self.assertEqual(lines(results[0]["logs"]["stdout"]), [b"grader", b"67108864"])


class Asynchronous(unittest.TestCase):

    def test_run_async_runs_chains_side_by_side(self):
        async def both():
            one = Chainlink([stage("echo", "one")], max_workers=2)
            two = Chainlink([stage("sh", "-c", "echo $WHO")], max_workers=2)
            try:
                return await asyncio.gather(one.run_async({}), two.run_async({"WHO": "two"}))
            finally:
                one.close()
                two.close()

        first, second = asyncio.run(both())
        self.assertEqual(lines(first[0]["logs"]["stdout"]), [b"one"])
        self.assertEqual(lines(second[0]["logs"]["stdout"]), [b"two"])

    def test_run_async_raises_as_run_does(self):
        with self.assertRaises(chainlink.JobError):
            asyncio.run(Chainlink([{"image": "no-such-image:2.71828"}]).run_async())


class Interruptions(unittest.TestCase):
    """A run nobody waits for any more cancels its job, so it does not hold a worker to its timeout."""

    def setUp(self):
        self.service = Chainlink([])
        self.before = self.newest_job_id()

    def newest_job_id(self):
        jobs = self.service._call("GET", "/api/v1/jobs?limit=1")["jobs"]
        return jobs[0]["id"] if jobs else None

    def await_running_job(self):
        """The job the run under test submitted, once its stage runs (this suite runs one at a time)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            jobs = self.service._call("GET", "/api/v1/jobs?limit=1")["jobs"]
            if jobs and jobs[0]["id"] != self.before and jobs[0]["status"] == "RUNNING":
                return jobs[0]["id"]
            time.sleep(0.1)
        self.fail("no new job ran within 60 s")

    def await_end(self, job_id):
        job = {"id": job_id, "status": None}
        for _ in range(4):
            job = self.service._call("GET", "/api/v1/jobs/{}?wait=30".format(job_id))
            if job["status"] in chainlink.TERMINAL:
                break
        return job["status"]

    def test_a_cancelled_run_async_task_cancels_its_job(self):
        async def cancelled():
            loop = asyncio.get_running_loop()
            task = asyncio.ensure_future(Chainlink([stage("sleep", "60")]).run_async({}))
            job_id = await loop.run_in_executor(None, self.await_running_job)
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            return job_id

        job_id = asyncio.run(cancelled())
        self.assertEqual(self.await_end(job_id), "CANCELLED")

    def test_an_interrupted_run_cancels_its_job(self):
        polls = []

        def interrupted(chain, job, waiting):
            # The first wait sees the job run; the next is interrupted, as by Ctrl-C.
            if polls:
                raise KeyboardInterrupt()
            polls.append(self.await_running_job())
            return job

        with mock.patch.object(Chainlink, "_poll", interrupted):
            with self.assertRaises(KeyboardInterrupt):
                Chainlink([stage("sleep", "60")]).run({})
        self.assertEqual(self.await_end(polls[0]), "CANCELLED")


class WaitingThroughAnswersGivenByHand(unittest.TestCase):
    """The wait loop against answers scripted here in place of the service's, and no real pauses."""

    def run_through(self, *answers):
        answers = list(answers)
        self.calls = []
        self.pauses = []

        def call(chain, method, path, body=None, timeout=None):
            self.calls.append(method + " " + path)
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        with mock.patch.object(Chainlink, "_call", call), mock.patch("chainlink.time.sleep", self.pauses.append):
            return Chainlink([stage("true")]).run({})

    @staticmethod
    def job(status):
        return {"id": "01a2", "status": status}

    def test_a_wait_answered_at_once_pauses_before_the_next_growing_each_time(self):
        results = self.run_through(self.job("QUEUED"), self.job("RUNNING"), self.job("RUNNING"),
                                   self.job("RUNNING"), self.job("SUCCEEDED"), [])
        self.assertEqual(results, [])
        self.assertEqual(self.pauses, [0.25, 0.5, 1.0])
        self.assertEqual(self.calls, ["POST /api/v1/jobs"] + ["GET /api/v1/jobs/01a2?wait=30"] * 4
                         + ["GET /api/v1/jobs/01a2/results"])

    def test_a_service_away_for_a_while_is_asked_again(self):
        unreachable = chainlink.ServiceUnreachable("connection refused")
        unavailable = chainlink.ServiceError("GET", "/api/v1/jobs/01a2", 503, None, "")
        results = self.run_through(self.job("QUEUED"), unreachable, unavailable, self.job("FAILED"), [])
        self.assertEqual(results, [])
        self.assertEqual(self.pauses, [0.25, 0.5])

    def test_a_service_away_too_long_raises_and_the_job_is_cancelled(self):
        unreachable = chainlink.ServiceUnreachable("connection refused")
        with mock.patch("chainlink.OUTAGE_SECONDS", -1):
            with self.assertRaises(chainlink.ServiceUnreachable):
                self.run_through(self.job("QUEUED"), unreachable, unreachable, unreachable)
        self.assertEqual(self.calls[-1], "POST /api/v1/jobs/01a2/cancel")

    def test_a_refusal_while_waiting_raises_at_once(self):
        gone = chainlink.ServiceError("GET", "/api/v1/jobs/01a2", 404, {"status": 404}, "")
        with self.assertRaises(chainlink.ServiceError):
            self.run_through(self.job("QUEUED"), gone, None)
        self.assertEqual(self.pauses, [])


class ServiceRefusals(unittest.TestCase):

    def test_a_privileged_stage_is_refused_by_the_default_policy_with_the_problem(self):
        with self.assertRaises(chainlink.ServiceError) as raised:
            Chainlink([stage("true", privileged=True)]).run({})
        refusal = raised.exception
        self.assertEqual(refusal.status, 403)
        self.assertEqual(refusal.problem["status"], 403)
        self.assertEqual([error["field"] for error in refusal.errors], ["stages[0].privileged"])
        self.assertIn("stages[0].privileged", str(refusal))

    def test_a_misspelt_key_is_refused_naming_it(self):
        with self.assertRaises(chainlink.ServiceError) as raised:
            Chainlink([stage("true", timout=5)]).run({})
        self.assertEqual(raised.exception.status, 400)
        self.assertIn("stages[0].timout", [error["field"] for error in raised.exception.errors])

    def test_a_stage_without_an_image_is_refused_naming_it(self):
        with self.assertRaises(chainlink.ServiceError) as raised:
            Chainlink([{"entrypoint": ["true"]}]).run({})
        self.assertEqual(raised.exception.status, 400)
        self.assertIn("stages[0].image", str(raised.exception))

    def test_a_service_that_does_not_answer_raises_unreachable(self):
        with self.assertRaises(chainlink.ServiceUnreachable):
            Chainlink([stage("true")], url="http://127.0.0.1:9").run({})


@unittest.skipUnless(os.environ.get("CHAINLINK_TOKEN"), "needs a service with clients and CHAINLINK_TOKEN")
class Tokens(unittest.TestCase):

    def test_the_token_comes_from_chainlink_token(self):
        chain = Chainlink([stage("true")])
        self.assertEqual(chain.token, os.environ["CHAINLINK_TOKEN"])
        self.assertTrue(chain.run({})[0]["success"])

    def test_without_a_token_the_service_answers_401_with_a_problem(self):
        with mock.patch.dict(os.environ):
            del os.environ["CHAINLINK_TOKEN"]
            with self.assertRaises(chainlink.ServiceError) as raised:
                Chainlink([stage("true")]).run({})
        self.assertEqual(raised.exception.status, 401)
        self.assertIn("Bearer", raised.exception.detail)

    def test_keyword_arguments_win_over_the_environment(self):
        token = os.environ["CHAINLINK_TOKEN"]
        url = os.environ.get("CHAINLINK_URL", chainlink.DEFAULT_URL)
        with mock.patch.dict(os.environ, {"CHAINLINK_TOKEN": "not-a-token-of-this-service",
                                          "CHAINLINK_URL": "http://127.0.0.1:9"}):
            results = Chainlink([stage("true")], url=url, token=token).run({})
            with self.assertRaises(chainlink.ServiceError) as raised:
                Chainlink([stage("true")], url=url).run({})
        self.assertTrue(results[0]["success"])
        self.assertEqual(raised.exception.status, 401)


if __name__ == "__main__":
    unittest.main()
