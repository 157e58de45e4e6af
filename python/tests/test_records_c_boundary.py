"""femtolog_logger_log_ex, NEED_CALLER and femtolog_format_record, called
directly through cffi: bad structures give error statuses, never crashes."""

import json

import pytest

from femtologging import _native

from conftest import RecordCollector


@pytest.fixture
def c():
    return _native.library()


def logger_handle(c, name):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    data = name.encode()
    assert lib.femtolog_logger_get(out, data, len(data)) == lib.FEMTOLOG_OK
    return out[0]


def last_error(c):
    ffi, lib = c
    return ffi.string(lib.femtolog_last_error()).decode()


def kv_array(c, *items):
    ffi, _ = c
    kvs = ffi.new("femtolog_kv[]", len(items))
    keep = []
    for kv, (key, kind, value) in zip(kvs, items):
        kb = ffi.new("char[]", key)
        keep.append(kb)
        kv.key, kv.key_len, kv.kind = kb, len(key), kind
        if isinstance(value, bytes):
            vb = ffi.new("char[]", value)
            keep.append(vb)
            kv.str, kv.str_len = vb, len(value)
        elif isinstance(value, float):
            kv.float_value = value
        elif value is not None:
            kv.int_value = value
    return kvs, keep


def test_log_ex_rejects_bad_structures(c):
    ffi, lib = c
    logger = logger_handle(c, "cb.bad")
    ex = ffi.new("femtolog_record_ex *")
    kvs, keep = kv_array(c, (b"", 0, b"v"))
    ex.kvs, ex.kv_count = kvs, 1
    assert lib.femtolog_logger_log_ex(logger, 20, b"m", 1, 0, ex) == lib.FEMTOLOG_ERR_INVALID
    assert "kvs[0]: empty key" in last_error(c)
    kvs, keep = kv_array(c, (b"k", 99, None))
    ex.kvs = kvs
    assert lib.femtolog_logger_log_ex(logger, 20, b"m", 1, 0, ex) == lib.FEMTOLOG_ERR_INVALID
    assert 'unknown value kind 99' in last_error(c)
    ex.kvs, ex.kv_count = ffi.NULL, 2
    assert lib.femtolog_logger_log_ex(logger, 20, b"m", 1, 0, ex) == lib.FEMTOLOG_ERR_INVALID
    ex.kv_count = 0
    ex.exc_text, ex.exc_text_len = ffi.NULL, 5
    assert lib.femtolog_logger_log_ex(logger, 20, b"m", 1, 0, ex) == lib.FEMTOLOG_ERR_INVALID
    assert "exc_text" in last_error(c)
    ex.exc_text_len = 0
    ex.flags, ex.lineno = lib.FEMTOLOG_EX_CALLER, -1
    assert lib.femtolog_logger_log_ex(logger, 20, b"m", 1, 0, ex) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_log_ex(logger, 25, b"m", 1, 0, ffi.NULL) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_log_ex(1 << 62, 20, b"m", 1, 0, ffi.NULL) == lib.FEMTOLOG_ERR_HANDLE


def test_log_ex_reaches_callbacks_with_every_field(c):
    ffi, lib = c
    logger = logger_handle(c, "cb.rich")
    collector = RecordCollector()
    collector.wants_caller_info = True
    from femtologging import get_logger

    get_logger("cb.rich").add_handler(collector)
    ex = ffi.new("femtolog_record_ex *")
    kvs, keep = kv_array(c, (b"s", 0, b"x"), (b"i", 1, -5), (b"f", 2, 2.5), (b"b", 3, 1), (b"n", 4, None))
    ex.kvs, ex.kv_count = kvs, 5
    texts = {name: ffi.new("char[]", value) for name, value in
             [("exc_text", b"Traceback"), ("stack_text", b"Stack"), ("pathname", b"/a/b.c"),
              ("filename", b"b.c"), ("module", b"b"), ("func_name", b"main")]}
    for name, buf in texts.items():
        setattr(ex, name, buf)
        setattr(ex, name + "_len", len(ffi.string(buf)))
    ex.flags, ex.lineno = lib.FEMTOLOG_EX_CALLER, 12
    assert lib.femtolog_logger_log_ex(logger, 30, b"rich", 4, 0, ex) == lib.FEMTOLOG_OK
    record = collector.wait_for(1)[0]
    assert record["key_values"] == {"s": "x", "i": -5, "f": 2.5, "b": True, "n": None}
    assert (record["exc_info"], record["stack_info"]) == ("Traceback", "Stack")
    assert (record["pathname"], record["filename"], record["module"], record["lineno"], record["funcName"]) == (
        "/a/b.c", "b.c", "b", 12, "main")


def test_try_log_asks_for_the_caller_only_when_a_handler_wants_it(c):
    ffi, lib = c
    from femtologging import get_logger

    logger = logger_handle(c, "cb.caller")
    plain = RecordCollector()
    get_logger("cb.caller").add_handler(plain)
    assert lib.femtolog_logger_try_log(logger, 20, b"m", 1, 0) == lib.FEMTOLOG_OK
    wanting = RecordCollector()
    wanting.wants_caller_info = True
    get_logger("cb.caller").add_handler(wanting)
    assert lib.femtolog_logger_try_log(logger, 20, b"m", 1, 0) == lib.FEMTOLOG_NEED_CALLER
    # femtolog_logger_log never asks: C callers log without a caller.
    assert lib.femtolog_logger_log(logger, 20, b"m", 1, 0) == lib.FEMTOLOG_OK


def test_format_record_renders_and_reports_errors(c):
    ffi, lib = c
    rec = ffi.new("femtolog_record *")
    name, msg = ffi.new("char[]", b"app"), ffi.new("char[]", b"hello")
    rec.logger, rec.logger_len, rec.message, rec.message_len = name, 3, msg, 5
    rec.level, rec.timestamp_ns = 25, 0
    size = ffi.new("size_t *")
    out = ffi.new("char[]", 4)
    spec = json.dumps({"format": "%(levelname)s:%(message)s"}).encode()
    assert lib.femtolog_format_record(out, 4, size, spec, len(spec), rec) == lib.FEMTOLOG_OK
    assert size[0] == len("Level 25:hello\n") and ffi.unpack(out, 4) == b"Leve"
    bad = json.dumps({"format": "%(nope)s"}).encode()
    assert lib.femtolog_format_record(out, 4, size, bad, len(bad), rec) == lib.FEMTOLOG_ERR_INVALID
    assert '"nope"' in last_error(c)
    broken = json.dumps({"format": "%(x"}).encode()
    assert lib.femtolog_format_record(out, 4, size, broken, len(broken), rec) == lib.FEMTOLOG_ERR_CONFIG
    assert lib.femtolog_format_record(out, 4, ffi.NULL, spec, len(spec), rec) == lib.FEMTOLOG_ERR_INVALID
