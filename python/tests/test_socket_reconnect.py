"""The socket handler against receivers that are absent, restarted or hung:
records arrive once a connection is back, every record is counted, and
close() stays bounded."""

import time

import pytest

from femtologging import get_logger
from femtologging import BackoffConfig, SocketHandlerBuilder

from socket_support import FrameServer, free_port, wait_until


def fast_backoff(deadline_ms=10000):
    return BackoffConfig({"base_ms": 5, "cap_ms": 20, "reset_after_ms": 1000, "deadline_ms": deadline_ms})


def accounted(handler, logged):
    stats = handler.get_stats()
    return stats["delivered"] + stats["dropped"] + stats["failed"] == logged


def test_socket_server_absent_at_start_then_started():
    port = free_port()
    handler = SocketHandlerBuilder().with_tcp("127.0.0.1", port).with_backoff(fast_backoff()).build()
    logger = get_logger("net.late")
    logger.add_handler(handler)
    logger.log("INFO", "before the server")
    assert handler.flush(50) is False  # nothing listens: still waiting
    with FrameServer(address=("127.0.0.1", port)) as server:
        logger.log("INFO", "after the server")
        assert handler.flush(5000)
        server.wait_for(lambda m: "after the server" in m)
        handler.close()
    # Within the backoff deadline the early record waited and was sent too.
    assert server.messages() == ["before the server", "after the server"]
    assert handler.get_stats() == {"delivered": 2, "dropped": 0, "failed": 0}


def test_socket_server_restarted_mid_stream_resumes_and_accounts():
    first = FrameServer()
    port = first.port
    handler = SocketHandlerBuilder().with_tcp("127.0.0.1", port).with_backoff(fast_backoff()).build()
    logger = get_logger("net.restart")
    logger.add_handler(handler)
    logged = 0
    for i in range(50):
        logger.log("INFO", f"first-{i}")
        logged += 1
    assert handler.flush(5000)
    first.wait_for(lambda m: len(m) == 50)
    first.stop()
    for i in range(20):
        logger.log("INFO", f"down-{i}")
        logged += 1
    with FrameServer(address=("127.0.0.1", port)) as second:
        for i in range(50):
            logger.log("INFO", f"second-{i}")
            logged += 1
        assert handler.flush(5000)
        second.wait_for(lambda m: "second-49" in m)
        handler.close()
    stats = handler.get_stats()
    assert stats["delivered"] + stats["dropped"] == logged
    assert stats["failed"] == 0
    assert [f"second-{i}" for i in range(50)] == [m for m in second.messages() if m.startswith("second-")]
    # What was counted as sent is what the two receivers got.
    assert len(first.messages()) + len(second.messages()) == stats["delivered"]


def test_socket_drops_past_deadline_until_a_connect_succeeds():
    port = free_port()
    handler = (
        SocketHandlerBuilder().with_tcp("127.0.0.1", port)
        .with_backoff(fast_backoff(deadline_ms=30)).build()
    )
    for _ in range(5):
        handler.handle("app", "INFO", "lost")
    assert handler.flush(5000) is False
    assert handler.get_stats() == {"delivered": 0, "dropped": 5, "failed": 0}
    logged = 5
    with FrameServer(address=("127.0.0.1", port)) as server:
        deadline = time.monotonic() + 5
        while "found" not in server.messages() and time.monotonic() < deadline:
            handler.handle("app", "INFO", "found")
            logged += 1
            handler.flush(1000)
        server.wait_for(lambda m: "found" in m)
        handler.close()
    assert accounted(handler, logged)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["receiver stopped reading", "no receiver"])
def test_socket_close_is_bounded(scenario):
    write_timeout_ms = 300
    never = BackoffConfig({"base_ms": 5, "cap_ms": 20, "reset_after_ms": 60000, "deadline_ms": 3600000})
    server = FrameServer(reading=False) if scenario == "receiver stopped reading" else None
    port = server.port if server else free_port()
    try:
        handler = (
            SocketHandlerBuilder().with_tcp("127.0.0.1", port)
            .with_write_timeout_ms(write_timeout_ms).with_capacity(512).with_backoff(never).build()
        )
        big = "y" * 65536
        logged = 0
        for _ in range(400):  # ~26 MB: more than both sockets' buffers hold
            try:
                handler.handle("app", "INFO", big)
            except RuntimeError:
                pass  # queue full: counted as dropped
            logged += 1
        start = time.monotonic()
        handler.close()
        elapsed = time.monotonic() - start
    finally:
        if server:
            server.stop()
    # The bound is the write timeout plus a short grace (250 ms); allow slack.
    assert elapsed < write_timeout_ms / 1000 + 0.25 + 0.75, f"close took {elapsed:.2f}s"
    wait_until(lambda: accounted(handler, logged), what="every record accounted")
    assert handler.get_stats()["dropped"] > 0
