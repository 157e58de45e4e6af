"""dictConfig: the restricted stdlib schema and its translation."""

import pytest

from config_helpers import fresh_manager  # noqa: F401
from femtologging import HandlerConfigError, get_logger
from femtologging.config.dict_config import dictConfig, handler_spec, to_document

pytestmark = pytest.mark.usefixtures("fresh_manager")


def config(**handlers):
    return {"version": 1, "handlers": handlers, "root": {"level": "INFO", "handlers": list(handlers)}}


@pytest.mark.parametrize("cls", [
    "logging.StreamHandler", "StreamHandler", "femtologging.StreamHandler", "femtologging.FemtoStreamHandler",
    "femtologging.handlers.FemtoStreamHandler",
])
@pytest.mark.parametrize("entry, target", [
    ({}, "stderr"),
    ({"args": "(sys.stdout,)"}, "stdout"),
    ({"args": "sys.stderr"}, "stderr"),
    ({"args": ("ext://sys.stdout",)}, "stdout"),
    ({"kwargs": {"stream": "ext://sys.stdout"}}, "stdout"),
    ({"kwargs": "{'stream': 'stdout'}"}, "stdout"),
])
def test_dict_config_stream_classes(cls, entry, target):
    assert handler_spec("h", {"class": cls, **entry}) == {"kind": "stream", "target": target}


def test_dict_config_stream_builder_keywords():
    spec = handler_spec("h", {"class": "StreamHandler", "kwargs": {"capacity": 8, "flush_after_ms": 50}})
    assert spec == {"kind": "stream", "target": "stderr", "capacity": 8, "flush_timeout_ms": 50}


@pytest.mark.parametrize("cls", ["logging.FileHandler", "FileHandler", "femtologging.FileHandler",
                                 "femtologging.FemtoFileHandler", "femtologging.handlers.FemtoFileHandler"])
@pytest.mark.parametrize("entry", [
    {"args": "('app.log',)"}, {"args": "('app.log', 'a')"}, {"args": "'app.log'"},
    {"args": ["app.log"], "kwargs": {"encoding": "utf-8", "delay": True}},
    {"kwargs": {"filename": "app.log"}},
])
def test_dict_config_file_classes(cls, entry):
    assert handler_spec("h", {"class": cls, **entry}) == {"kind": "file", "path": "app.log"}


def test_dict_config_file_builder_keywords():
    spec = handler_spec("h", {"class": "FileHandler", "args": "('a.log',)",
                              "kwargs": "{'capacity': 16, 'flush_interval': 4, 'policy': 'block'}"})
    assert spec == {"kind": "file", "path": "a.log", "capacity": 16, "flush_interval": 4, "policy": "block"}


@pytest.mark.parametrize("cls", ["logging.handlers.RotatingFileHandler", "RotatingFileHandler",
                                 "femtologging.RotatingFileHandler", "femtologging.FemtoRotatingFileHandler",
                                 "femtologging.handlers.FemtoRotatingFileHandler"])
@pytest.mark.parametrize("entry", [
    {"args": "('r.log', 'a', 1024, 3)"},
    {"args": "('r.log',)", "kwargs": {"maxBytes": 1024, "backupCount": 3}},
    {"kwargs": {"filename": "r.log", "max_bytes": 1024, "backup_count": 3}},
])
def test_dict_config_rotating_classes(cls, entry):
    assert handler_spec("h", {"class": cls, **entry}) == {
        "kind": "rotating_file", "path": "r.log", "max_bytes": 1024, "backup_count": 3}


def test_dict_config_rotating_defaults_to_no_rotation():
    spec = handler_spec("h", {"class": "RotatingFileHandler", "args": "('r.log',)"})
    assert spec == {"kind": "rotating_file", "path": "r.log", "max_bytes": 0, "backup_count": 0}


@pytest.mark.parametrize("cls", ["logging.handlers.SocketHandler", "SocketHandler",
                                 "femtologging.SocketHandler", "femtologging.FemtoSocketHandler"])
