"""fileConfig: INI files parsed in Go, translated, and applied."""

import io
import textwrap

import pytest

from config_helpers import fresh_manager  # noqa: F401
from femtologging import get_logger
from femtologging.config.dict_config import to_document
from femtologging.config.file_config import fileConfig, translate_ini

pytestmark = pytest.mark.usefixtures("fresh_manager")

INI = textwrap.dedent("""\
    [loggers]
    keys = root, app

    [handlers]
    keys = console

    [logger_root]
    level = %(root_level)s
    handlers = console

    [logger_app]
    level = DEBUG
    handlers = console
    propagate = 0
    qualname = app.core

    [handler_console]
    class = StreamHandler
    args = (sys.stdout,)
    """)


def write(tmp_path, text, name="logging.ini", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def flush(*names):
    for name in names:
        for handler in get_logger(name).handlers:
            assert handler.flush()


def test_file_config_end_to_end(tmp_path, capfd):
    other = get_logger("other")
    fileConfig(write(tmp_path, INI), defaults={"root_level": "WARNING"})
    assert get_logger("root").get_level() == "WARN"
    assert get_logger("app.core").log("DEBUG", "detail") is not None
    assert get_logger("root").log("INFO", "below root") is None
    assert other.handlers == []
    flush("root", "app.core")
    assert capfd.readouterr().out == "app.core [DEBUG] detail\n"


def test_file_config_substitutes_across_file_and_defaults():
    text = "[DEFAULT]\nlogdir = /var/log\n" + INI.replace(
        "args = (sys.stdout,)", "args = ('%(logdir)s/%(app)s.log',)").replace(
        "class = StreamHandler", "class = FileHandler")
    translated = translate_ini(text, {"root_level": "ERROR", "app": "svc"})
    assert translated["handlers"]["console"] == {"class": "FileHandler", "args": "('/var/log/svc.log',)"}
    assert translated["root"] == {"level": "ERROR", "handlers": ["console"]}
    assert to_document(translated)["handlers"]["console"] == {"kind": "file", "path": "/var/log/svc.log"}


def test_file_config_file_default_wins_over_mapping():
    text = "[DEFAULT]\nroot_level = CRITICAL\n" + INI
    assert translate_ini(text, {"root_level": "DEBUG"})["root"]["level"] == "CRITICAL"


def test_file_config_translates_rotating_and_socket_handlers():
    text = textwrap.dedent("""\
        [loggers]
        keys = root
        [handlers]
        keys = rot, sock
        [logger_root]
        handlers = rot, sock
        [handler_rot]
        class = logging.handlers.RotatingFileHandler
        args = ('app.log', 'a', 1048576, 5)
        [handler_sock]
        class = logging.handlers.SocketHandler
        args = ('localhost', 9020)
        kwargs = {'backoff_base_ms': 50, 'capacity': 64}
        """)
    doc = to_document(translate_ini(text))
    assert doc["handlers"] == {
        "rot": {"kind": "rotating_file", "path": "app.log", "max_bytes": 1048576, "backup_count": 5},
        "sock": {"kind": "socket", "transport": "tcp", "host": "localhost", "port": 9020,
                 "capacity": 64, "backoff": {"base_ms": 50}},
    }
    assert doc["root"] == {"handlers": ["rot", "sock"]}


@pytest.mark.parametrize("disable", [True, False])
def test_file_config_disable_existing_loggers(tmp_path, disable):
    seen = []
    other = get_logger("other")
    other.add_handler(type("C", (), {"handle": lambda self, *a: seen.append(a)})())
    fileConfig(write(tmp_path, INI), defaults={"root_level": "INFO"}, disable_existing_loggers=disable)
    assert bool(other.handlers) is not disable
    assert translate_ini(INI, {"root_level": "INFO"}, disable)["disable_existing_loggers"] is disable


def test_file_config_accepts_an_open_file(capfd):
    fileConfig(io.StringIO(INI), defaults={"root_level": "INFO"})
    get_logger("app.core").log("INFO", "from a file object")
    flush("app.core")
    assert capfd.readouterr().out == "app.core [INFO] from a file object\n"


def test_file_config_encoding(tmp_path):
    text = "# r\u00e9glages\n" + INI
    path = write(tmp_path, text, encoding="latin-1")
    with pytest.raises(UnicodeDecodeError):
        fileConfig(path, defaults={"root_level": "INFO"})
    fileConfig(path, defaults={"root_level": "INFO"}, encoding="latin-1")
    assert get_logger("app.core").get_level() == "DEBUG"


@pytest.mark.parametrize("extra, message", [
    ("[formatters]\nkeys = plain\n", r"\[formatter_plain\]: missing section"),
    ("[formatters]\nkeys = plain\n[formatter_plain]\nformat = %%(message)s\nclass = my.Fmt\n",
     r"\[formatter_plain\]\.class: unsupported formatter class"),
])
def test_file_config_rejects_bad_formatters(tmp_path, extra, message):
    with pytest.raises(ValueError, match=message):
        fileConfig(write(tmp_path, INI + extra), defaults={"root_level": "INFO"})


@pytest.mark.parametrize("key, message", [
    ("level = LOUD", r"level"),
    ("formatter = plain", r'\[handler_console\]\.formatter: unknown formatter "plain"'),
])
def test_file_config_rejects_handler_overrides(tmp_path, key, message):
    text = INI.replace("class = StreamHandler", "class = StreamHandler\n" + key)
    with pytest.raises(ValueError, match=message) as info:
        fileConfig(write(tmp_path, text), defaults={"root_level": "INFO"})
    assert "logging.ini" in str(info.value)
    assert get_logger("root").handlers == []


@pytest.mark.parametrize("text, message", ids=[
    "no loggers", "unresolved", "no qualname", "bad propagate", "no root", "unknown handler", "bad class",
], argvalues=[
    ("[handlers]\nkeys=\n", r"\[loggers\]\.keys: missing"),
    (INI.replace("root_level", "nope"), r"\[logger_root\]\.level: %\(nope\)s: no such key"),
    (INI.replace("qualname = app.core\n", ""), r"\[logger_app\]\.qualname: missing"),
    (INI.replace("propagate = 0", "propagate = maybe"), "want 0 or 1"),
    (INI.replace("keys = root, app", "keys = app"), "must include root"),
    (INI.replace("handlers = console\npropagate", "handlers = nope\npropagate"), "unknown handler id \"nope\""),
    (INI.replace("class = StreamHandler", "class = logging.handlers.NTEventLogHandler"), "unsupported handler class"),
])
def test_file_config_invalid_files(tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        fileConfig(write(tmp_path, text), defaults={"root_level": "INFO"})


def test_file_config_missing_file_is_an_os_error(tmp_path):
    missing = tmp_path / "absent.ini"
    with pytest.raises(FileNotFoundError, match="absent.ini"):
        fileConfig(missing)


def test_file_config_unreadable_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError, match=str(tmp_path.name)):
        fileConfig(tmp_path)  # a directory cannot be read as a file


def test_file_config_translation_buffer_grows():
    handlers = ", ".join(f"h{i}" for i in range(300))
    sections = "".join(f"[handler_h{i}]\nclass = StreamHandler\nargs = (sys.stderr,)\n" for i in range(300))
    text = f"[loggers]\nkeys = root\n[handlers]\nkeys = {handlers}\n[logger_root]\nlevel = INFO\n{sections}"
    translated = translate_ini(text)
    assert len(translated["handlers"]) == 300
