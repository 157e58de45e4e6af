"""Output is always valid UTF-8 (issue 9, item 2).

A str with lone surrogates ("\\ud800", as os.fsdecode makes from
undecodable bytes) is written with backslashreplace on every path: the
C fast path and the Python fallbacks of log(), handle(), logger and thread
names, formatter callables' return values and configuration values. Logger
names with control characters are refused with ValueError.
"""

import socket
import subprocess
import sys
import textwrap
import threading

import pytest

from femtologging import (
    FemtoFileHandler,
    FileHandlerBuilder,
    InvalidArgumentError,
    SocketHandlerBuilder,
    basicConfig,
    dictConfig,
    get_logger,
)
from socket_support import FrameServer

SURROGATE = "\ud800"
ESCAPED = "\\ud800"
FS_BYTE = "\udcff"  # what os.fsdecode(b"\xff") gives
FS_ESCAPED = "\\udcff"


def _read_utf8(path):
    """The file's text, failing the test when it is not valid UTF-8."""
    return path.read_bytes().decode("utf-8")  # strict: raises on invalid bytes


@pytest.fixture
def file_handler(tmp_path):
    handler = FemtoFileHandler(tmp_path / "out.log")
    yield handler
    handler.close()


def test_log_message_with_lone_surrogates_is_escaped(tmp_path, file_handler):
    logger = get_logger("utf8.msg")
    logger.add_handler(file_handler)
    logger.log("INFO", f"a{SURROGATE}b {FS_BYTE}")
    logger.log("INFO", f"wide {SURROGATE} \u65e5\U0001F600")  # not ASCII: the other C branch
    assert file_handler.flush()
    assert _read_utf8(tmp_path / "out.log").splitlines() == [
        f"utf8.msg [INFO] a{ESCAPED}b {FS_ESCAPED}",
        f"utf8.msg [INFO] wide {ESCAPED} \u65e5\U0001F600",
    ]


def test_log_returns_the_callers_text_unchanged(file_handler):
    logger = get_logger("utf8.ret")
    logger.add_handler(file_handler)
    assert logger.log("INFO", SURROGATE) == f"utf8.ret [INFO] {SURROGATE}"


def test_logger_name_with_lone_surrogates_is_escaped(tmp_path, file_handler):
    logger = get_logger(f"utf8.{FS_BYTE}name")
    assert logger.name == f"utf8.{FS_ESCAPED}name"
    assert get_logger(f"utf8.{FS_ESCAPED}name") is logger
    logger.add_handler(file_handler)
    assert logger.log("WARN", "hi") == f"utf8.{FS_ESCAPED}name [WARN] hi"
    assert file_handler.flush()
    assert _read_utf8(tmp_path / "out.log") == f"utf8.{FS_ESCAPED}name [WARN] hi\n"


def test_handle_with_lone_surrogates_is_escaped(tmp_path, file_handler):
    file_handler.handle(f"direct{SURROGATE}", "INFO", f"m{SURROGATE}")
    assert file_handler.flush()
    assert _read_utf8(tmp_path / "out.log") == f"direct{ESCAPED} [INFO] m{ESCAPED}\n"


def test_formatter_return_value_with_lone_surrogates_is_escaped(tmp_path):
    handler = (FileHandlerBuilder(str(tmp_path / "fmt.log"))
               .with_formatter(lambda record: f"{record['message']}|{SURROGATE}")
               .build())
    try:
        logger = get_logger("utf8.fmt")
        logger.add_handler(handler)
        logger.log("INFO", "plain")
        logger.log("INFO", FS_BYTE)
        assert handler.flush()
    finally:
        handler.close()
    assert _read_utf8(tmp_path / "fmt.log").splitlines() == [
        f"plain|{ESCAPED}",
        f"{FS_ESCAPED}|{ESCAPED}",
    ]


