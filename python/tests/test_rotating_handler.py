"""FemtoRotatingFileHandler, HandlerOptions and RotatingFileHandlerBuilder:
size rotation semantics and validation."""

import os

import pytest

from femtologging.logger import get_logger
from femtologging.handlers.policy import HandlerOptions, OverflowPolicy
from femtologging.handlers.rotating import FemtoRotatingFileHandler, RotatingFileHandlerBuilder


def files(path):
    """Contents of path, path.1, path.2 ... (newest first) while they exist."""
    out = [open(path, encoding="utf-8").read()]
    n = 1
    while os.path.exists(f"{path}.{n}"):
        out.append(open(f"{path}.{n}", encoding="utf-8").read())
        n += 1
    return out


def write_all(handler, messages):
    for m in messages:
        handler.handle("r", "INFO", m)
    handler.close()


def test_rotating_handler_rolls_over_before_exceeding(tmp_path):
    path = tmp_path / "app.log"
    # Each line is "r [INFO] mN\n" = 12 bytes; two fit in 24, a third does not.
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(24, 5)))
    write_all(handler, [f"m{i}" for i in range(5)])
    assert files(path) == ["r [INFO] m4\n", "r [INFO] m2\nr [INFO] m3\n", "r [INFO] m0\nr [INFO] m1\n"]


def test_rotating_handler_deletes_beyond_backup_count(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(12, 2)))
    write_all(handler, [f"m{i}" for i in range(6)])
    assert files(path) == ["r [INFO] m5\n", "r [INFO] m4\n", "r [INFO] m3\n"]
    assert not os.path.exists(f"{path}.3")


def test_rotating_handler_zero_rotation_never_rolls(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(0, 0)))
    write_all(handler, ["x" * 100 for _ in range(50)])
    assert len(files(path)) == 1
    assert os.path.getsize(path) == 50 * len("r [INFO] " + "x" * 100 + "\n")


def test_rotating_handler_oversize_record_alone_in_its_file(tmp_path):
    path = tmp_path / "app.log"
    big = "B" * 500
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(64, 5)))
    write_all(handler, ["a", big, "b"])
    assert files(path) == ["r [INFO] b\n", f"r [INFO] {big}\n", "r [INFO] a\n"]


def test_rotating_handler_counts_existing_file(tmp_path):
    path = tmp_path / "app.log"
    path.write_text("x" * 20 + "\n")
    handler = FemtoRotatingFileHandler(path, HandlerOptions(rotation=(25, 1)))
    write_all(handler, ["m0"])
    assert files(path) == ["r [INFO] m0\n", "x" * 20 + "\n"]


def test_rotating_handler_through_logger_with_flush_interval(tmp_path):
    path = tmp_path / "app.log"
    handler = FemtoRotatingFileHandler(
        path, HandlerOptions(capacity=64, flush_interval=16, policy="block", rotation=(200, 100)))
    logger = get_logger("r")
    logger.add_handler(handler)
    for i in range(1000):
        logger.log("INFO", f"{i:04d}")
    assert handler.flush(timeout_ms=10_000) is True
    handler.close()
    contents = files(path)
    assert all(len(c.encode()) <= 200 for c in contents)
    merged = "".join(reversed(contents)).splitlines()
    assert merged == [f"r [INFO] {i:04d}" for i in range(1000)]


@pytest.mark.parametrize("rotation, error, fragment", [
    ((100, 0), ValueError, "both"),
    ((0, 3), ValueError, "both"),
    ((-1, 3), ValueError, "max_bytes must not be negative"),
    ((100, -1), ValueError, "backup_count must not be negative"),
    ((100,), ValueError, "pair"),
    ("100,3", ValueError, "pair"),
    ((1.5, 2), TypeError, "max_bytes"),
])
def test_handler_options_rejects_bad_rotation(rotation, error, fragment):
    with pytest.raises(error, match=fragment):
        HandlerOptions(rotation=rotation)


def test_handler_options_defaults_and_policy():
    opts = HandlerOptions()
    assert (opts.capacity, opts.flush_interval, opts.policy, opts.rotation) == (
        1024, 1, OverflowPolicy.drop(), (0, 0))
    assert HandlerOptions(policy="timeout:20").policy == OverflowPolicy.timeout(20)
    assert HandlerOptions(policy=OverflowPolicy.block()) == HandlerOptions(policy="block")
    assert "rotation=(10, 2)" in repr(HandlerOptions(rotation=(10, 2)))
    with pytest.raises(ValueError, match="'sideways'"):
        HandlerOptions(policy="sideways")


def test_rotating_handler_rejects_non_options(tmp_path):
    with pytest.raises(TypeError, match="HandlerOptions"):
        FemtoRotatingFileHandler(tmp_path / "a.log", {"rotation": (1, 1)})


def test_rotating_handler_bad_directory_raises_oserror(tmp_path):
    path = tmp_path / "nope" / "a.log"
    with pytest.raises(FileNotFoundError, match=str(path)):
        FemtoRotatingFileHandler(path)


def test_rotating_builder_mirrors_file_builder(tmp_path):
    path = tmp_path / "app.log"
    builder = RotatingFileHandlerBuilder(path)
    assert builder.with_max_bytes(30) is builder
    assert builder.with_backup_count(2) is builder
    assert builder.with_capacity(16).with_flush_interval(2).with_overflow_policy(OverflowPolicy.block()) is builder
    assert builder._handler_spec() == {
        "kind": "rotating_file", "path": str(path), "capacity": 16, "flush_interval": 2,
        "policy": "block", "flush_timeout_ms": 1000, "formatter": "default",
        "max_bytes": 30, "backup_count": 2,
    }
    handler = builder.with_formatter(lambda r: r["message"]).build()
    write_all(handler, ["0123456789", "abcdefghij", "ABCDEFGHIJ"])
    assert files(path) == ["ABCDEFGHIJ\n", "0123456789\nabcdefghij\n"]


@pytest.mark.parametrize("call, error", [
    (lambda b: b.with_max_bytes(-1), ValueError),
    (lambda b: b.with_backup_count(-2), ValueError),
    (lambda b: b.with_max_bytes("1"), TypeError),
    (lambda b: b.with_max_bytes(10).build(), ValueError),
    (lambda b: b.with_backup_count(3)._handler_spec(), ValueError),
])
def test_rotating_builder_rejects_bad_settings(tmp_path, call, error):
    with pytest.raises(error):
        call(RotatingFileHandlerBuilder(tmp_path / "app.log"))
