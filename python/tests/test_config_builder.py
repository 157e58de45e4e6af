"""ConfigBuilder, LoggerConfigBuilder, FormatterBuilder and the filter builders."""

import pytest

from config_helpers import Collector, deliver_marker, fresh_manager, wait_for  # noqa: F401
from femtologging import HandlerConfigError, StreamHandlerBuilder, get_logger
from femtologging.config import ConfigBuilder, FormatterBuilder, LoggerConfigBuilder
from femtologging.errors import HandlerClosedError
from femtologging.filters import LevelFilterBuilder, NameFilterBuilder

pytestmark = pytest.mark.usefixtures("fresh_manager")


def capturing_stream():
    """A stream handler builder whose formatter records what reaches it."""
    seen = []

    def fmt(record):
        seen.append((record["logger"], record["level"], record["message"]))
        return record["message"]

    return StreamHandlerBuilder.stdout().with_formatter(fmt), seen


def flush_all(logger_name):
    for handler in get_logger(logger_name).handlers:
        assert handler.flush()


def test_config_builder_as_dict_is_plain_data():
    builder = (
        ConfigBuilder()
        .with_handler("console", StreamHandlerBuilder.stderr().with_capacity(8))
        .with_filter("info_only", LevelFilterBuilder().with_max_level("info"))
        .with_filter("app_only", NameFilterBuilder().with_prefix("app"))
        .with_formatter("plain", FormatterBuilder().with_format("{message}"))
        .with_logger(
            "app.audit",
            LoggerConfigBuilder().with_level("INFO").with_handlers(["console"])
            .with_filters(["info_only", "app_only"]).with_propagate(False),
        )
        .with_root_logger(LoggerConfigBuilder().with_level("WARNING").with_handlers(["console"]))
        .with_default_level("DEBUG")
        .with_disable_existing_loggers(True)
    )
    assert builder.as_dict() == {
        "version": 1,
        "handlers": {"console": {"kind": "stream", "target": "stderr", "capacity": 8,
                                 "flush_timeout_ms": 1000, "formatter": "default"}},
        "filters": {"info_only": {"kind": "level", "max_level": "INFO"},
                    "app_only": {"kind": "name", "prefix": "app"}},
        "formatters": {"plain": {"format": "{message}"}},
        "loggers": {"app.audit": {"level": "INFO", "handlers": ["console"],
                                  "filters": ["info_only", "app_only"], "propagate": False}},
        "root": {"level": "WARN", "handlers": ["console"]},
        "default_level": "DEBUG",
        "disable_existing_loggers": True,
    }


def test_config_builder_build_and_init_routes_records(capfd):
    stream, seen = capturing_stream()
    logger = get_logger("app.db")  # created before: its cached level must refresh
    assert logger.log("DEBUG", "too early") is None
    (ConfigBuilder().with_handler("out", stream)
     .with_logger("app", LoggerConfigBuilder().with_level("DEBUG").with_handlers(["out"]))
     .with_root_logger(LoggerConfigBuilder().with_level("ERROR"))
     .build_and_init())
    assert logger.log("DEBUG", "now visible") == "app.db [DEBUG] now visible"
    assert get_logger("other").log("WARNING", "below root level") is None
    flush_all("app")
    assert seen == [("app.db", "DEBUG", "now visible")]
    assert capfd.readouterr().out == "now visible\n"


def test_config_builder_python_loggers_see_config_handlers():
    stream, seen = capturing_stream()
    (ConfigBuilder().with_handler("out", stream)
     .with_root_logger(LoggerConfigBuilder().with_handlers(["out"])).build_and_init())
    root = get_logger("root")
    [handler] = root.handlers
    assert handler.kind == "stream" and handler.handler_id == "out"
    assert root.remove_handler(handler) is True
    assert root.handlers == []
    root.log("ERROR", "after removal")
    assert handler.flush()
    assert seen == []


def test_config_builder_filters_apply_in_order():
    stream, seen = capturing_stream()
    (ConfigBuilder().with_handler("out", stream)
     .with_filter("max_info", LevelFilterBuilder().with_max_level("INFO"))
     .with_filter("svc", NameFilterBuilder().with_prefix("svc.api"))
     .with_logger("svc", LoggerConfigBuilder().with_level("DEBUG").with_handlers(["out"])
                  .with_filters(["max_info", "svc"]))
     .with_logger("svc.api", LoggerConfigBuilder().with_filters(["svc", "max_info"]))
     .with_root_logger(LoggerConfigBuilder())
     .build_and_init())
    assert get_logger("svc").log("INFO", "wrong prefix") is None
    assert get_logger("svc.api").log("ERROR", "above max") is None
    assert get_logger("svc.api").log("INFO", "passes") is not None
    flush_all("svc")
    assert [m for _, _, m in seen] == ["passes"]


