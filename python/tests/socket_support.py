"""Receivers for the socket handler tests: real servers on 127.0.0.1 and
Unix sockets that decode frames with msgpack, independently of the Go code."""

import os
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time

import msgpack


def wait_until(cond, timeout=5.0, what="condition"):
    """Poll cond() until it is true or the timeout runs out (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.005)


def decode_frames(data):
    """Split a byte stream into frames and decode each map; return (records, rest)."""
    records = []
    while len(data) >= 4:
        (size,) = struct.unpack(">I", data[:4])
        if len(data) < 4 + size:
            break
        records.append(msgpack.unpackb(data[4 : 4 + size], raw=False))
        data = data[4 + size :]
    return records, data


class FrameServer:
    """Accepts connections and decodes frames in a thread.

    ``reading=False`` accepts but never reads: a receiver that hung.
    """

    def __init__(self, family=socket.AF_INET, address=("127.0.0.1", 0), tls_context=None, reading=True):
        self.family = family
        self.tls_context = tls_context
        self.reading = reading
        self.records = []
        self.raw = bytearray()  # every byte received, for "no plaintext" checks
        self.handshake_errors = 0
        self._lock = threading.Lock()
        self._conns = []
        self._threads = []
        self._stopped = threading.Event()
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        if family == socket.AF_INET:
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(address)
        self.listener.listen(16)
        self.address = self.listener.getsockname()
        self._spawn(self._accept)

    @property
    def port(self):
        return self.address[1]

    def _spawn(self, target, *args):
        t = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(t)
        t.start()

    def _accept(self):
        while not self._stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
            if self.reading:
                self._spawn(self._read, conn)

    def _read(self, conn):
        if self.tls_context is not None:
            try:
                conn = self.tls_context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                with self._lock:
                    self.handshake_errors += 1
                return
            with self._lock:
                self._conns.append(conn)
        pending = b""
        while True:
            try:
                chunk = conn.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            records, pending = decode_frames(pending + chunk)
            with self._lock:
                self.raw += chunk
                self.records.extend(records)

    def messages(self):
        with self._lock:
            return [r["message"] for r in self.records]

    def wait_for(self, cond, timeout=5.0, what="records"):
        wait_until(lambda: cond(self.messages()), timeout, what)

    def stop(self):
        """Close the listener and every connection; idempotent."""
        self._stopped.set()
        try:
            # On Linux, close() alone does not wake a thread blocked in accept().
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()
        for t in self._threads:
            t.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def free_port():
    """A loopback port nothing listens on (taken and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificates(directory):
    """A CA and a server certificate for localhost/127.0.0.1 signed by it,
    made with the openssl CLI. Returns (ca_file, cert_file, key_file) or None
    when openssl is not installed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    d = str(directory)
    ca_key, ca_crt = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr, crt = os.path.join(d, "server.key"), os.path.join(d, "server.csr"), os.path.join(d, "server.pem")
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    steps = [
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", ca_key, "-out", ca_crt, "-days", "1", "-subj", "/CN=femtologging test CA"],
        [openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", key, "-out", csr, "-subj", "/CN=localhost"],
        [openssl, "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
         "-out", crt, "-days", "1", "-extfile", ext],
    ]
    for cmd in steps:
        subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    return ca_crt, crt, key


def server_tls_context(cert_file, key_file):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_file, key_file)
    return ctx
