"""A real rsyslogd for the syslog tests (and the benchmark): started in the
foreground from a generated configuration in a temporary directory, with
TCP, UDP and Unix-socket inputs on ports it chooses, and an omfile action
writing every field it parsed as one JSON object per line.

    with Rsyslog(tmp_path) as rs:       # or Rsyslog(tmp_path, tls=(ca, cert, key))
        ...send to rs.tcp_port / rs.udp_port / rs.unix_path...
        records = rs.wait_for(1000)     # polls the output with a deadline

It is always stopped: stop() terminates rsyslogd and kills it if it does
not exit in time; the context manager and the fixture call it.
"""

import json
import os
import shutil
import subprocess
import time

RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"

# Every property checked by the tests, written by rsyslog's JSON field
# formatting (option.jsonf), one object per line.
_TEMPLATE = """
template(name="fields" type="list" option.jsonf="on") {
  property(outname="pri" name="pri" format="jsonf")
  property(outname="facility" name="syslogfacility-text" format="jsonf")
  property(outname="severity" name="syslogseverity-text" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="appname" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="input" name="inputname" format="jsonf")
}
"""


def available():
    return os.path.exists(RSYSLOGD)


class Rsyslog:
    """One rsyslogd in the foreground, writing what it parsed to out.jsonl.

    Without tls it listens on TCP, UDP (127.0.0.1) and a Unix datagram
    socket; with tls=(ca_file, cert_file, key_file) on TLS (gtls driver)
    only.
    """

    def __init__(self, directory, tls=None, start_timeout=15.0):
        self.dir = str(directory)
        os.makedirs(self.dir, exist_ok=True)
        self.out = os.path.join(self.dir, "out.jsonl")
        self.unix_path = None if tls else os.path.join(self.dir, "log.sock")
        self.tcp_port = self.udp_port = None
        self._port_file = os.path.join(self.dir, "tcp.port")
        conf = os.path.join(self.dir, "rsyslog.conf")
        with open(conf, "w") as f:
            f.write(self._config(tls))
        self._stderr = open(os.path.join(self.dir, "rsyslogd.stderr"), "wb")
        self.proc = subprocess.Popen(
            [RSYSLOGD, "-n", "-f", conf, "-i", os.path.join(self.dir, "rsyslogd.pid")],
            stdin=subprocess.DEVNULL, stdout=self._stderr, stderr=subprocess.STDOUT,
        )
        try:
            self._await_inputs(tls is not None, start_timeout)
        except BaseException:
            self.stop()
            raise

    def _config(self, tls):
        d = self.dir
        lines = [f'global(workDirectory="{d}" maxMessageSize="256k"']
        if tls:
            ca, cert, key = tls
            lines[0] += (f' defaultNetstreamDriverCAFile="{ca}" defaultNetstreamDriverCertFile="{cert}"'
                         f' defaultNetstreamDriverKeyFile="{key}"')
        lines[0] += ")"
        if tls:
            lines.append('module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1"'
                         ' streamDriver.authMode="anon")')
        else:
            lines.append('module(load="imtcp")')
            lines.append('module(load="imudp")')
            lines.append('module(load="imuxsock" sysSock.use="off")')
        lines.append(_TEMPLATE)
        lines.append(f'ruleset(name="out") {{ action(type="omfile" file="{self.out}" template="fields") }}')
        lines.append(f'input(type="imtcp" port="0" listenPortFileName="{self._port_file}" ruleset="out")')
        if not tls:
            lines.append('input(type="imudp" address="127.0.0.1" port="0" rcvbufSize="4m" ruleset="out")')
            # The regular parser chain (not the syslog(3) special parser),
            # the message's own host name and timestamp, and no rate limit:
            # imuxsock's default would drop a burst from one process.
            lines.append(f'input(type="imuxsock" socket="{self.unix_path}" useSpecialParser="off"'
                         ' parseHostname="on" ignoreTimestamp="off" ratelimit.interval="0" ruleset="out")')
        return "\n".join(lines) + "\n"

    def _await_inputs(self, tls, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"rsyslogd exited with {self.proc.returncode}: {self.log()}")
            self.tcp_port = self._read_port()
            if not tls and self.udp_port is None:
                self.udp_port = self._udp_port()
            ready = self.tcp_port and (tls or (self.udp_port and os.path.exists(self.unix_path)))
            if ready:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"rsyslogd did not open its inputs within {timeout}s: {self.log()}")
            time.sleep(0.01)  # poll interval

    def _read_port(self):
        try:
            with open(self._port_file) as f:
                text = f.read().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else None

    def _udp_port(self):
        """The port of rsyslogd's UDP socket: imudp writes no port file, so
        match the inodes of its descriptors against /proc/<pid>/net/udp."""
        pid = self.proc.pid
        try:
            inodes = set()
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
            with open(f"/proc/{pid}/net/udp") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[9] in inodes:
                        return int(fields[1].split(":")[1], 16)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            return None
        return None

    def records(self):
        """Every record written so far (complete lines only)."""
        try:
            with open(self.out, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        return [json.loads(line) for line in data[:end].splitlines()]

    def count(self):
        try:
            with open(self.out, "rb") as f:
                return f.read().count(b"\n")
        except FileNotFoundError:
            return 0

    def wait_for(self, n, timeout=60.0):
        """Poll the output until it holds at least n records; return them."""
        deadline = time.monotonic() + timeout
        while self.count() < n:
            if self.proc.poll() is not None:
                raise AssertionError(f"rsyslogd exited with {self.proc.returncode}: {self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"rsyslog wrote {self.count()} of {n} records within {timeout}s")
            time.sleep(0.01)  # poll interval
        return self.records()

    def log(self):
        try:
            with open(os.path.join(self.dir, "rsyslogd.stderr"), "rb") as f:
                return f.read().decode("utf-8", "replace")[-2000:]
        except OSError:
            return ""

    def stop(self, timeout=10.0):
        """Terminate rsyslogd (it flushes its queues on SIGTERM); kill it
        if it has not exited within timeout. Idempotent."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        self._stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