def test_config_builder_default_level_and_propagate():
    stream, seen = capturing_stream()
    (ConfigBuilder().with_handler("out", stream)
     .with_default_level("ERROR")
     .with_logger("quiet", LoggerConfigBuilder().with_propagate(False))
     .with_logger("loud", LoggerConfigBuilder().with_level("DEBUG"))
     .with_root_logger(LoggerConfigBuilder().with_handlers(["out"]))
     .build_and_init())
    assert get_logger("quiet").get_level() == "ERROR"
    assert get_logger("root").get_level() == "ERROR"
    get_logger("quiet").log("CRITICAL", "not propagated")
    get_logger("loud").log("DEBUG", "propagated")
    flush_all("root")
    assert [m for _, _, m in seen] == ["propagated"]


@pytest.mark.parametrize(
    "logger, message",
    [
        (LoggerConfigBuilder().with_handlers(["nope"]), 'unknown handler id "nope"'),
        (LoggerConfigBuilder().with_filters(["nofilter"]), 'unknown filter id "nofilter"'),
    ],
)
def test_config_builder_unknown_ids_name_the_item(logger, message):
    builder = ConfigBuilder().with_logger("app", logger).with_root_logger(LoggerConfigBuilder())
    with pytest.raises(HandlerConfigError, match=message) as info:
        builder.build_and_init()
    assert '$.loggers.app.' in str(info.value)


def test_config_builder_missing_root_is_an_error():
    with pytest.raises(ValueError, match=r"\$\.root: missing"):
        ConfigBuilder().build_and_init()


@pytest.mark.parametrize("call", [
    lambda: LoggerConfigBuilder().with_level("LOUD"),
    lambda: ConfigBuilder().with_default_level("LOUD"),
    lambda: LevelFilterBuilder().with_max_level("LOUD"),
])
def test_config_builder_invalid_level_names_it(call):
    with pytest.raises(ValueError, match="'LOUD'"):
        call()


def test_config_builder_level_filter_without_max_level_is_an_error():
    builder = (ConfigBuilder().with_filter("f", LevelFilterBuilder())
               .with_root_logger(LoggerConfigBuilder()))
    with pytest.raises(HandlerConfigError, match=r"\$\.filters\.f\.max_level: missing"):
        builder.build_and_init()


class _FormatterIdBuilder:
    """A handler builder that references a formatter by id."""

    def _handler_spec(self):
        return {"kind": "stream", "formatter": "plain"}

    as_dict = _handler_spec


def test_config_builder_formatter_ids_must_be_declared():
    with pytest.raises(HandlerConfigError, match="unknown formatter id ''"):
        StreamHandlerBuilder.stderr().with_formatter("")
    builder = (ConfigBuilder()
               .with_formatter("other", FormatterBuilder().with_format("{message}").with_style("{"))
               .with_handler("h", _FormatterIdBuilder())
               .with_root_logger(LoggerConfigBuilder().with_handlers(["h"])))
    with pytest.raises(HandlerConfigError, match='unknown formatter id "plain"'):
        builder.build_and_init()
    bad = (ConfigBuilder()
           .with_formatter("plain", FormatterBuilder().with_format("{message}"))  # style '%': no fields
           .with_handler("h", _FormatterIdBuilder())
           .with_root_logger(LoggerConfigBuilder().with_handlers(["h"])))
    with pytest.raises(HandlerConfigError, match=r"\$\.formatters\.plain\.format: .*has no fields"):
        bad.build_and_init()


def test_config_builder_failure_changes_nothing():
    collector = Collector()
    app = get_logger("app")
    app.add_handler(collector)
    app.set_level("ERROR")
    stream, _ = capturing_stream()
    builder = (ConfigBuilder().with_handler("out", stream)
               .with_logger("app", LoggerConfigBuilder().with_level("DEBUG").with_handlers(["out"]))
               .with_logger("zzz", LoggerConfigBuilder().with_level(40).with_filters(["missing"]))
               .with_root_logger(LoggerConfigBuilder().with_level("DEBUG")))
    with pytest.raises(HandlerConfigError, match="missing"):
        builder.build_and_init()
    assert app.get_level() == "ERROR"
    assert app.handlers == [collector]
    assert get_logger("root").get_level() == "INFO"
    assert app.log("WARNING", "still filtered") is None
    deliver_marker("app", collector)


