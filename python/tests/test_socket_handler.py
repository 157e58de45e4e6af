"""SocketHandlerBuilder validation, the handler spec, and frames as a
receiver decodes them."""

import socket
import threading

import pytest

from femtologging import HandlerConfigError, get_logger
from femtologging import BackoffConfig, FemtoSocketHandler, SocketHandlerBuilder

from socket_support import FrameServer


FAST = BackoffConfig({"base_ms": 5, "cap_ms": 20, "reset_after_ms": 1000, "deadline_ms": 10000})


@pytest.mark.parametrize(
    "configure, message",
    [
        (lambda b: b.with_tcp("127.0.0.1", 0), "got 0"),
        (lambda b: b.with_tcp("127.0.0.1", 65536), "got 65536"),
        (lambda b: b.with_tcp("127.0.0.1", -1), "got -1"),
        (lambda b: b.with_tcp("", 9020), "got ''"),
        (lambda b: b.with_capacity(0), "capacity must be greater than zero, got 0"),
        (lambda b: b.with_connect_timeout_ms(-5), "connect timeout (ms) must be greater than zero, got -5"),
        (lambda b: b.with_write_timeout_ms(0), "write timeout (ms) must be greater than zero, got 0"),
        (lambda b: b.with_max_frame_size(0), "max frame size must be greater than zero, got 0"),
        (lambda b: b.with_max_frame_size(1 << 32), f"got {1 << 32}"),
        (lambda b: b.with_flush_timeout_ms(0), "got 0"),
        (lambda b: b.with_unix_path("/tmp/x.sock").with_tls(), "'/tmp/x.sock'"),
        (lambda b: b.with_tls().with_unix_path("/tmp/y.sock"), "'/tmp/y.sock'"),
        (lambda b: b.with_unix_path("/tmp/" + "p" * 120), "longer than the 107"),
        (lambda b: b.with_tls(domain=""), "got ''"),
    ],
    ids=["port-0", "port-65536", "port-negative", "empty-host", "capacity-0", "connect-timeout-negative",
         "write-timeout-0", "frame-size-0", "frame-size-over-prefix", "flush-timeout-0",
         "tls-after-unix", "unix-after-tls", "unix-path-too-long", "empty-domain"],
)
def test_builder_rejects_bad_values_naming_them(configure, message):
    with pytest.raises(HandlerConfigError) as info:
        configure(SocketHandlerBuilder())
    assert message in str(info.value)


@pytest.mark.parametrize(
    "values, message",
    [
        ({"base_ms": 10, "jitter": 3}, "'jitter'"),
        ({"base": 10}, "'base'"),
        ({"base_ms": 0}, "backoff base_ms must be greater than zero, got 0"),
        ({"deadline_ms": -1}, "got -1"),
        ({"base_ms": 500, "cap_ms": 100}, "cap_ms 100 must not be less than base_ms 500"),
    ],
    ids=["unknown-key", "misspelt-key", "base-0", "deadline-negative", "cap-below-base"],
)
def test_backoff_config_rejects_bad_values_naming_them(values, message):
    with pytest.raises(HandlerConfigError) as info:
        BackoffConfig(values)
    assert message in str(info.value)


def test_builder_rejects_wrong_types():
    with pytest.raises(TypeError):
        SocketHandlerBuilder().with_tcp("h", "9020")
    with pytest.raises(TypeError):
        SocketHandlerBuilder().with_backoff(42)
    with pytest.raises(TypeError):
        BackoffConfig([("base_ms", 1)])


def test_go_validates_what_python_let_through(tmp_path):
    # The CA file is read in Go: its error names the path.
    missing = str(tmp_path / "missing-ca.pem")
    with pytest.raises(HandlerConfigError, match="missing-ca.pem"):
        SocketHandlerBuilder().with_tcp("127.0.0.1", 9020).with_tls(ca_file=missing).build()


def test_builder_spec_defaults_to_tcp_localhost_9020():
    assert SocketHandlerBuilder()._handler_spec() == {
        "kind": "socket",
        "transport": "tcp",
        "host": "localhost",
        "port": 9020,
        "unix_path": None,
        "capacity": 1024,
        "connect_timeout_ms": 5000,
        "write_timeout_ms": 1000,
        "max_frame_size": 1 << 20,
        "tls": None,
        "backoff": {"base_ms": 100, "cap_ms": 5000, "reset_after_ms": 30000, "deadline_ms": 120000},
        "flush_timeout_ms": 1000,
    }


