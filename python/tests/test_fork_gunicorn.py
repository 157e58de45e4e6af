"""Fork that works under a real pre-forking server (issue 12): gunicorn
with --preload, whose master configures femtologging before forking its
workers. Bound to a Unix socket in the test's directory; the whole server
(its own session) is killed at teardown if it is still running."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from conftest import wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("gunicorn") is None, reason="gunicorn is not installed (scripts/bootstrap.sh)"),
]

APP = """
import os
import femtologging
from femtologging import FileHandlerBuilder, get_logger

class Mirror:
    # A Python handler: each worker appends the record to its own copy.
    def handle(self, logger, level, message):
        with open(os.environ["MIRROR_LOG"], "a") as f:
            f.write(f"{message}\\n")

handler = FileHandlerBuilder(os.environ["APP_LOG"]).with_overflow_policy("block").build()
log = get_logger("web")
log.add_handler(handler)
log.add_handler(Mirror())
log.log("INFO", f"master {os.getpid()} configured")

def application(environ, start_response):
    n = environ["PATH_INFO"].strip("/")
    log.log("INFO", f"request {n} pid {os.getpid()}")
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self._path)


def _accepts(path):
    """True once something listens on the Unix socket at path."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(5)
        probe.connect(path)
        return True
    except (FileNotFoundError, ConnectionRefusedError):
        return False
    finally:
        probe.close()


def test_gunicorn_preload_workers_log_with_the_masters_configuration(tmp_path):
    (tmp_path / "app.py").write_text(textwrap.dedent(APP))
    sock = str(tmp_path / "g.sock")
    app_log, mirror_log = tmp_path / "app.log", tmp_path / "mirror.log"
    env = dict(os.environ, APP_LOG=str(app_log), MIRROR_LOG=str(mirror_log), PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--preload", "-w", "3", "--bind", f"unix:{sock}",
         "--chdir", str(tmp_path), "--graceful-timeout", "10", "app:application"],
        cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # The socket file appears at bind(), a moment before listen(): wait
        # until a connection is accepted, not only for the file.
        wait_until(lambda: _accepts(sock), timeout=30, message="gunicorn did not listen on its socket")
        served = {}
        for n in range(300):
            conn = UnixHTTPConnection(sock)
            try:
                conn.request("GET", f"/{n}")
                response = conn.getresponse()
                assert response.status == 200
                served[n] = int(response.read())
            finally:
                conn.close()
        assert len(set(served.values())) >= 1
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.communicate(timeout=10)
    text = output.decode(errors="replace")
    assert server.returncode == 0, text
    lines = app_log.read_text().splitlines()
    requests = [line for line in lines if " request " in line]
    assert len(requests) == 300, text
    for n, pid in served.items():
        assert lines.count(f"web [INFO] request {n} pid {pid}") == 1, (n, pid)
    assert lines.count(f"web [INFO] master {server.pid} configured") == 1
    assert server.pid not in served.values()  # the workers served, not the master
    mirrored = [line for line in mirror_log.read_text().splitlines() if line.startswith("request ")]
    assert sorted(mirrored) == sorted(f"request {n} pid {pid}" for n, pid in served.items())
