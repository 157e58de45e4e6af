"""Formatters through every front end: builders, dictConfig (stdlib
configurations unchanged), fileConfig, basicConfig; and JSON lines."""

import json
import logging
import textwrap

import pytest

from femtologging import (
    ConfigBuilder,
    FileHandlerBuilder,
    Formatter,
    FormatterBuilder,
    JSONFormatter,
    LoggerConfigBuilder,
    StreamHandlerBuilder,
    basicConfig,
    dictConfig,
    fileConfig,
    get_logger,
)


def flush_root_and(name):
    for handler in get_logger(name).handlers + get_logger("root").handlers:
        assert handler.flush()


def test_dictconfig_stdlib_cookbook_configuration_loads_unchanged(tmp_path, capfd):
    """The shape of the logging cookbook's dictConfig examples."""
    log_file = tmp_path / "app.log"
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "verbose": {"format": "{levelname} {name} {module} {process:d} {thread:d} {message}", "style": "{"},
            "simple": {"format": "%(levelname)s %(message)s"},
            "detailed": {"class": "logging.Formatter",
                         "format": "%(asctime)s %(name)-15s %(levelname)-8s %(message)s",
                         "datefmt": "%Y-%m-%d"},
        },
        "handlers": {
            "console": {"level": "INFO", "class": "logging.StreamHandler", "formatter": "simple",
                        "stream": "ext://sys.stdout"},
            "file": {"class": "logging.FileHandler", "filename": str(log_file), "mode": "a",
                     "encoding": "utf-8", "formatter": "detailed", "level": "DEBUG"},
            "rotating": {"class": "logging.handlers.RotatingFileHandler",
                         "filename": str(tmp_path / "rot.log"), "maxBytes": 1024, "backupCount": 3,
                         "formatter": "verbose"},
            "socket": {"class": "logging.handlers.SocketHandler", "host": "127.0.0.1", "port": 9},
        },
        "loggers": {"app": {"handlers": ["file", "rotating"], "level": "DEBUG", "propagate": True}},
        "root": {"handlers": ["console"], "level": "WARNING"},
    }
    dictConfig(config)
    logger = get_logger("app")
    logger.debug("dbg %s", 1)
    logger.info("info")
    for handler in logger.handlers + get_logger("root").handlers:
        handler.flush(timeout_ms=200)
    assert capfd.readouterr().out == "INFO info\n"
    lines = log_file.read_text().splitlines()
    assert [line[11:] for line in lines] == [
        "app             DEBUG    dbg 1",
        "app             INFO     info",
    ]
    import os
    import threading

    rot = (tmp_path / "rot.log").read_text().splitlines()
    assert rot[0] == f"DEBUG app test_formatter_config {os.getpid()} {threading.get_ident()} dbg 1"


def test_dictconfig_kwargs_and_top_level_keys_agree():
    from femtologging.config.dict_config import handler_spec

    top = handler_spec("h", {"class": "logging.handlers.RotatingFileHandler", "filename": "a.log",
                             "maxBytes": 10, "backupCount": 2})
    under = handler_spec("h", {"class": "logging.handlers.RotatingFileHandler",
                               "kwargs": {"filename": "a.log", "maxBytes": 10, "backupCount": 2}})
    assert top == under == {"kind": "rotating_file", "path": "a.log", "max_bytes": 10, "backup_count": 2}


def test_dictconfig_json_formatter(tmp_path):
    path = tmp_path / "j.log"
    dictConfig({
        "version": 1,
        "formatters": {"js": {"class": "femtologging.JSONFormatter", "fields": ["level", "message", "fields"]}},
        "handlers": {"f": {"class": "FileHandler", "filename": str(path), "formatter": "js"}},
        "root": {"handlers": ["f"], "level": "INFO"},
    })
    get_logger("root").info("hi", extra={"k": 1})
    flush_root_and("root")
    assert json.loads(path.read_text()) == {"level": "INFO", "message": "hi", "fields": {"k": 1}}


