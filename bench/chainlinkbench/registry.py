"""A Docker registry on loopback serving the bench's image, for P1 and P2 when upstream chainlink
is measured: chainlink pulls every image each time it is used, so every side runs an image that
comes from a registry, the same one, on this machine."""
import http.client
import shutil
import signal
import subprocess
import time

from .containers import docker
from .runtime import BenchError, log
from .service import free_port

CONFIG = """version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
http:
  addr: 127.0.0.1:%d
"""


class LoopbackRegistry:
    """Debian's docker-registry on 127.0.0.1:<free port> with its storage in the run's temporary
    directory; the image tagged and pushed there (the engine treats 127.0.0.0/8 registries as
    insecure, so plain HTTP works). On exit: the tag removed, the registry stopped, its storage gone."""

    def __init__(self, tmp, image):
        self.image = image
        self.root = tmp / "registry"
        self.port = free_port()
        self.reference = "127.0.0.1:%d/%s" % (self.port, image)
        self.proc = None
        self.pushed = False

    def __enter__(self):
        binary = shutil.which("docker-registry")
        if binary is None:
            raise BenchError("--chainlink needs a loopback registry: apt-get install docker-registry")
        (self.root / "storage").mkdir(parents=True)
        config = self.root / "config.yml"
        config.write_text(CONFIG % (self.root / "storage", self.port))
        self.logf = open(self.root / "registry.log", "wb")
        self.proc = subprocess.Popen([binary, "serve", str(config)], stdout=self.logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            self.wait_until_up()
            docker("tag", self.image, self.reference)
            self.pushed = True
            docker("push", self.reference)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        log("registry on 127.0.0.1:%d serves %s" % (self.port, self.reference))
        return self

    def wait_until_up(self, timeout=30):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise BenchError("docker-registry exited with %d; log: %s" % (self.proc.returncode, self.root / "registry.log"))
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/v2/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        raise BenchError("docker-registry did not answer within %d s" % timeout)

    def __exit__(self, kind, error, tb):
        if self.pushed:
            # Only the tag goes: the image keeps its own name.
            subprocess.run(["docker", "image", "rm", self.reference], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            self.logf.close()
        shutil.rmtree(self.root, ignore_errors=True)
