"""The user guide's code examples, run as written (paths made temporary).

If one of these fails, the guide and the package disagree.
"""

import json

from conftest import Collector

from femtologging import (
    BackoffConfig,
    ConfigBuilder,
    FemtoStreamHandler,
    FileHandlerBuilder,
    LevelFilterBuilder,
    LoggerConfigBuilder,
    OverflowPolicy,
    SocketHandlerBuilder,
    StreamHandlerBuilder,
    get_logger,
)


def test_guide_quick_start(capfd):
    logger = get_logger("demo.app")
    handler = FemtoStreamHandler.stderr()
    logger.add_handler(handler)
    logger.log("INFO", "hello from femtologging")
    assert handler.flush() is True
    handler.close()
    assert "demo.app [INFO] hello from femtologging\n" in capfd.readouterr().err


def test_guide_custom_python_handler():
    class CollectorFromGuide:
        def __init__(self) -> None:
            self.records: list[tuple[str, str, str]] = []

        def handle(self, logger: str, level: str, message: str) -> None:
            self.records.append((logger, level, message))

    collector = CollectorFromGuide()
    logger = get_logger("guide.custom")
    logger.add_handler(collector)
    logger.log("ERROR", "boom")
    probe = Collector()
    logger.add_handler(probe)
    logger.log("ERROR", "second")
    probe.wait_for(1)
    assert collector.records == [("guide.custom", "ERROR", "boom"), ("guide.custom", "ERROR", "second")]


def test_guide_config_builder(tmp_path, capfd):
    audit_path = tmp_path / "app.log"
    builder = (
        ConfigBuilder()
        .with_handler("console", StreamHandlerBuilder.stderr())
        .with_handler(
            "audit",
            FileHandlerBuilder(str(audit_path)).with_overflow_policy(OverflowPolicy.block()),
        )
        .with_filter("info_only", LevelFilterBuilder().with_max_level("INFO"))
        .with_logger(
            "app.audit",
            LoggerConfigBuilder()
            .with_level("INFO")
            .with_handlers(["audit"])
            .with_filters(["info_only"])
            .with_propagate(False),
        )
        .with_root_logger(LoggerConfigBuilder().with_level("WARNING").with_handlers(["console"]))
    )
    builder.build_and_init()
    audit = get_logger("app.audit")
    assert audit.log("INFO", "kept") == "app.audit [INFO] kept"
    assert audit.log("ERROR", "above the filter's max level") is None
    assert get_logger("root").log("INFO", "below WARNING") is None
    get_logger("root").log("WARNING", "to the console")
    for handler in audit.handlers + get_logger("root").handlers:
        assert handler.flush() is True
    assert audit_path.read_text() == "app.audit [INFO] kept\n"
    assert "root [WARN] to the console\n" in capfd.readouterr().err


def test_guide_json_formatter_on_stdout(capfd):
    def json_formatter(record: dict[str, object]) -> str:
        return json.dumps(
            {"logger": record["logger"], "level": record["level"], "message": record["message"]},
            separators=(",", ":"),
        )

    stream = StreamHandlerBuilder.stdout().with_formatter(json_formatter).build()
    logger = get_logger("guide.json")
    logger.add_handler(stream)
    logger.log("INFO", "formatted")
    assert stream.flush() is True
    stream.close()
    assert '{"logger":"guide.json","level":"INFO","message":"formatted"}\n' in capfd.readouterr().out


def test_guide_socket_builder_builds_and_closes_without_a_server():
    socket_handler = (
        SocketHandlerBuilder()
        .with_tcp("127.0.0.1", 9020)
        .with_capacity(2048)
        .with_connect_timeout_ms(5000)
        .with_write_timeout_ms(1000)
        .with_tls("logs.example.com", insecure=False)
        .with_backoff(
            BackoffConfig(
                {
                    "base_ms": 100,
                    "cap_ms": 5000,
                    "reset_after_ms": 30000,
                    "deadline_ms": 120000,
                }
            )
        )
        .build()
    )
    # Connections are lazy: nothing was logged, so nothing was attempted.
    socket_handler.close()
    assert socket_handler.get_stats() == {"delivered": 0, "dropped": 0, "failed": 0}