@pytest.mark.parametrize("entry, want", [
    ({"args": "('localhost', 9020)"}, {"transport": "tcp", "host": "localhost", "port": 9020}),
    ({"args": "('/run/log.sock',)"}, {"transport": "unix", "unix_path": "/run/log.sock"}),
    ({"args": "'/run/log.sock'"}, {"transport": "unix", "unix_path": "/run/log.sock"}),
    ({"args": "('/run/log.sock', None)"}, {"transport": "unix", "unix_path": "/run/log.sock"}),
    ({"kwargs": {"host": "h", "port": 1}}, {"transport": "tcp", "host": "h", "port": 1}),
    ({"kwargs": {"unix_path": "/s"}}, {"transport": "unix", "unix_path": "/s"}),
])
def test_dict_config_socket_classes(cls, entry, want):
    assert handler_spec("h", {"class": cls, **entry}) == {"kind": "socket", **want}


def test_dict_config_socket_builder_keywords_and_aliases():
    spec = handler_spec("h", {"class": "SocketHandler", "args": "('127.0.0.1', 9020)", "kwargs": {
        "capacity": 2048, "connect_timeout_ms": 5000, "write_timeout_ms": 1000, "max_frame_size": 4096,
        "tls_domain": "logs.example.com", "tls_insecure": False,
        "backoff_base_ms": 100, "backoff_cap_ms": 5000, "backoff_reset_after_ms": 30000,
        "backoff_deadline_ms": 120000}})
    assert spec == {
        "kind": "socket", "transport": "tcp", "host": "127.0.0.1", "port": 9020, "capacity": 2048,
        "connect_timeout_ms": 5000, "write_timeout_ms": 1000, "max_frame_size": 4096,
        "tls": {"domain": "logs.example.com", "insecure": False, "ca_file": None},
        "backoff": {"base_ms": 100, "cap_ms": 5000, "reset_after_ms": 30000, "deadline_ms": 120000},
    }


@pytest.mark.parametrize("kwargs, tls", [
    ({"tls": True}, {"domain": None, "insecure": False, "ca_file": None}),
    ({"tls": "d.example"}, {"domain": "d.example", "insecure": False, "ca_file": None}),
    ({"tls": {"insecure": True}, "tls_ca_file": "/ca.pem"}, {"domain": None, "insecure": True, "ca_file": "/ca.pem"}),
    ({"tls": False}, None),
])
def test_dict_config_socket_tls_forms(kwargs, tls):
    spec = handler_spec("h", {"class": "SocketHandler", "args": "('h', 1)", "kwargs": kwargs})
    assert spec.get("tls") == tls


def test_dict_config_socket_backoff_mapping():
    spec = handler_spec("h", {"class": "SocketHandler", "args": "('h', 1)",
                              "kwargs": {"backoff": {"base_ms": 5}, "backoff_cap_ms": 10}})
    assert spec["backoff"] == {"base_ms": 5, "cap_ms": 10}


def test_dict_config_socket_tls_with_unix_path_is_a_handler_config_error():
    with pytest.raises(HandlerConfigError, match="TLS only works with TCP"):
        handler_spec("h", {"class": "SocketHandler", "args": "'/s'", "kwargs": {"tls": True}})


@pytest.mark.parametrize("entry, message", [
    ({"class": "StreamHandler", "filters": ["f"]}, "unknown filter id 'f'"),
    ({"class": "StreamHandler", "formatter": "plain"}, "unknown formatter id"),
    ({"class": "StreamHandler", "stream": "ext://sys.stdout", "kwargs": {"stream": "x"}}, "both at the top level"),
    ({"class": "SocketHandler", "host": "h", "port": 1, "formatter": "json"}, "socket handlers send records"),
    ({"class": "StreamHandler", "()": "x"}, "factories"),
    ({"class": "logging.handlers.NTEventLogHandler"}, "unsupported handler class"),
    ({"class": "femtologging.handlers.Nope"}, "unsupported handler class 'femtologging.handlers.Nope'"),
    ({"class": "logging.handlers.SysLogHandler", "formatter": "json"}, "syslog handlers send records"),
    ({"args": "()"}, "class is required"),
    ({"class": "FileHandler", "args": "('a.log', 'w')"}, "mode 'w' is not supported"),
    ({"class": "FileHandler", "args": "('a.log', 'a', 'latin-1')"}, "encoding 'latin-1'"),
    ({"class": "FileHandler"}, "a filename is required"),
    ({"class": "FileHandler", "args": "(open('x'),)"}, "not a Python literal"),
    ({"class": "FileHandler", "args": "('a', 'a', None, False, 1)"}, "at most 4 arguments"),
    ({"class": "FileHandler", "args": "('a',)", "kwargs": {"filename": "b"}}, "both in args and kwargs"),
    ({"class": "FileHandler", "args": "('a',)", "kwargs": {"colour": 1}}, r"unsupported argument\(s\) \['colour'\]"),
    ({"class": "StreamHandler", "args": "('ext://sys.stdin',)"}, "stream must be sys.stdout or sys.stderr"),
    ({"class": "SocketHandler", "args": "('h', 1)", "kwargs": {"unix_path": "/s"}}, "not both"),
    ({"class": "SocketHandler", "args": "('h', 1)", "kwargs": {"backoff": {"jitter": 1}}}, "unknown backoff"),
    ({"class": "SocketHandler", "kwargs": "['not', 'a', 'dict']"}, "kwargs must be a dict"),
])
def test_dict_config_bad_handler_entries(entry, message):
    with pytest.raises(ValueError, match=message):
        handler_spec("h", entry)


