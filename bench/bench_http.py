"""HTTP throughput: records/s from a Python producer to a local HTTP
server (a separate process, so it does not compete for the producer's
GIL), counted at the server.

femtologging's HTTPHandlerBuilder (batches of JSON lines) against the
standard library's logging.handlers.HTTPHandler (one form-encoded POST per
record, synchronous). stdlib is measured on fewer records: each costs a
request.

    .venv/bin/python bench/bench_http.py [--records N] [--stdlib-records N] [--json]
"""

import logging
import logging.handlers
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import femto_run, network_parser, poll_count, report_vs_stdlib, stdlib_run  # noqa: E402

# The counting server: lines of an x-ndjson body are records; any other
# body is one record. GET /count answers the total.
SERVER = r'''
import http.server, sys, threading
count = 0
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n = body.count(b"\n") if self.headers.get("Content-Type") == "application/x-ndjson" else 1
        with lock:
            count += n
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        with lock:
            data = str(count).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(data))); self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
print(srv.server_address[1], flush=True)
srv.serve_forever()
'''


class Server:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def count(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/count", timeout=10) as r:
            return int(r.read())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_femtologging(n, timeout):
    from femtologging import HTTPHandlerBuilder

    with Server() as srv:
        handler = HTTPHandlerBuilder(f"http://127.0.0.1:{srv.port}/logs").with_overflow_policy("block").build()
        stats, result = femto_run("bench.http", handler, n,
                                  lambda dropped: poll_count(srv.count, n - dropped, timeout))
    assert stats["delivered"] + result["dropped"] == n, stats
    return {"records": n, **result}


def run_stdlib(n, timeout):
    with Server() as srv:
        handler = logging.handlers.HTTPHandler(f"127.0.0.1:{srv.port}", "/logs", method="POST")
        return {"records": n, **stdlib_run("bench.stdlib.http", handler, n, lambda: poll_count(srv.count, n, timeout))}


def main():
    parser = network_parser(__doc__, 100_000, "the server")
    parser.add_argument("--stdlib-records", type=int, default=3_000)
    args = parser.parse_args()
    results = {
        "femtologging HTTPHandlerBuilder": run_femtologging(args.records, args.timeout),
        "stdlib logging.handlers.HTTPHandler": run_stdlib(args.stdlib_records, args.timeout),
    }
    return report_vs_stdlib(results, args.json, "http",
                            "HTTP POST to a local server (another process), counted at the server:", "received")


if __name__ == "__main__":
    sys.exit(main())