def test_thread_name_with_lone_surrogates_is_escaped(tmp_path):
    seen = []
    handler = (FileHandlerBuilder(str(tmp_path / "thread.log"))
               .with_formatter(lambda record: record["thread_name"])
               .build())
    try:
        logger = get_logger("utf8.thread")
        logger.add_handler(handler)
        worker = threading.Thread(target=lambda: seen.append(logger.log("INFO", "x")),
                                  name=f"worker{SURROGATE}")
        worker.start()
        worker.join(10)
        assert seen
        assert handler.flush()
    finally:
        handler.close()
    assert _read_utf8(tmp_path / "thread.log") == f"worker{ESCAPED}\n"


def test_config_values_with_lone_surrogates_are_escaped(tmp_path):
    name = f"utf8.conf{FS_BYTE}"
    dictConfig({
        "version": 1,
        "handlers": {
            f"h{SURROGATE}": {"class": "femtologging.FemtoFileHandler",
                              "kwargs": {"filename": str(tmp_path / f"conf{FS_BYTE}.log")}},
        },
        "loggers": {name: {"handlers": [f"h{SURROGATE}"], "level": "INFO"}},
        "root": {"level": "INFO"},
    })
    logger = get_logger(name)
    assert [type(h).__name__ for h in logger.handlers] == ["ConfiguredHandler"]
    logger.log("INFO", f"from config {SURROGATE}")
    assert logger.handlers[0].flush()
    logger.handlers[0].close()
    # The path is a config value like any other: its escape is the file name.
    written = tmp_path / f"conf{FS_ESCAPED}.log"
    assert _read_utf8(written) == f"utf8.conf{FS_ESCAPED} [INFO] from config {ESCAPED}\n"


def test_basic_config_filename_with_lone_surrogates(tmp_path):
    basicConfig(level="INFO", filename=str(tmp_path / f"basic{SURROGATE}.log"), force=True)
    root = get_logger("root")
    root.log("INFO", SURROGATE)
    for handler in root.handlers:
        handler.flush()
        handler.close()
    assert _read_utf8(tmp_path / f"basic{ESCAPED}.log") == f"root [INFO] {ESCAPED}\n"


def test_socket_frames_are_valid_msgpack_str(tmp_path):
    path = str(tmp_path / "frames.sock")
    with FrameServer(family=socket.AF_UNIX, address=path) as server:
        handler = SocketHandlerBuilder().with_unix_path(path).build()
        try:
            logger = get_logger(f"utf8.sock{SURROGATE}")
            logger.add_handler(handler)
            logger.log("INFO", f"frame {FS_BYTE}")
            # msgpack.unpackb(raw=False) rejects an invalid UTF-8 str: the
            # server would never see the record.
            server.wait_for(lambda messages: len(messages) >= 1, timeout=10)
        finally:
            handler.close()
        record = server.records[0]
    assert record["message"] == f"frame {FS_ESCAPED}"
    assert record["logger"] == f"utf8.sock{ESCAPED}"


def test_stream_output_is_valid_utf8():
    child = textwrap.dedent(
        """
        from femtologging import FemtoStreamHandler, get_logger
        handler = FemtoStreamHandler.stdout()
        logger = get_logger("utf8.stream\\udcff")
        logger.add_handler(handler)
        logger.log("INFO", "out \\ud800")
        handler.close()
        """
    )
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == f"utf8.stream{FS_ESCAPED} [INFO] out {ESCAPED}\n"


@pytest.mark.parametrize(
    "name, problem",
    [
        ("a\x00b", "NUL"),
        ("line\nbreak", "U+000A"),
        ("esc\x1b[31m", "U+001B"),
        ("del\x7f", "U+007F"),
        ("next\x85line", "U+0085"),
    ],
)
def test_logger_names_with_control_characters_are_refused(name, problem):
    with pytest.raises(ValueError) as info:
        get_logger(name)
    assert isinstance(info.value, InvalidArgumentError)
    message = str(info.value)
    assert problem in message
    assert "invalid logger name" in message


def test_config_logger_name_with_control_characters_is_refused():
    with pytest.raises(ValueError) as info:
        dictConfig({"version": 1, "root": {}, "loggers": {"bad\x00name": {"level": "INFO"}}})
    assert "NUL" in str(info.value)
