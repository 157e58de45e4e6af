"""basicConfig and the BasicConfig dataclass."""

import sys

import pytest

from config_helpers import Collector, deliver_marker, fresh_manager  # noqa: F401
from femtologging import FemtoStreamHandler, HandlerConfigError, get_logger
from femtologging.config import basic_config as basic_module
from femtologging.config.basic_config import BasicConfig, basicConfig

pytestmark = pytest.mark.usefixtures("fresh_manager")


def flush_root():
    for handler in get_logger("root").handlers:
        if hasattr(handler, "flush"):
            assert handler.flush()


@pytest.mark.parametrize("stream, where", [("stdout", "out"), ("stderr", "err"), (None, "err")])
def test_basic_config_stream_writes_there(capfd, stream, where):
    # sys.stdout is looked up now: capfd replaces it for the test.
    kwargs = {} if stream is None else {"stream": getattr(sys, stream)}
    basicConfig(level="DEBUG", **kwargs)
    assert get_logger("app").log("DEBUG", "hello") == "app [DEBUG] hello"
    flush_root()
    captured = capfd.readouterr()
    assert getattr(captured, where) == "app [DEBUG] hello\n"


def test_basic_config_dataclass_form():
    collector = Collector()
    basicConfig(BasicConfig(level="WARNING", handlers=[collector]))
    assert get_logger("root").get_level() == "WARN"
    assert get_logger("app").log("INFO", "filtered") is None
    deliver_marker("app", collector)
    assert [m for _, _, m in collector.records if m == "filtered"] == []


def test_basic_config_handlers_are_attached_in_order():
    first, second = Collector(), Collector()
    native = FemtoStreamHandler.stderr()
    try:
        basicConfig(handlers=[first, native, second])
        assert get_logger("root").handlers == [first, native, second]
        deliver_marker("root", first)
        deliver_marker("root", second)
    finally:
        native.close()


def test_basic_config_without_force_leaves_configured_root_alone():
    existing, ignored = Collector(), Collector()
    get_logger("root").add_handler(existing)
    basicConfig(level="DEBUG", handlers=[ignored])
    assert get_logger("root").handlers == [existing]
    assert get_logger("root").get_level() == "INFO"


def test_basic_config_force_replaces_root_handlers():
    old, new = Collector(), Collector()
    get_logger("root").add_handler(old)
    basicConfig(force=True, handlers=[new])
    assert get_logger("root").handlers == [new]
    get_logger("app").log("ERROR", "after force")
    deliver_marker("app", new)
    assert "after force" in [m for _, _, m in new.records]
    assert old.records == []


def test_basic_config_filename_builds_a_file_spec(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(basic_module, "apply_document", lambda doc, existing, context: seen.update(doc))
    basicConfig(filename=tmp_path / "app.log", level=10)
    assert seen["handlers"] == {"basic": {"kind": "file", "path": str(tmp_path / "app.log")}}
    assert seen["root"] == {"handlers": ["basic"], "level": "DEBUG"}


def test_basic_config_filename_writes_the_file(tmp_path):
    path = tmp_path / "app.log"
    try:
        basicConfig(filename=str(path))
    except HandlerConfigError as exc:
        if 'unknown handler kind "file"' in str(exc):
            pytest.skip("the file handler kind is not built into this library")
        raise
    get_logger("app").log("WARNING", "to the file")
    flush_root()
    assert path.read_text() == "app [WARN] to the file\n"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filename": "x.log", "stream": sys.stderr}, "'stream' and 'filename'"),
        ({"filename": "x.log", "handlers": []}, "together with 'handlers'"),
        ({"stream": sys.stdout, "handlers": []}, "together with 'handlers'"),
        ({"stream": object()}, "stream must be sys.stdout or sys.stderr"),
        ({"style": "#"}, "style must be one of"),
        ({"filemode": "w"}, "'filemode' is not supported"),
        ({"colour": True}, "unrecognised argument"),
        ({"level": "LOUD"}, "'LOUD'"),
    ],
)
def test_basic_config_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        basicConfig(**kwargs)
    assert get_logger("root").handlers == []


def test_basic_config_rejects_dataclass_plus_keywords():
    with pytest.raises(ValueError, match="either a BasicConfig or keyword"):
        basicConfig(BasicConfig(), level="INFO")


def test_basic_config_rejects_bad_handler_object():
    with pytest.raises(TypeError, match="handle"):
        basicConfig(handlers=[object()])
    assert get_logger("root").handlers == []
