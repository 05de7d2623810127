"""What the bench runs on the engine itself (the `docker run` baselines), the stage dictionaries it
submits, and the cleanup of whatever of this run is left on the engine."""
import json
import subprocess
import time

from .runtime import MARKER_ENV, MARKER_LABEL, REPO, RUN_ID, BenchError, log

TEST_IMAGE = "chainlink-test/busybox:latest"
LABEL = "%s=%s" % (MARKER_LABEL, RUN_ID)

# The container the service creates for a stage that leaves every field at its default, as
# `docker run` options: memory 2g with swap equal to it, private IPC, chainlink's CPU period and
# the engine's log files bounded (src/main/java/io/chainlink/engine/ContainerSettings.java), the
# pids limit, no-new-privileges and the CPU weight (engine/Containment.java's defaults), hostname "container"
# (stage/StageDefaults.java). The job's volume is mounted at /job as job_volume_mount says.
SERVICE_CONTAINER_OPTIONS = [
    "--memory", "2g", "--memory-swap", "2g", "--ipc", "private", "--cpu-period", "100000",
    "--pids-limit", "512", "--security-opt", "no-new-privileges", "--cpu-shares", "1024",
    "--log-driver", "json-file", "--log-opt", "max-size=64m", "--log-opt", "max-file=2",
    "--hostname", "container",
]


def job_volume_mount(volume):
    # nocopy: what the image has at /job is hidden, not copied into the volume (ContainerSettings).
    return ["--mount", "type=volume,source=%s,target=/job,volume-nocopy" % volume]


def stage(image, entrypoint, **fields):
    """A stage as chainlink's stage dictionaries write it, carrying the run's env marker."""
    return {"image": image, "entrypoint": entrypoint, "env": {MARKER_ENV: RUN_ID}, **fields}


def ensure_image(image):
    if subprocess.run(["docker", "image", "inspect", image], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode == 0:
        return
    if image != TEST_IMAGE:
        raise BenchError("image %s is not present locally (the benchmark never pulls it)" % image)
    log("building the test image with .ci/test-image")
    if subprocess.run(["bash", str(REPO / ".ci" / "test-image")], cwd=REPO).returncode != 0:
        raise BenchError(".ci/test-image failed")


def docker(*args, timeout=120):
    r = subprocess.run(["docker", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    if r.returncode != 0:
        raise BenchError("docker %s failed: %s" % (" ".join(args[:2]), r.stderr.decode(errors="replace")))


def docker_runs(image, n, *options):
    """Seconds for n `docker run --rm [options] IMAGE true` in sequence: the plain baseline."""
    t0 = time.perf_counter()
    for _ in range(n):
        docker("run", "--rm", "--label", LABEL, *options, image, "true")
    return time.perf_counter() - t0


def docker_runs_with_service_options(image, n):
    """Seconds for what the service asks of the engine for an n-stage job, by the CLI: a volume
    created, n `docker run --rm` with the service's container options sharing it, the volume
    removed (the service creates and removes one per job too)."""
    volume = "chainlink-bench-%s-%d" % (RUN_ID, time.monotonic_ns())
    t0 = time.perf_counter()
    docker("volume", "create", "--label", LABEL, volume)
    for _ in range(n):
        docker("run", "--rm", "--label", LABEL, *SERVICE_CONTAINER_OPTIONS, *job_volume_mount(volume), image, "true")
    docker("volume", "rm", volume)
    return time.perf_counter() - t0


def _lines(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True).stdout.split()


def leftover_containers():
    """This run's containers still on the engine: the bench's own by label; the service's and
    upstream chainlink's by the env marker on their stages (chainlink sets no labels)."""
    mine = set(_lines("ps", "-aq", "--no-trunc", "--filter", "label=" + LABEL))
    every = _lines("ps", "-aq", "--no-trunc")
    if every:
        out = subprocess.run(["docker", "inspect", "--format", "{{.Id}} {{json .Config.Env}}", *every],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            cid, _, env = line.partition(" ")
            if "%s=%s" % (MARKER_ENV, RUN_ID) in (json.loads(env) or []):
                mine.add(cid)
    return sorted(mine)


def remove_leftovers():
    """Removes this run's containers and the bench's volumes; returns the containers' ids (a
    container the service left behind is a finding, so the JSON lists them)."""
    left = leftover_containers()
    if left:
        log("containers left behind by this run: %s; removing them" % left)
        subprocess.run(["docker", "rm", "-f", *left], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    volumes = _lines("volume", "ls", "-q", "--filter", "label=" + LABEL)
    if volumes:
        subprocess.run(["docker", "volume", "rm", "-f", *volumes], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return left
