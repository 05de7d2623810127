"""P7: what clients that wait for a job (`?wait=`) and follow a stage's log (`?follow=true`) cost
the API. wrk's status reads (P4's script) run with 300 waiters and 50 followers held open, and
without them, in alternation, on one service whose workers run the job they wait on and follow.
The figure is the ratio of the two read rates (issue 27: at least 0.8)."""
import functools
import selectors
import socket
import threading
import time

from .containers import stage
from .interleave import interleave
from .runtime import BenchError, log
from .service import Service
from .stats import ratio
from .wrk import READS, CpuMeter, combine_runs, wrk

# A stage that prints a line five times a second until it is cancelled: followers get a steady
# trickle, and waiters are never answered while the load runs.
TICKER = ["sh", "-c", "while true; do echo tick; sleep 0.2; done"]


class Holders:
    """`waiters` connections each waiting on one job (`GET ?wait=60`) and `followers` following its
    stage 0 stdout, held open while the block runs. One thread reads every connection (discarding
    what comes), as a client library would: a follower that is not read would stall on its own
    socket buffer, not on the service."""

    def __init__(self, port, job_id, waiters, followers):
        self.port, self.job_id = port, job_id
        self.waiters, self.followers = waiters, followers
        self.selector = selectors.DefaultSelector()
        self.socks = []
        self.answered = {"waiter": 0, "follower": 0}  # connections the service ended while held
        self.follow_bytes = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)

    def _open(self, kind, path):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/plain, application/json\r\n\r\n" % path).encode())
        s.setblocking(False)
        self.selector.register(s, selectors.EVENT_READ, kind)
        self.socks.append(s)

    def __enter__(self):
        for _ in range(self.waiters):
            self._open("waiter", "/api/v1/jobs/%s?wait=60" % self.job_id)
        for _ in range(self.followers):
            self._open("follower", "/api/v1/jobs/%s/stages/0/logs/stdout?follow=true" % self.job_id)
        self.thread.start()
        time.sleep(1.0)  # every request read and registered by the service before the load starts
        return self

    def _read(self):
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    self.answered[key.data] += 1
                    self.selector.unregister(key.fileobj)
                    continue
                if key.data == "waiter":
                    # A waiter answered before its 60 s means the job ended or the cap was reached.
                    self.answered["waiter"] += 1
                    self.selector.unregister(key.fileobj)
                else:
                    self.follow_bytes += len(data)

    def __exit__(self, kind, error, tb):
        self.stopping.set()
        self.thread.join(5)
        for s in self.socks:
            s.close()
        self.selector.close()

    def facts(self):
        return {"waiters_answered_early": self.answered["waiter"], "followers_ended_early": self.answered["follower"],
                "follow_bytes": self.follow_bytes}


def measure_holders(tmp, image, waiters, followers, read_jobs, seconds, warmup_seconds, rounds):
    with Service(tmp, "p7-holders", workers=2) as svc:
        client = svc.client
        read_ids = [client.submit([stage(image, ["true"])]) for _ in range(read_jobs)]
        for job_id in read_ids:
            client.wait_for_end(job_id)
        ticker = client.submit([stage(image, TICKER, timeout=3600)])
        t0 = time.monotonic()
        while client.job(ticker)["stages"][0]["status"] != "RUNNING":
            if time.monotonic() - t0 > 60:
                raise BenchError("P7's ticker job did not start within 60 s")
            time.sleep(0.1)
        ids_file = tmp / "read-ids-P7"
        ids_file.write_text("\n".join(read_ids + [ticker]) + "\n")
        held = []

        def reads(with_holders, secs):
            cpu = CpuMeter(svc)
            if with_holders:
                with Holders(svc.port, ticker, waiters, followers) as h:
                    res = wrk(svc.port, READS, secs, image, ids_file)
                held.append(h.facts())
                res["holders"] = h.facts()
            else:
                res = wrk(svc.port, READS, secs, image, ids_file)
            res.update(cpu.figures(res["requests"]))
            log("  P7 reads %s holders: %.0f req/s, p99 %.1f ms; service CPU %.0f µs a request" % (
                "with" if with_holders else "without", res["rps"], res["latency_ms_p99"],
                res["service_cpu_us_per_request"] or 0))
            return res

        log("P7: %d waiters and %d followers on a running job; %d s warm-up, then %d rounds of %d s each side"
            % (waiters, followers, warmup_seconds, rounds, seconds))
        interleave([("without", functools.partial(reads, False, warmup_seconds)),
                    ("with", functools.partial(reads, True, warmup_seconds))], 0, warmup=1)
        runs = interleave([("without", functools.partial(reads, False, seconds)),
                           ("with", functools.partial(reads, True, seconds))], rounds, alternate=True)
        client.cancel(ticker)
        without, with_ = combine_runs(runs["without"]), combine_runs(runs["with"])
        early = sum(h["waiters_answered_early"] for h in held)
        ended = sum(h["followers_ended_early"] for h in held)
        return {"waiters": waiters, "followers": followers, "without": without, "with": with_,
                "waiters_answered_early": early, "followers_ended_early": ended,
                "follow_bytes_min": min(h["follow_bytes"] for h in held),
                "figures": {"reads_ratio": ratio(with_["rps"], without["rps"]),
                            "held_early": early + ended, "non_2xx": without["non_2xx"] + with_["non_2xx"]}}
