"""What the figures were measured on, and how busy the machine was: they are only as good as the
machine was quiet."""
import datetime
import os
import shutil
import socket
import subprocess
from pathlib import Path

from .runtime import REPO
from .service import JAR


def _out(args, cwd=None):
    try:
        r = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip()
    except Exception as e:  # noqa: BLE001 - a fact we cannot read is recorded as such
        return "unavailable: %s" % e


def _field(path, prefix, sep=":"):
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(sep, 1)[1].strip()
    except OSError:
        pass
    return None


def machine_cpu_seconds():
    """The machine's CPU seconds since boot, idle included: all cores' time (/proc/stat's user to
    steal; guest time, after them, is counted in user already)."""
    with open("/proc/stat") as f:
        return sum(int(x) for x in f.readline().split()[1:9]) / os.sysconf("SC_CLK_TCK")


def busy_facts():
    """Load average, other JVMs running a Chainlink jar, and running containers."""
    others = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"java") and any(b"chainlink" in c for c in cmd):
            others += 1
    running = subprocess.run(["docker", "ps", "-q"], capture_output=True, text=True).stdout.split()
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        load = None
    return {"loadavg_1_5_15": load, "other_chainlink_jvms": others, "running_containers": len(running)}


def machine_facts():
    mem_kb = _field("/proc/meminfo", "MemTotal:")
    dirty = _out(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO)
    return {
        "hostname": socket.gethostname(),
        "nproc": os.cpu_count(),
        "cpu": _field("/proc/cpuinfo", "model name"),
        "memory_gib": round(int(mem_kb.split()[0]) / 1024 / 1024, 1) if mem_kb else None,
        "os": (_field("/etc/os-release", "PRETTY_NAME=", "=") or "").strip('"') or None,
        "kernel": os.uname().release,
        "docker_version": _out(["docker", "version", "--format", "{{.Server.Version}}"]),
        "java_version": _out(["java", "-version"]).splitlines()[0],
        "wrk_version": _out(["wrk", "-v"]).splitlines()[0] if shutil.which("wrk") else None,
        "git_commit": _out(["git", "rev-parse", "HEAD"], cwd=REPO),
        "git_dirty": bool(dirty) and not dirty.startswith("unavailable"),
        "jar_mtime": datetime.datetime.fromtimestamp(JAR.stat().st_mtime).isoformat(timespec="seconds")
        if JAR.exists() else None,
    }