def test_fileconfig_formatters(tmp_path):
    log_file = tmp_path / "out.log"
    ini = tmp_path / "logging.ini"
    ini.write_text(textwrap.dedent(f"""\
        [loggers]
        keys = root

        [handlers]
        keys = file

        [formatters]
        keys = brief

        [logger_root]
        level = DEBUG
        handlers = file

        [handler_file]
        class = FileHandler
        level = INFO
        formatter = brief
        args = ('{log_file}',)

        [formatter_brief]
        format = %(levelname)-8s|%(name)s|%(message)s
        datefmt = %H:%M
        """))
    fileConfig(ini)
    get_logger("app").debug("skipped by the handler level")
    get_logger("app").warning("kept")
    flush_root_and("app")
    assert log_file.read_text() == "WARNING |app|kept\n"


def test_basicconfig_format_datefmt_style(tmp_path):
    path = tmp_path / "basic.log"
    basicConfig(filename=str(path), level="INFO", format="{levelname}:{name}:{message}", style="{")
    get_logger("app").warning("w")
    flush_root_and("app")
    assert path.read_text() == "WARNING:app:w\n"


def test_basicconfig_style_alone_uses_stdlibs_basic_format(tmp_path):
    path = tmp_path / "basic.log"
    basicConfig(filename=str(path), level="INFO", datefmt="%H")
    get_logger("app").info("x")
    flush_root_and("app")
    record = logging.makeLogRecord({"levelname": "INFO", "name": "app", "msg": "x"})
    assert path.read_text() == logging.Formatter(logging.BASIC_FORMAT).format(record) + "\n"


def test_config_builder_formatter_by_id(tmp_path):
    path = tmp_path / "cb.log"
    (ConfigBuilder()
     .with_formatter("brief", FormatterBuilder().with_format("$levelname $message").with_style("$"))
     .with_handler("f", FileHandlerBuilder(path).with_formatter("brief"))
     .with_root_logger(LoggerConfigBuilder().with_level("INFO").with_handlers(["f"]))
     .build_and_init())
    get_logger("root").error("e")
    flush_root_and("root")
    assert path.read_text() == "ERROR e\n"


def test_with_formatter_accepts_formatter_objects(tmp_path, closing):
    path = tmp_path / "obj.log"
    handler = closing(FileHandlerBuilder(path).with_formatter(Formatter("%(levelname)s|%(message)r")).build())
    get_logger("obj").add_handler(handler)
    get_logger("obj").info("it's")
    assert handler.flush()
    assert path.read_text() == "INFO|\"it's\"\n"


def test_json_lines_are_valid_for_hostile_messages(tmp_path, closing):
    path = tmp_path / "hostile.jsonl"
    handler = closing(FileHandlerBuilder(path).with_formatter(JSONFormatter(fields=None, utc=True)).build())
    logger = get_logger("hostile")
    logger.add_handler(handler)
    hostile = ['quote " backslash \\ ', "new\nline\r\ttab", "\x00\x01\x1f\x7f", "é中😀\u2028\u2029",
               "x" * 200_000, "</script>{}[]", "\ud800 lone surrogate"]
    for msg in hostile:
        logger.error(msg, extra={"payload": msg[:100], "n": 1.5})
    assert handler.flush()
    lines = path.read_text(encoding="utf-8", errors="strict").splitlines()
    assert len(lines) == len(hostile)
    for msg, line in zip(hostile, lines):
        obj = json.loads(line)
        want = msg.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates as escapes
        assert obj["message"] == want
        assert obj["level"] == "ERROR" and obj["logger"] == "hostile"
        assert obj["fields"]["n"] == 1.5
        assert obj["time"].endswith("Z")


def test_stream_builder_json_and_level(capfd, closing):
    handler = closing(StreamHandlerBuilder.stdout().with_formatter("json").with_level("ERROR").build())
    logger = get_logger("sj")
    logger.add_handler(handler)
    logger.warning("no")
    logger.error("yes")
    assert handler.flush()
    out = capfd.readouterr().out.splitlines()
    assert len(out) == 1 and json.loads(out[0])["message"] == "yes"


def test_formatter_rejects_bad_formats_like_stdlib():
    with pytest.raises(ValueError, match="Invalid format"):
        Formatter("%(message)s %(levelname")
    with pytest.raises(ValueError):
        Formatter("{message}", style="?")
    with pytest.raises(ValueError):
        JSONFormatter(fields=["nope"])