@pytest.mark.parametrize("disable, other_kept", [(True, False), (False, True)])
def test_config_builder_disable_existing_loggers(disable, other_kept):
    other, ancestor = Collector(), Collector()
    get_logger("other").add_handler(other)
    get_logger("app").add_handler(ancestor)
    (ConfigBuilder().with_logger("app.db", LoggerConfigBuilder())
     .with_root_logger(LoggerConfigBuilder())
     .with_disable_existing_loggers(disable).build_and_init())
    assert (get_logger("other").handlers == [other]) is other_kept
    assert get_logger("app").handlers == [ancestor]
    deliver_marker("app.db", ancestor)  # the ancestor still receives


def test_config_builder_reapply_closes_handlers_it_built_only():
    mine = Collector()
    stream, _ = capturing_stream()
    (ConfigBuilder().with_handler("old", stream)
     .with_root_logger(LoggerConfigBuilder().with_handlers(["old"])).build_and_init())
    [old] = get_logger("root").handlers
    get_logger("keep").add_handler(mine)
    (ConfigBuilder().with_root_logger(LoggerConfigBuilder()).build_and_init())

    def closed():
        try:
            old.handle("x", "INFO", "probe")
        except HandlerClosedError:
            return True
        return False

    wait_for(closed, "the retired handler to close")
    deliver_marker("keep", mine)  # a handler the user attached stays open


def test_config_builder_rejects_non_builders():
    with pytest.raises(TypeError):
        ConfigBuilder().with_handler("h", object())
    with pytest.raises(TypeError):
        ConfigBuilder().with_filter("f", object())
    with pytest.raises(TypeError):
        LoggerConfigBuilder().with_propagate("yes")
    with pytest.raises(TypeError):
        LoggerConfigBuilder().with_handlers("console")


def test_config_builder_handler_filters(capfd):
    """with_handler(..., filters=[ids]): the handler's own filters run on
    every record reaching it, propagated ones included; the logger's other
    handlers are unaffected."""
    filtered, seen = capturing_stream()
    everything, seen_all = capturing_stream()
    builder = (ConfigBuilder()
               .with_filter("quiet", LevelFilterBuilder().with_max_level("INFO"))
               .with_filter("app", NameFilterBuilder().with_prefix("app."))
               .with_handler("filtered", filtered, filters=["app", "quiet"])
               .with_handler("all", everything)
               .with_root_logger(LoggerConfigBuilder().with_level("DEBUG").with_handlers(["filtered", "all"])))
    assert builder.as_dict()["handlers"]["filtered"]["filters"] == ["app", "quiet"]
    assert "filters" not in builder.as_dict()["handlers"]["all"]
    builder.build_and_init()
    get_logger("app.db").log("INFO", "kept")
    get_logger("app.db").log("ERROR", "too loud")
    get_logger("web").log("INFO", "other logger")
    flush_all("root")
    assert seen == [("app.db", "INFO", "kept")]
    assert sorted(m for _, _, m in seen_all) == ["kept", "other logger", "too loud"]
    capfd.readouterr()


def test_config_builder_handler_filter_errors():
    with pytest.raises(HandlerConfigError, match=r'\$\.handlers\.h\.filters\[0\]: unknown filter id "nope"'):
        (ConfigBuilder().with_handler("h", StreamHandlerBuilder.stderr(), filters=["nope"])
         .with_root_logger(LoggerConfigBuilder().with_handlers(["h"])).build_and_init())
    with pytest.raises(HandlerConfigError, match="filter 'cb' is a callback filter; callback filters run on loggers only"):
        (ConfigBuilder().with_filter("cb", lambda record: True)
         .with_handler("h", StreamHandlerBuilder.stderr(), filters=["cb"])
         .with_root_logger(LoggerConfigBuilder().with_handlers(["h"])).build_and_init())
    with pytest.raises(TypeError, match="filter ids must be a list of str"):
        ConfigBuilder().with_handler("h", StreamHandlerBuilder.stderr(), filters="app")