def test_builder_spec_carries_every_setting():
    spec = (
        SocketHandlerBuilder()
        .with_tcp("127.0.0.1", 9021)
        .with_capacity(2048)
        .with_connect_timeout_ms(250)
        .with_write_timeout_ms(300)
        .with_max_frame_size(4096)
        .with_tls("logs.example.com", insecure=False, ca_file="/etc/ca.pem")
        .with_backoff(BackoffConfig({"base_ms": 1, "cap_ms": 2}))
        ._handler_spec()
    )
    assert spec["host"] == "127.0.0.1" and spec["port"] == 9021
    assert spec["capacity"] == 2048 and spec["max_frame_size"] == 4096
    assert spec["connect_timeout_ms"] == 250 and spec["write_timeout_ms"] == 300
    assert spec["tls"] == {"domain": "logs.example.com", "insecure": False, "ca_file": "/etc/ca.pem"}
    assert spec["backoff"] == {"base_ms": 1, "cap_ms": 2, "reset_after_ms": 30000, "deadline_ms": 120000}


def test_unix_spec_has_no_host_or_port():
    spec = SocketHandlerBuilder().with_unix_path("/run/app.sock")._handler_spec()
    assert (spec["transport"], spec["unix_path"], spec["host"], spec["port"]) == ("unix", "/run/app.sock", None, None)


def test_handler_is_built_only_through_the_builder():
    with pytest.raises(TypeError, match="SocketHandlerBuilder"):
        FemtoSocketHandler()


def test_frames_decode_to_the_documented_map():
    with FrameServer() as server:
        handler = SocketHandlerBuilder().with_tcp("127.0.0.1", server.port).with_backoff(FAST).build()
        logger = get_logger("net.frames")
        logger.add_handler(handler)
        logger.log("WARNING", "disk 91% full")
        assert handler.flush(5000)
        server.wait_for(lambda m: m == ["disk 91% full"])
        handler.close()
        (record,) = server.records
    assert set(record) == {
        "logger", "level", "message", "timestamp_ns", "filename", "line_number",
        "module_path", "thread_id", "thread_name", "key_values",
    }
    assert record["logger"] == "net.frames"
    assert record["level"] == "WARN"
    assert record["message"] == "disk 91% full"
    assert isinstance(record["timestamp_ns"], int) and record["timestamp_ns"] > 1_600_000_000 * 10**9
    assert record["key_values"] == {}
    assert record["thread_name"] == threading.current_thread().name
    assert handler.get_stats() == {"delivered": 1, "dropped": 0, "failed": 0}


def test_unix_socket_delivers_records(tmp_path):
    path = str(tmp_path / "recv.sock")
    with FrameServer(socket.AF_UNIX, path) as server:
        handler = SocketHandlerBuilder().with_unix_path(path).with_backoff(FAST).build()
        for i in range(20):
            handler.handle("app", "INFO", f"u{i}")
        assert handler.flush(5000)
        server.wait_for(lambda m: len(m) == 20)
        handler.close()
    assert server.messages() == [f"u{i}" for i in range(20)]
    assert handler.get_stats()["delivered"] == 20


def test_oversize_frame_is_dropped_and_counted():
    with FrameServer() as server:
        handler = (
            SocketHandlerBuilder().with_tcp("127.0.0.1", server.port)
            .with_max_frame_size(256).with_backoff(FAST).build()
        )
        handler.handle("app", "INFO", "small")
        handler.handle("app", "INFO", "x" * 1000)
        handler.handle("app", "INFO", "after")
        assert handler.flush(5000) is False  # a record was lost since the last flush
        server.wait_for(lambda m: "after" in m)
        handler.close()
    assert server.messages() == ["small", "after"]
    assert handler.get_stats() == {"delivered": 2, "dropped": 1, "failed": 0}


def test_builder_with_no_transport_targets_localhost_9020():
    # Whether or not something listens there, build() succeeds and the
    # connection waits for the first record.
    handler = SocketHandlerBuilder().build()
    assert "localhost:9020" in repr(handler)
    handler.close()
    assert handler.get_stats() == {"delivered": 0, "dropped": 0, "failed": 0}
