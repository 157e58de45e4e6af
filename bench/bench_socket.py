"""Socket throughput: records/s from a Python producer to a local TCP
receiver, counted at the receiver.

femtologging's socket handler (MessagePack frames) against the standard
library's logging.handlers.SocketHandler (pickled frames); both streams are
4-byte length-prefixed, so the same receiver, cmd/femtolog-receiver in
"count" mode, counts both. The clock runs from the first log call until
the handler has closed its connection and the receiver has counted every
frame and exited (-until-idle).

    .venv/bin/python bench/bench_socket.py [--records N] [--json]
"""

import logging
import logging.handlers
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, femto_run, network_parser, report_vs_stdlib, stdlib_run  # noqa: E402

RECEIVER = pathlib.Path(ROOT) / "build" / "femtolog-receiver"


def build_receiver():
    go = shutil.which("go") or "/usr/local/go/bin/go"
    RECEIVER.parent.mkdir(exist_ok=True)
    subprocess.run([go, "build", "-trimpath", "-o", str(RECEIVER), "./cmd/femtolog-receiver"],
                   cwd=ROOT, check=True, timeout=600)


class Receiver:
    """cmd/femtolog-receiver counting frames on 127.0.0.1 until its
    connection closes."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory()
        ready = pathlib.Path(self._dir.name) / "ready"
        self.proc = subprocess.Popen(
            [str(RECEIVER), "-tcp", "127.0.0.1:0", "-format", "count", "-until-idle", "-ready", str(ready)],
            stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 10
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"receiver did not start: {self.proc.stderr.read()}")
            time.sleep(0.01)
        self.port = int(ready.read_text().split()[1].rsplit(":", 1)[1])

    def wait(self, timeout):
        """Wait for the receiver to count every record; return how many it got."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait(10)
        err = self.proc.stderr.read()
        self.proc.stderr.close()
        self._dir.cleanup()
        for line in err.splitlines():
            if line.endswith(" records"):
                return int(line.split()[-2])
        raise RuntimeError(f"receiver printed no count: {err}")


def run_femtologging(n, timeout):
    from femtologging import SocketHandlerBuilder

    receiver = Receiver()
    # A queue as large as the run: the benchmark measures throughput, not
    # the drop policy (drops are reported if they happen).
    handler = SocketHandlerBuilder().with_tcp("127.0.0.1", receiver.port).with_capacity(n).build()
    _, result = femto_run("bench.socket", handler, n, lambda dropped: receiver.wait(timeout),
                          flush_ms=timeout * 1000)
    return result


def run_stdlib(n, timeout):
    receiver = Receiver()
    handler = logging.handlers.SocketHandler("127.0.0.1", receiver.port)
    return stdlib_run("bench.stdlib.socket", handler, n, lambda: receiver.wait(timeout))


def main():
    args = network_parser(__doc__, 200_000, "the receiver").parse_args()
    build_receiver()
    results = {
        "femtologging SocketHandlerBuilder": run_femtologging(args.records, args.timeout),
        "stdlib logging.handlers.SocketHandler": run_stdlib(args.records, args.timeout),
    }
    return report_vs_stdlib(
        results, args.json, "socket_tcp",
        f"socket throughput to a local TCP receiver, {args.records} records, counted at the receiver:",
        "received", records=args.records)


if __name__ == "__main__":
    sys.exit(main())