@pytest.mark.parametrize("change, message", [
    ({"version": 2}, "version must be 1"),
    ({"incremental": True}, "incremental configuration is not supported"),
    ({"root": None}, "a 'root' section is required"),
    ({"loggers": {"app": {"filters": ["f"]}}}, "unknown filter id 'f'"),
    ({"loggers": {"app": {"propagate": "no"}}}, "propagate must be a bool"),
    ({"loggers": {"app": {"handlers": ["nope"]}}}, "unknown handler id 'nope'"),
    ({"loggers": {"app": {"qualname": "x"}}}, "unsupported key"),
    ({"bogus": 1}, "unknown key"),
    ({"disable_existing_loggers": "yes"}, "must be a bool"),
])
def test_dict_config_rejects_unsupported_features(change, message):
    cfg = {"version": 1, "root": {"level": "INFO"}, **change}
    with pytest.raises(ValueError, match=message):
        dictConfig(cfg)


def test_dict_config_missing_root_key():
    with pytest.raises(ValueError, match="'root' section is required"):
        dictConfig({"version": 1})


def test_dict_config_formatters_translate_to_the_document():
    doc = to_document({"version": 1, "formatters": {"plain": {"format": "%(message)s"}},
                       "handlers": {"h": {"class": "StreamHandler", "formatter": "plain", "level": "INFO"}},
                       "root": {}})
    assert doc["formatters"] == {"plain": {"format": "%(message)s"}}
    assert doc["handlers"]["h"] == {"kind": "stream", "target": "stderr", "formatter": "plain", "level": "INFO"}
    with pytest.raises(ValueError, match="'\\(\\)' factories are not supported"):
        to_document({"version": 1, "formatters": {"f": {"()": "my.Factory"}}, "root": {}})


def test_dict_config_document_shape():
    doc = to_document({"version": 1, "handlers": {"h": {"class": "StreamHandler"}},
                       "loggers": {"app": {"level": "DEBUG", "handlers": ["h"], "propagate": False}},
                       "root": {"level": "WARNING", "handlers": ["h"]}})
    assert doc == {
        "version": 1, "disable_existing_loggers": True, "formatters": {}, "filters": {},
        "handlers": {"h": {"kind": "stream", "target": "stderr"}},
        "loggers": {"app": {"level": "DEBUG", "handlers": ["h"], "propagate": False}},
        "root": {"level": "WARNING", "handlers": ["h"]},
    }


def test_dict_config_end_to_end(capfd):
    existing = get_logger("old.module")
    dictConfig({
        "version": 1,
        "handlers": {"out": {"class": "logging.StreamHandler", "args": "(sys.stdout,)"}},
        "loggers": {"app": {"level": "DEBUG", "handlers": ["out"], "propagate": False}},
        "root": {"level": "ERROR", "handlers": ["out"]},
    })
    assert get_logger("app.db").log("DEBUG", "db detail") is not None
    assert get_logger("root").log("WARNING", "below root") is None
    get_logger("root").log("ERROR", "root error")
    assert existing.handlers == []
    for logger in ("app", "root"):
        for handler in get_logger(logger).handlers:
            assert handler.flush()
    out = capfd.readouterr().out.splitlines()
    assert sorted(out) == ["app.db [DEBUG] db detail", "root [ERROR] root error"]


def test_dict_config_invalid_level_is_reported_by_the_engine():
    with pytest.raises(HandlerConfigError, match=r'\$\.loggers\.app\.level: invalid level "LOUD"'):
        dictConfig({"version": 1, "loggers": {"app": {"level": "LOUD"}}, "root": {}})
