"""Upstream chainlink (github.com/illinois-cs241/chainlink), the Python module the service
replaces, as a baseline of P1 and P2: each chain timed as a grader uses it, Chainlink(stages,
workdir=...) then .run(), in a python3 that stays up across chains (upstream_driver.py), so that
python's start-up and imports are not counted."""
import json
import subprocess
import sys
from pathlib import Path

from .runtime import BenchError, log

DRIVER = Path(__file__).with_name("upstream_driver.py")


class UpstreamChainlink:
    def __init__(self, checkout, tmp):
        self.checkout = Path(checkout).resolve()
        if not (self.checkout / "chainlink" / "__init__.py").is_file():
            raise BenchError("--chainlink %s: no chainlink/__init__.py there; it takes a checkout of "
                             "https://github.com/illinois-cs241/chainlink" % checkout)
        self.workdir = tmp / "upstream-jobs"
        self.log_path = tmp / "upstream-driver.log"
        self.proc = None

    def __enter__(self):
        self.workdir.mkdir()
        self.logf = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, str(DRIVER), str(self.checkout), str(self.workdir)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.logf, text=True)
        try:
            self.facts = self._answer()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        commit = subprocess.run(["git", "-C", str(self.checkout), "rev-parse", "HEAD"], capture_output=True, text=True)
        self.facts["commit"] = commit.stdout.strip() or None
        log("upstream chainlink: %s (commit %s, Docker SDK %s)" % (
            self.facts["chainlink"], (self.facts["commit"] or "?")[:10], self.facts["docker_sdk"]))
        return self

    def run(self, stages):
        """(seconds, detail) for one chain: construction and run."""
        self.proc.stdin.write(json.dumps({"stages": stages}) + "\n")
        self.proc.stdin.flush()
        a = self._answer()
        if "error" in a:
            raise BenchError("upstream chainlink failed:\n%s" % a["error"])
        return a["seconds"], a

    def _answer(self):
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(10)
            raise BenchError("the upstream chainlink driver exited (%s); its log, %s:\n%s"
                             % (self.proc.returncode, self.log_path, self.log_path.read_text()[-3000:]))
        return json.loads(line)

    def __exit__(self, kind, error, tb):
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()  # the driver ends at the end of its input
        except OSError:
            pass
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.proc.stdout.close()
        self.logf.close()
