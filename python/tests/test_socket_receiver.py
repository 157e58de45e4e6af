"""femtolog-receiver, the shipped collector, fed by socket handlers over
TCP and a Unix socket."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from femtologging import get_logger
from femtologging import SocketHandlerBuilder

from socket_support import wait_until

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def receiver_binary(tmp_path_factory):
    go = shutil.which("go") or "/usr/local/go/bin/go"
    if not os.path.exists(go):
        pytest.skip("the Go toolchain is not installed")
    out = tmp_path_factory.mktemp("bin") / "femtolog-receiver"
    subprocess.run([go, "build", "-o", str(out), "./cmd/femtolog-receiver"], cwd=ROOT, check=True, timeout=300)
    return out


@pytest.fixture
def receiver(receiver_binary, tmp_path):
    """A receiver on 127.0.0.1 (port picked by the system) and a Unix socket."""
    ready, out = tmp_path / "ready", tmp_path / "records.jsonl"
    sock = str(tmp_path / "recv.sock")
    proc = subprocess.Popen(
        [str(receiver_binary), "-tcp", "127.0.0.1:0", "-unix", sock, "-format", "json",
         "-out", str(out), "-ready", str(ready)],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_until(lambda: ready.exists() or proc.poll() is not None, what="the receiver to listen")
        assert proc.poll() is None, proc.stderr.read()
        addrs = dict(line.split(" ", 1) for line in ready.read_text().splitlines())
        yield {"port": int(addrs["tcp"].rsplit(":", 1)[1]), "unix": addrs["unix"], "out": out, "proc": proc}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        proc.stderr.close()


def read_records(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_receiver_collects_from_tcp_and_unix_handlers(receiver):
    tcp = SocketHandlerBuilder().with_tcp("127.0.0.1", receiver["port"]).build()
    unix = SocketHandlerBuilder().with_unix_path(receiver["unix"]).build()
    a, b = get_logger("svc.a"), get_logger("svc.b")
    a.add_handler(tcp)
    b.add_handler(unix)
    for i in range(10):
        a.log("INFO", f"a{i}")
        b.log("ERROR", f"b{i}")
    assert tcp.flush(5000) and unix.flush(5000)
    wait_until(lambda: len(read_records(receiver["out"])) == 20, what="20 records in the receiver's file")
    tcp.close()
    unix.close()
    records = read_records(receiver["out"])
    assert [r["message"] for r in records if r["logger"] == "svc.a"] == [f"a{i}" for i in range(10)]
    assert [r["message"] for r in records if r["logger"] == "svc.b"] == [f"b{i}" for i in range(10)]
    assert {r["level"] for r in records if r["logger"] == "svc.b"} == {"ERROR"}
    assert all(isinstance(r["timestamp_ns"], int) for r in records)
    receiver["proc"].terminate()
    assert receiver["proc"].wait(10) == 0
    assert "20 records" in receiver["proc"].stderr.read()
