#!/usr/bin/env python3
"""Runs upstream chainlink for the bench, in a python3 of its own (upstream.py starts it once).

Arguments: the chainlink checkout, the workdir for its job directories. First line out: what it
imported. Then for each line in, {"stages": [...]}, one line out: {"seconds", "pull_seconds",
"success"} or {"error"}. A chain is timed as a grader uses chainlink: the construction and the run.
Needs the Docker SDK for Python (apt-get install python3-docker), which chainlink imports.
"""
import json
import sys
import time
import traceback

checkout, workdir = sys.argv[1], sys.argv[2]
sys.path.insert(0, checkout)

import docker  # noqa: E402
import chainlink  # noqa: E402 - upstream's, from the checkout


class TimedPull(chainlink.Chainlink):
    """Notes how long the pull that run() begins with took (chainlink pulls every image on every
    run); nothing else changes."""

    async def _pull_images(self):
        t0 = time.perf_counter()
        try:
            return await super()._pull_images()
        finally:
            self.pull_seconds = time.perf_counter() - t0


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


answer({"chainlink": chainlink.__file__, "docker_sdk": docker.__version__, "python": sys.version.split()[0]})
for line in sys.stdin:
    stages = json.loads(line)["stages"]
    try:
        t0 = time.perf_counter()
        chain = TimedPull(stages, workdir=workdir)
        results = chain.run()
        seconds = time.perf_counter() - t0
        answer({"seconds": seconds, "pull_seconds": getattr(chain, "pull_seconds", None),
                "success": [r["success"] for r in results]})
    except Exception:  # noqa: BLE001 - the bench reports it
        answer({"error": traceback.format_exc()})
