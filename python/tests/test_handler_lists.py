"""logger.handlers is asked of Go (femtolog_logger_get_handlers) and mapped
back to the Python objects: it follows every way of changing a logger's
handlers, in order, with no Python-side copy to fall out of step."""

from femtologging import StreamHandlerBuilder, get_logger
from femtologging.config import ConfigBuilder, ConfiguredHandler, LoggerConfigBuilder
from femtologging.config.dict_config import dictConfig
from femtologging import _native


def ids(logger):
    return [h.handler_id if isinstance(h, ConfiguredHandler) else h for h in logger.handlers]


def test_handlers_follow_dict_config_builder_add_and_remove(collector, record_collector):
    dictConfig({
        "version": 1,
        "handlers": {
            "out": {"class": "logging.StreamHandler", "args": "(sys.stdout,)"},
            "err": {"class": "logging.StreamHandler"},
        },
        "loggers": {"app": {"handlers": ["err", "out"]}},
        "root": {"level": "INFO", "handlers": ["out"]},
    })
    app, root = get_logger("app"), get_logger("root")
    assert ids(app) == ["err", "out"] and ids(root) == ["out"]
    # The same object each time it is asked for, and the one Go dispatches to.
    assert app.handlers[1] is root.handlers[0]

    app.add_handler(collector)
    app.add_handler(record_collector)
    app.add_handler(collector)  # twice: listed twice, as Go dispatches twice
    assert ids(app) == ["err", "out", collector, record_collector, collector]

    err = app.handlers[0]
    assert app.remove_handler(err) is True
    assert app.remove_handler(collector) is True  # the first of the two
    assert ids(app) == ["out", record_collector, collector]
    assert app.remove_handler(err) is False

    (ConfigBuilder()
     .with_handler("console", StreamHandlerBuilder.stderr())
     .with_logger("app", LoggerConfigBuilder().with_handlers(["console"]))
     .with_root_logger(LoggerConfigBuilder().with_level("INFO"))
     .build_and_init())
    assert ids(app) == ["console"] and root.handlers == []

    # Python loggers made before a configuration that does not name them
    # lose their handlers with disable_existing_loggers, as Go says.
    other = get_logger("other")
    other.add_handler(collector)
    dictConfig({"version": 1, "disable_existing_loggers": True, "root": {"level": "INFO"}})
    assert other.handlers == [] and app.handlers == []

    other.add_handler(collector)
    other.clear_handlers()
    assert other.handlers == []


def test_handlers_leave_out_handles_python_never_saw():
    logger = get_logger("app.c")
    ffi, lib = _native.library()
    out = ffi.new("uint64_t *")
    spec = b'{"kind": "stream"}'
    assert lib.femtolog_handler_create(out, spec, len(spec)) == lib.FEMTOLOG_OK
    handler = out[0]
    try:
        assert lib.femtolog_logger_add_handler(logger._handle, handler) == lib.FEMTOLOG_OK
        assert logger.handlers == []
        assert _native.logger_handlers(logger._handle) == [handler]
    finally:
        lib.femtolog_logger_clear_handlers(logger._handle)
        assert lib.femtolog_handler_close(handler, 1000) == lib.FEMTOLOG_OK


def test_handlers_beyond_the_first_guess_of_the_facade(collector):
    # _native.logger_handlers starts with room for 8 and asks again.
    logger = get_logger("many")
    for _ in range(20):
        logger.add_handler(collector)
    assert logger.handlers == [collector] * 20
