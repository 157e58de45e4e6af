"""A real OpenTelemetry Collector for the OTLP tests: test/otelcol built once
(cached under build/, rebuilt only when its sources change), started on a
free port with a generated configuration, stopped by the tests.

``python otlp_collector.py --build`` builds it (``make otelcol`` runs that,
so the long first build is its own stage with its own message).
"""

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "test" / "otelcol"
BINARY = ROOT / "build" / "femtolog-otelcol"
STAMP = BINARY.with_name(BINARY.name + ".sources")
#: A cold build (collector modules downloaded and compiled) took ~3 minutes
#: on this project's 2-core machine; bounded generously.
BUILD_TIMEOUT_S = 900
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def _sources_digest():
    h = hashlib.sha256()
    for path in sorted(SOURCE.glob("*.go")) + [SOURCE / "go.mod", SOURCE / "go.sum"]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _go():
    for candidate in ("/usr/local/go/bin/go", "go"):
        if os.path.isabs(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return "go"


def ensure_built(verbose=False):
    """Return the collector binary, building it first when its sources changed."""
    digest = _sources_digest()
    if BINARY.exists() and STAMP.exists() and STAMP.read_text().strip() == digest:
        return BINARY
    BINARY.parent.mkdir(parents=True, exist_ok=True)
    if verbose:
        print("building the test OpenTelemetry Collector (test/otelcol); "
              "the first build downloads and compiles the collector: a few minutes", flush=True)
    env = dict(os.environ, GOFLAGS="-buildvcs=false")
    started = time.monotonic()
    tmp = BINARY.with_name(BINARY.name + ".tmp")
    subprocess.run([_go(), "build", "-trimpath", "-o", str(tmp), "."], cwd=SOURCE, env=env,
                   check=True, timeout=BUILD_TIMEOUT_S)
    os.replace(tmp, BINARY)
    STAMP.write_text(digest + "\n")
    if verbose:
        print(f"built {BINARY.relative_to(ROOT)} in {time.monotonic() - started:.0f} s", flush=True)
    return BINARY


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(port, out_file, tls):
    """The collector's configuration (YAML is a superset of JSON)."""
    http = {"endpoint": f"127.0.0.1:{port}"}
    if tls is not None:
        http["tls"] = {"cert_file": str(tls[0]), "key_file": str(tls[1])}
    return {
        "receivers": {"otlp": {"protocols": {"http": http}}},
        "exporters": {"file": {"path": str(out_file), "flush_interval": "50ms"}},
        "service": {
            "telemetry": {"logs": {"level": "warn"}, "metrics": {"level": "none"}},
            "pipelines": {"logs": {"receivers": ["otlp"], "exporters": ["file"]}},
        },
    }


class Collector:
    """One collector process at a time on a fixed port; each start writes
    its own output file (out-1.jsonl, out-2.jsonl, ...)."""

    def __init__(self, directory, tls=None):
        self.dir = Path(directory)
        self.port = free_port()
        self.tls = tls  # (cert_file, key_file) or None
        self.proc = None
        self.runs = 0
        self.outputs = []

    @property
    def endpoint(self):
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/v1/logs"

    def start(self):
        assert self.proc is None, "collector already running"
        self.runs += 1
        out = self.dir / f"out-{self.runs}.jsonl"
        cfg = self.dir / f"config-{self.runs}.yaml"
        cfg.write_text(json.dumps(_config(self.port, out, self.tls), indent=1))
        self.outputs.append(out)
        log = open(self.dir / f"collector-{self.runs}.log", "wb")
        self.proc = subprocess.Popen([str(ensure_built()), "--config", str(cfg)],
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                self.proc = None
                raise RuntimeError(f"collector exited at start: {self.log_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                pass
            if time.monotonic() >= deadline:
                self.stop()
                raise RuntimeError(f"collector not listening after {START_TIMEOUT_S}s: {self.log_text()}")
            time.sleep(0.02)  # the poll interval, not a synchronisation

    def stop(self):
        """SIGTERM (a graceful shutdown: answers in-flight requests, flushes
        the file), then SIGKILL if it did not exit in time."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT_S)

    def log_text(self):
        return (self.dir / f"collector-{self.runs}.log").read_text(errors="replace")[-2000:]

    def records(self):
        """Every log record written so far: (resource attrs, scope, record)."""
        out = []
        for path in self.outputs:
            if not path.exists():
                continue
            for line in path.read_text().splitlines():
                if not line.strip():
                    continue
                try:
                    req = json.loads(line)
                except ValueError:
                    continue  # a line the exporter is still writing
                for rl in req.get("resourceLogs", []):
                    res = attributes(rl.get("resource", {}).get("attributes", []))
                    for sl in rl.get("scopeLogs", []):
                        scope = sl.get("scope", {}).get("name", "")
                        for lr in sl.get("logRecords", []):
                            out.append((res, scope, lr))
        return out


def attributes(kvs):
    """OTLP JSON attributes as a dict of plain values."""
    out = {}
    for kv in kvs:
        value = kv.get("value", {})
        if "stringValue" in value:
            out[kv["key"]] = value["stringValue"]
        elif "intValue" in value:
            out[kv["key"]] = int(value["intValue"])  # OTLP JSON writes int64 as a string
        else:
            out[kv["key"]] = value
    return out


if __name__ == "__main__":
    if sys.argv[1:] != ["--build"]:
        sys.exit("usage: otlp_collector.py --build")
    ensure_built(verbose=True)
