"""FemtoHTTPHandler against a local stdlib http.server (in a thread, on
127.0.0.1): batches as JSON lines or an array, auth and headers, TLS with a
CA file, retries on 429/502/503/504 honouring Retry-After, no retry on
other statuses, and accounting (delivered + dropped == logged)."""

import base64
import gzip
import http.server
import json
import ssl
import threading

import pytest

import femtologging
from femtologging import HandlerConfigError, HTTPHandlerBuilder, reset_manager

from conftest import wait_until
from socket_support import make_certificates

FAST_RETRY = {"base_ms": 5, "cap_ms": 20, "deadline_ms": 10000}


@pytest.fixture(autouse=True)
def _fresh_manager():
    yield
    reset_manager()


class Collector:
    """An HTTP server that answers each request with the next status of a
    script (then 200) and keeps the requests it accepted."""

    def __init__(self, tls_context=None):
        self.lock = threading.Lock()
        self.script = []  # (status, headers) to answer before accepting
        self.accepted = []  # (method, path, headers, body)
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    outer.requests += 1
                    step = outer.script.pop(0) if outer.script else None
                    if step is None:
                        outer.accepted.append((self.command, self.path, dict(self.headers), body))
                status, headers = step or (200, {})
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls_context is not None:
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        scheme = "https" if tls_context else "http"
        host = "localhost" if tls_context else "127.0.0.1"
        self.url = f"{scheme}://{host}:{self.server.server_address[1]}/logs"

    def records(self):
        """Every record of every accepted body, in order."""
        out = []
        with self.lock:
            accepted = list(self.accepted)
        for _, _, headers, body in accepted:
            if headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if headers.get("Content-Type") == "application/json":
                out.extend(json.loads(body))
            else:
                out.extend(json.loads(line) for line in body.splitlines())
        return out

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def collector():
    c = Collector()
    try:
        yield c
    finally:
        c.stop()


def attach(handler, name="http.test"):
    logger = femtologging.get_logger(name)
    logger.add_handler(handler)
    return logger


def close_and_count(handler, n):
    handler.close()
    stats = handler.get_stats()
    assert stats["delivered"] + stats["dropped"] + stats["failed"] == n, stats
    assert stats["failed"] == 0, stats
    return stats


@pytest.mark.parametrize("fmt", ["json_lines", "json_array"])
def test_http_posts_every_record_in_batches(collector, fmt):
    handler = HTTPHandlerBuilder(collector.url).with_format(fmt).with_batch_size(records=100) \
        .with_overflow_policy("block").with_retry(FAST_RETRY).build()
    logger = attach(handler)
    for i in range(2000):
        logger.log("WARNING" if i % 2 else "INFO", f"message {i} \"quoted\"\nnewline")
    stats = close_and_count(handler, 2000)
    assert stats["delivered"] == 2000
    got = collector.records()
    assert [r["message"] for r in got] == [f"message {i} \"quoted\"\nnewline" for i in range(2000)]
    assert {r["logger"] for r in got} == {"http.test"}
    assert [r["level"] for r in got[:2]] == ["INFO", "WARN"]
    assert [r["levelno"] for r in got[:2]] == [20, 30]
    assert all(r["time"].endswith("Z") for r in got)
    with collector.lock:
        sizes = [len(json.loads(b)) if fmt == "json_array" else len(b.splitlines())
                 for _, _, _, b in collector.accepted]
        kinds = {h["Content-Type"] for _, _, h, _ in collector.accepted}
    assert max(sizes) <= 100 and sum(sizes) == 2000
    assert kinds == {"application/json" if fmt == "json_array" else "application/x-ndjson"}


def test_http_sends_auth_and_headers_with_put_and_gzip(collector):
    handler = (HTTPHandlerBuilder(collector.url).with_method("PUT").with_basic_auth("user", "p:ss")
               .with_header("X-Tenant", "blue").with_gzip().build())
    attach(handler).info("hello")
    close_and_count(handler, 1)
    ((method, path, headers, _),) = collector.accepted
    assert (method, path) == ("PUT", "/logs")
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"user:p:ss").decode()
    assert headers["X-Tenant"] == "blue"
    assert [r["message"] for r in collector.records()] == ["hello"]


def test_http_bearer_token(collector):
    handler = HTTPHandlerBuilder(collector.url).with_bearer_token("s3cret").build()
    attach(handler).info("x")
    close_and_count(handler, 1)
    assert collector.accepted[0][2]["Authorization"] == "Bearer s3cret"


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_http_retries_retryable_statuses_honouring_retry_after(collector, status):
    collector.script = [(status, {"Retry-After": "0"}), (status, {})]
    handler = HTTPHandlerBuilder(collector.url).with_retry(FAST_RETRY).build()
    attach(handler).info("retried")
    stats = close_and_count(handler, 1)
    assert stats["delivered"] == 1
    assert collector.requests == 3
    assert [r["message"] for r in collector.records()] == ["retried"]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 500])
