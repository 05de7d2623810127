"""What every part of one bench run shares: where things are, the run's id, progress, the error that stops it."""
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent

# Marks everything the run creates on the engine: an env var on the containers of the service and
# of upstream chainlink (a stage's "env"), a label on the bench's own containers and volumes. The
# cleanup removes only what carries it, never anyone else's.
RUN_ID = "%d-%d" % (int(time.time()), os.getpid())
MARKER_ENV = "CHAINLINK_BENCH_RUN"
MARKER_LABEL = "chainlink-bench"


class BenchError(Exception):
    """Something a figure needs failed: the run stops, cleans up and exits non-zero."""


def log(msg):
    """Progress, on stderr: stdout is the table."""
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)