def test_http_drops_on_other_statuses_without_retrying(collector, status):
    collector.script = [(status, {})]
    handler = HTTPHandlerBuilder(collector.url).with_retry(FAST_RETRY).build()
    logger = attach(handler)
    logger.info("rejected")
    assert handler.flush() is False
    logger.info("next batch")
    stats = close_and_count(handler, 2)
    assert (stats["delivered"], stats["dropped"]) == (1, 1)
    assert collector.requests == 2
    assert [r["message"] for r in collector.records()] == ["next batch"]


def test_http_retry_after_beyond_the_deadline_drops_at_once(collector):
    collector.script = [(503, {"Retry-After": "3600"})]
    handler = HTTPHandlerBuilder(collector.url).with_retry({"base_ms": 5, "deadline_ms": 2000}).build()
    attach(handler).info("too late")
    stats = close_and_count(handler, 1)
    assert stats["dropped"] == 1 and collector.requests == 1


def test_http_server_down_counts_drops_after_the_deadline():
    c = Collector()
    url = c.url
    c.stop()
    handler = HTTPHandlerBuilder(url).with_retry({"base_ms": 5, "cap_ms": 10, "deadline_ms": 100}) \
        .with_connect_timeout_ms(500).build()
    logger = attach(handler)
    for i in range(10):
        logger.info(f"lost {i}")
    stats = close_and_count(handler, 10)
    assert stats["dropped"] == 10


def test_http_close_is_bounded_when_the_server_hangs(collector):
    # Every request answered 503 with a long retry wait: close() must give
    # up within its budget and count the batch as dropped.
    collector.script = [(503, {"Retry-After": "5"})] * 100
    handler = HTTPHandlerBuilder(collector.url).with_timeout_ms(500) \
        .with_retry({"base_ms": 5, "deadline_ms": 60000}).build()
    attach(handler).info("stuck")
    wait_until(lambda: collector.requests >= 1)
    stats = close_and_count(handler, 1)
    assert stats["dropped"] == 1


def test_http_tls_with_ca_file(tmp_path):
    made = make_certificates(tmp_path)
    if made is None:
        pytest.skip("the openssl command is not installed")
    ca, cert, key = made
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    c = Collector(tls_context=ctx)
    try:
        good = HTTPHandlerBuilder(c.url).with_tls(ca_file=ca).build()
        attach(good, "http.tls").info("over tls")
        assert close_and_count(good, 1)["delivered"] == 1
        untrusted = HTTPHandlerBuilder(c.url).with_retry({"base_ms": 5, "deadline_ms": 100}).build()
        attach(untrusted, "http.untrusted").info("refused")
        assert close_and_count(untrusted, 1)["dropped"] == 1
        assert [r["message"] for r in c.records()] == ["over tls"]
    finally:
        c.stop()


@pytest.mark.parametrize("make, message", [
    (lambda: HTTPHandlerBuilder("ftp://h/x"), "want an http:// or https:// URL"),
    (lambda: HTTPHandlerBuilder("http://h:99999/"), "Port out of range"),
    (lambda: HTTPHandlerBuilder("http://h/").with_method("GET"), "HTTP method 'GET'"),
    (lambda: HTTPHandlerBuilder("http://h/").with_format("xml"), "HTTP body format 'xml'"),
    (lambda: HTTPHandlerBuilder("http://h/").with_batch_delay_ms(-1), "must not be negative"),
    (lambda: HTTPHandlerBuilder("http://h/").with_retry({"tries": 3}), "unknown RetryConfig key"),
    # TLS and retry arguments are checked as for the other network handlers.
    (lambda: HTTPHandlerBuilder("https://h/").with_tls(ca_file=""), "TLS ca_file must not be empty"),
    (lambda: HTTPHandlerBuilder("https://h/").with_tls(domain=""), "TLS domain must not be empty"),
    (lambda: HTTPHandlerBuilder("http://h/").with_retry({"base_ms": 0}), "retry base_ms must be greater than zero"),
])
def test_http_builder_rejects_bad_settings(make, message):
    with pytest.raises(HandlerConfigError) as info:
        make()
    assert message in str(info.value)


@pytest.mark.parametrize("builder, message", [
    (lambda: HTTPHandlerBuilder("https://h/").with_tls(ca_file="/nonexistent/ca.pem"), "/nonexistent/ca.pem"),
    (lambda: HTTPHandlerBuilder("http://h/").with_tls(insecure=True), "TLS settings need an https:// URL"),
    (lambda: HTTPHandlerBuilder("http://h/").with_header("Bad Name", "x"), '"Bad Name": not a valid header name'),
    (lambda: HTTPHandlerBuilder("http://u:p@h/"), "put credentials in basic_auth"),
])
def test_http_build_rejects_what_go_checks(builder, message):
    with pytest.raises(HandlerConfigError) as info:
        builder().build()
    assert message in str(info.value)
