"""The C interface, called directly through femtologging._native.library():
bad handles, names, levels, specs and pointers give error statuses with a
message on femtolog_last_error(); nothing crashes.
"""

import json
import statistics
import threading
import time

import pytest

from conftest import WAIT_S, logger_with, park_worker, wait_until

import femtologging
from femtologging import _native, get_logger


@pytest.fixture
def c():
    """(ffi, lib) of the loaded library."""
    return _native.library()


def last_error(c):
    ffi, lib = c
    return ffi.string(lib.femtolog_last_error()).decode()


def new_logger(c, name):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    data = name.encode()
    assert lib.femtolog_logger_get(out, data, len(data)) == lib.FEMTOLOG_OK, last_error(c)
    return out[0]


def new_handler(c, spec):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    data = json.dumps(spec).encode()
    rc = lib.femtolog_handler_create(out, data, len(data))
    return rc, out[0]


BOGUS = [0, 1 << 63, (1 << 64) - 1]


def test_version_matches_header(c):
    _, lib = c
    assert lib.femtolog_version() == lib.FEMTOLOG_VERSION
    assert lib.femtolog_noop() == lib.FEMTOLOG_OK


# ---- stale and bogus handles -------------------------------------------------


def test_stale_logger_handle_after_reset_is_an_error_status(c):
    ffi, lib = c
    handle = new_logger(c, "stale.app")
    femtologging.reset_manager()
    out_int = ffi.new("int *")
    out_u64 = ffi.new("uint64_t *")
    calls = {
        "log": lambda: lib.femtolog_logger_log(handle, 20, b"m", 1, 0),
        "set_level": lambda: lib.femtolog_logger_set_level(handle, 20),
        "get_level": lambda: lib.femtolog_logger_get_level(out_int, handle),
        "get_effective_level": lambda: lib.femtolog_logger_get_effective_level(out_int, handle),
        "set_propagate": lambda: lib.femtolog_logger_set_propagate(handle, 0),
        "get_propagate": lambda: lib.femtolog_logger_get_propagate(out_int, handle),
        "clear_handlers": lambda: lib.femtolog_logger_clear_handlers(handle),
        "get_dropped": lambda: lib.femtolog_logger_get_dropped(out_u64, handle),
    }
    for name, call in calls.items():
        assert call() == lib.FEMTOLOG_ERR_HANDLE, name
        assert "stale handle" in last_error(c), name
    # The same name now gives a fresh handle, never the old one again.
    assert new_logger(c, "stale.app") != handle


def test_stale_logger_in_python_raises_stale_handle_error():
    old = get_logger("stale.py")
    femtologging.reset_manager()
    for call in (lambda: old.log("ERROR", "m"), lambda: old.set_level("DEBUG"),
                 lambda: old.get_dropped(), lambda: old.set_propagate(False)):
        with pytest.raises(femtologging.StaleHandleError) as info:
            call()
        assert "stale" in str(info.value)


@pytest.mark.parametrize("handle", BOGUS)
def test_bogus_logger_handles_are_error_statuses(c, handle):
    ffi, lib = c
    out_int = ffi.new("int *")
    assert lib.femtolog_logger_log(handle, 20, b"m", 1, 0) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_logger_set_level(handle, 20) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_logger_get_level(out_int, handle) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_logger_add_handler(handle, handle) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_logger_remove_handler(out_int, handle, handle) == lib.FEMTOLOG_ERR_HANDLE


@pytest.mark.parametrize("handle", BOGUS)
def test_bogus_handler_handles_are_error_statuses(c, handle):
    ffi, lib = c
    stats = ffi.new("femtolog_handler_stats *")
    ticket = ffi.new("uint64_t *")
    assert lib.femtolog_handler_handle(handle, b"x", 1, 20, b"m", 1, 0) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_handler_flush(handle, 10) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_handler_close(handle, 10) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_handler_flush_begin(ticket, handle) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_handler_close_begin(ticket, handle) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_handler_get_stats(stats, handle) == lib.FEMTOLOG_ERR_HANDLE
    assert "handle" in last_error(c)


@pytest.mark.parametrize("handle", BOGUS)
def test_bogus_ticket_and_thread_handles_are_error_statuses(c, handle):
    _, lib = c
    assert lib.femtolog_ticket_wait(handle, 0) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_ticket_release(handle) == lib.FEMTOLOG_ERR_HANDLE
    if handle:  # 0 means "no registered thread" and is valid
        logger = new_logger(c, "threads")
        assert lib.femtolog_logger_log(logger, 20, b"m", 1, handle) == lib.FEMTOLOG_ERR_HANDLE


def test_handle_of_one_kind_is_not_valid_as_another(c):
    ffi, lib = c
    logger = new_logger(c, "kinds")
    rc, handler = new_handler(c, {"kind": "stream"})
    assert rc == lib.FEMTOLOG_OK
    try:
        out_int = ffi.new("int *")
        assert lib.femtolog_logger_log(handler, 20, b"m", 1, 0) == lib.FEMTOLOG_ERR_HANDLE
        assert lib.femtolog_handler_flush(logger, 10) == lib.FEMTOLOG_ERR_HANDLE
        assert lib.femtolog_logger_add_handler(handler, logger) == lib.FEMTOLOG_ERR_HANDLE
        assert lib.femtolog_ticket_wait(handler, 0) == lib.FEMTOLOG_ERR_HANDLE
        assert lib.femtolog_logger_remove_handler(out_int, logger, handler) == lib.FEMTOLOG_OK
        assert out_int[0] == 0  # valid, but not attached
    finally:
        assert lib.femtolog_handler_close(handler, 1000) == lib.FEMTOLOG_OK


# ---- femtolog_logger_get_handlers ---------------------------------------------


def test_logger_get_handlers_lists_handles_in_order_and_respects_cap(c):
    ffi, lib = c
    logger = new_logger(c, "listing.handlers")
    made = []
    try:
        for _ in range(3):
            rc, handler = new_handler(c, {"kind": "stream"})
            assert rc == lib.FEMTOLOG_OK
            made.append(handler)
        a, b, d = made
        for handler in (b, a, d, b):
            assert lib.femtolog_logger_add_handler(logger, handler) == lib.FEMTOLOG_OK
        size = ffi.new("size_t *")
        # Capacity 0 (and a NULL array) only reports the total.
        assert lib.femtolog_logger_get_handlers(ffi.NULL, 0, size, logger) == lib.FEMTOLOG_OK
        assert size[0] == 4
        # A small array gets the first ones, untouched beyond its capacity.
        out = ffi.new("femtolog_handler_t[]", [7, 7, 7])
        assert lib.femtolog_logger_get_handlers(out, 2, size, logger) == lib.FEMTOLOG_OK
        assert size[0] == 4 and list(out) == [b, a, 7]
        out = ffi.new("femtolog_handler_t[]", 6)
        assert lib.femtolog_logger_get_handlers(out, 6, size, logger) == lib.FEMTOLOG_OK
        assert list(out)[: size[0]] == [b, a, d, b]
        out_int = ffi.new("int *")
        assert lib.femtolog_logger_remove_handler(out_int, logger, a) == lib.FEMTOLOG_OK
        assert lib.femtolog_logger_get_handlers(out, 6, size, logger) == lib.FEMTOLOG_OK
        assert list(out)[: size[0]] == [b, d, b]
        # Only the logger's own handlers: a child has none of them.
        child = new_logger(c, "listing.handlers.child")
        assert lib.femtolog_logger_get_handlers(out, 6, size, child) == lib.FEMTOLOG_OK
        assert size[0] == 0
        assert lib.femtolog_logger_clear_handlers(logger) == lib.FEMTOLOG_OK
        assert lib.femtolog_logger_get_handlers(out, 6, size, logger) == lib.FEMTOLOG_OK
        assert size[0] == 0
    finally:
        assert lib.femtolog_logger_clear_handlers(logger) == lib.FEMTOLOG_OK
        for handler in made:
            assert lib.femtolog_handler_close(handler, 1000) == lib.FEMTOLOG_OK


@pytest.mark.parametrize("handle", BOGUS)
def test_logger_get_handlers_bad_handle_is_an_error_status(c, handle):
    ffi, lib = c
    size = ffi.new("size_t *", 99)
    out = ffi.new("femtolog_handler_t[]", 2)
    assert lib.femtolog_logger_get_handlers(out, 2, size, handle) == lib.FEMTOLOG_ERR_HANDLE
    assert "handle" in last_error(c)
    assert size[0] == 99  # out-parameters are written only on OK


def test_logger_get_handlers_stale_and_null_pointers(c):
    ffi, lib = c
    logger = new_logger(c, "listing.stale")
    size = ffi.new("size_t *")
    out = ffi.new("femtolog_handler_t[]", 2)
    assert lib.femtolog_logger_get_handlers(out, 2, ffi.NULL, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_get_handlers(ffi.NULL, 2, size, logger) == lib.FEMTOLOG_ERR_INVALID
    femtologging.reset_manager()
    assert lib.femtolog_logger_get_handlers(out, 2, size, logger) == lib.FEMTOLOG_ERR_HANDLE
    assert "stale handle" in last_error(c)


def test_ticket_is_released_after_it_finished(c):
    ffi, lib = c
    rc, handler = new_handler(c, {"kind": "stream"})
    out = ffi.new("uint64_t *")
    assert lib.femtolog_handler_flush_begin(out, handler) == lib.FEMTOLOG_OK
    ticket = out[0]
    assert lib.femtolog_ticket_wait(ticket, 1000) == lib.FEMTOLOG_OK
    assert lib.femtolog_ticket_wait(ticket, 0) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_ticket_release(ticket) == lib.FEMTOLOG_ERR_HANDLE
    assert lib.femtolog_handler_close(handler, 1000) == lib.FEMTOLOG_OK
    # close is idempotent at the C level too
    assert lib.femtolog_handler_close(handler, 1000) == lib.FEMTOLOG_OK


def test_closed_handler_cannot_be_attached(c):
    _, lib = c
    rc, handler = new_handler(c, {"kind": "stream"})
    assert lib.femtolog_handler_close(handler, 1000) == lib.FEMTOLOG_OK
    assert lib.femtolog_logger_add_handler(new_logger(c, "attach"), handler) == lib.FEMTOLOG_ERR_CLOSED
    assert "closed" in last_error(c)


def test_close_that_times_out_still_closes_in_the_background(capfd, c, gate):
    # femtolog_handler_close returning ERR_TIMEOUT means "still finishing in
    # the background": the handler must end up closed all the same, not be
    # left running and accepting records forever.
    ffi, lib = c
    rc, handler = new_handler(c, {"kind": "stream"})
    logger = logger_with("slow.feeder", gate)
    park_worker(logger, gate)
    logger.log("INFO", "queued behind the gate")
    lib.femtolog_logger_add_handler(new_logger(c, "slow.feeder"), handler)
    logger.log("INFO", "for the handler")
    assert lib.femtolog_handler_close(handler, 50) == lib.FEMTOLOG_ERR_TIMEOUT
    assert "close did not finish" in last_error(c) or "within" in last_error(c)
    gate.release()
    stats = ffi.new("femtolog_handler_stats *")

    def closed():
        return lib.femtolog_handler_handle(handler, b"x", 1, 20, b"m", 1, 0) == lib.FEMTOLOG_ERR_CLOSED

    wait_until(closed, message="handler closed after a timed-out close")
    assert lib.femtolog_handler_get_stats(stats, handler) == lib.FEMTOLOG_OK
    assert stats.delivered + stats.dropped >= 1


def test_released_close_ticket_still_closes(capfd, c, gate):
    ffi, lib = c
    rc, handler = new_handler(c, {"kind": "stream"})
    logger = logger_with("slow.feeder", gate)
    park_worker(logger, gate)
    lib.femtolog_logger_add_handler(new_logger(c, "slow.feeder"), handler)
    logger.log("INFO", "for the handler")
    out = ffi.new("uint64_t *")
    assert lib.femtolog_handler_close_begin(out, handler) == lib.FEMTOLOG_OK
    assert lib.femtolog_ticket_wait(out[0], 10) == lib.FEMTOLOG_PENDING
    assert lib.femtolog_ticket_release(out[0]) == lib.FEMTOLOG_OK  # e.g. Ctrl-C in close()
    gate.release()
    wait_until(lambda: lib.femtolog_handler_handle(handler, b"x", 1, 20, b"m", 1, 0) == lib.FEMTOLOG_ERR_CLOSED,
               message="handler closed after its close ticket was released")


# ---- bad levels ---------------------------------------------------------------


@pytest.mark.parametrize("level", [-1, 1, 7, 15, 25, 51, 99, 2**31 - 1, -(2**31)])
def test_bad_level_numbers_are_invalid_with_message(c, level):
    ffi, lib = c
    logger = new_logger(c, "levels")
    assert lib.femtolog_logger_log(logger, level, b"m", 1, 0) == lib.FEMTOLOG_ERR_INVALID
    assert f"invalid level {level}" in last_error(c)
    assert lib.femtolog_logger_set_level(logger, level) == lib.FEMTOLOG_ERR_INVALID
    assert f"invalid level {level}" in last_error(c)
    rc, handler = new_handler(c, {"kind": "stream"})
    assert lib.femtolog_handler_handle(handler, b"x", 1, level, b"m", 1, 0) == lib.FEMTOLOG_ERR_INVALID
    lib.femtolog_handler_close(handler, 1000)


def test_notset_on_root_is_invalid(c):
    _, lib = c
    root = new_logger(c, "root")
    assert lib.femtolog_logger_set_level(root, lib.FEMTOLOG_LEVEL_NOTSET) == lib.FEMTOLOG_ERR_INVALID
    assert "root" in last_error(c)


def test_notset_on_log_is_invalid(c):
    _, lib = c
    logger = new_logger(c, "levels")
    assert lib.femtolog_logger_log(logger, lib.FEMTOLOG_LEVEL_NOTSET, b"m", 1, 0) == lib.FEMTOLOG_ERR_INVALID


# ---- bad names and pointers ----------------------------------------------------


@pytest.mark.parametrize("name", [b"", b".a", b"a.", b"a..b"])
def test_bad_logger_names_are_invalid_with_message_naming_them(c, name):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    assert lib.femtolog_logger_get(out, name, len(name)) == lib.FEMTOLOG_ERR_INVALID
    assert f'invalid logger name "{name.decode()}"' in last_error(c)


def test_name_length_is_respected_not_nul_terminated(c):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    # Only the first 5 bytes count: "a.b.c", not the invalid "a.b.c..".
    assert lib.femtolog_logger_get(out, b"a.b.c..", 5) == lib.FEMTOLOG_OK
    assert out[0] == new_logger(c, "a.b.c")


def test_invalid_utf8_name_does_not_crash(c):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    rc = lib.femtolog_logger_get(out, b"\xff\xfe.\x80", 4)
    assert rc in (lib.FEMTOLOG_OK, lib.FEMTOLOG_ERR_INVALID)


def test_null_pointers_are_invalid(c):
    ffi, lib = c
    NULL = ffi.NULL
    logger = new_logger(c, "nulls")
    assert lib.femtolog_logger_get(NULL, b"x", 1) == lib.FEMTOLOG_ERR_INVALID
    assert "NULL" in last_error(c)
    assert lib.femtolog_logger_get(ffi.new("uint64_t *"), NULL, 3) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_get_level(NULL, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_get_effective_level(NULL, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_get_propagate(NULL, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_get_dropped(NULL, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_remove_handler(NULL, logger, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_handler_create(NULL, b"{}", 2) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_handler_create_callback(ffi.new("uint64_t *"), NULL, NULL) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_formatter_create_callback(ffi.new("uint64_t *"), NULL, NULL) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_thread_register(NULL, 1, b"t", 1) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_handler_flush_begin(NULL, logger) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_buffer_append(NULL, b"x", 1) == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_logger_log(logger, 20, NULL, 5, 0) == lib.FEMTOLOG_ERR_INVALID


def test_null_message_with_zero_length_is_an_empty_message(c, collector):
    ffi, lib = c
    get_logger("empty").add_handler(collector)
    logger = new_logger(c, "empty")
    assert lib.femtolog_logger_log(logger, 20, ffi.NULL, 0, 0) == lib.FEMTOLOG_OK
    assert collector.wait_for(1) == [("empty", "INFO", "")]


def test_log_statuses_ok_and_filtered(c, collector):
    _, lib = c
    get_logger("st").add_handler(collector)
    logger = new_logger(c, "st")
    assert lib.femtolog_logger_log(logger, 10, b"m", 1, 0) == lib.FEMTOLOG_FILTERED
    assert lib.femtolog_logger_log(logger, 20, b"m", 1, 0) == lib.FEMTOLOG_OK
    collector.wait_for(1)


# ---- handler specs --------------------------------------------------------------


@pytest.mark.parametrize("spec, fragment", [
    ({}, "$.kind: missing"),
    ({"kind": "carrier-pigeon"}, '$.kind: unknown handler kind "carrier-pigeon"'),
    ({"kind": "stream", "target": "stdlog"}, '$.target: "stdlog"'),
    ({"kind": "stream", "capacity": 0}, "$.capacity: 0: must be greater than zero"),
    ({"kind": "stream", "capacity": -5}, "$.capacity: -5"),
    ({"kind": "stream", "flush_timeout_ms": 0}, "$.flush_timeout_ms: 0"),
    ({"kind": "stream", "capacity": "10"}, '$.capacity: got JSON string'),
    ({"kind": "stream", "colour": "red"}, 'unknown field "colour"'),
    ({"kind": "stream", "formatter": "fancy"}, 'unknown formatter id "fancy"'),
    ({"kind": "stream", "formatter": {"format": "%(message"}}, "$.formatter.format"),
    ({"kind": "stream", "level": "LOUD"}, '$.level: invalid level "LOUD"'),
    ({"kind": "stream", "formatter": {"callback": 987654321}}, "$.formatter.callback: 987654321"),
    ({"kind": "stream", "formatter": {"name": "x"}}, "$.formatter"),
])
def test_bad_handler_specs_are_config_errors_with_path(c, spec, fragment):
    _, lib = c
    rc, _ = new_handler(c, spec)
    assert rc == lib.FEMTOLOG_ERR_CONFIG
    assert fragment in last_error(c)


@pytest.mark.parametrize("doc", [b"", b"{", b"[]", b"null", b"42", b'{"kind": "stream"} trailing', b"\xff\xfe"])
def test_malformed_json_is_a_config_error(c, doc):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    assert lib.femtolog_handler_create(out, doc, len(doc)) == lib.FEMTOLOG_ERR_CONFIG
    assert last_error(c).startswith("$")


def test_python_surfaces_config_errors_as_handler_config_error():
    with pytest.raises(femtologging.HandlerConfigError) as info:
        femtologging.FemtoStreamHandler("stderr", 0)
    assert "capacity" in str(info.value)


# ---- errors are per thread -----------------------------------------------------


def test_last_error_is_per_thread(c):
    ffi, lib = c
    out = ffi.new("uint64_t *")
    assert lib.femtolog_logger_get(out, b"a..b", 4) == lib.FEMTOLOG_ERR_INVALID
    mine = last_error(c)
    other = {}

    def fail_differently():
        other["rc"] = lib.femtolog_logger_log(0, 20, b"m", 1, 0)
        other["message"] = last_error(c)

    thread = threading.Thread(target=fail_differently)
    thread.start()
    thread.join(WAIT_S)
    assert other["rc"] == lib.FEMTOLOG_ERR_HANDLE
    assert "stale handle" in other["message"]
    assert last_error(c) == mine  # untouched by the other thread's failure


def test_fresh_thread_has_empty_last_error(c):
    seen = {}
    thread = threading.Thread(target=lambda: seen.setdefault("message", last_error(c)))
    thread.start()
    thread.join(WAIT_S)
    assert seen["message"] == ""


# ---- thread registration --------------------------------------------------------


def test_thread_registration_cost_does_not_grow_with_threads_seen(c):
    # Every Python thread registers its identity once, on its first log; a
    # server starting a thread per request registers threads all its life.
    # Registering the 6000th thread must cost about what the first did, not
    # O(threads so far) (the table was copied on every registration).
    ffi, lib = c
    out = ffi.new("uint64_t *")
    register = lib.femtolog_thread_register

    def timed_batch(n):
        times = []
        for i in range(n):
            start = time.perf_counter()
            assert register(out, i, b"worker", 6) == lib.FEMTOLOG_OK
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    first = timed_batch(300)
    for i in range(5400):
        register(out, i, b"worker", 6)
    last = timed_batch(300)
    assert last < max(5 * first, 20e-6), f"median register: first {first * 1e6:.1f} us, last {last * 1e6:.1f} us"


# ---- try_log: the call that never waits -----------------------------------------


def test_try_log_on_a_full_queue_returns_retry_and_counts_nothing(c, gate, collector):
    ffi, lib = c
    logger = get_logger("try")
    logger.add_handler(gate)
    logger.add_handler(collector)
    park_worker(logger, gate)
    handle = new_logger(c, "try")
    for i in range(1024):
        assert lib.femtolog_logger_try_log(handle, 20, b"fill", 4, 0) == lib.FEMTOLOG_OK, i
    # Full: at once, under the drop policy's grace too, nothing is queued or counted.
    assert lib.femtolog_logger_try_log(handle, 20, b"refused", 7, 0) == lib.FEMTOLOG_RETRY
    assert logger.get_dropped() == 0
    assert lib.femtolog_logger_try_log(handle, 10, b"low", 3, 0) == lib.FEMTOLOG_FILTERED
    gate.release()
    records = collector.wait_for(1 + 1024)
    assert [m for _, _, m in records] == ["park"] + ["fill"] * 1024


def test_try_log_bad_handles_and_levels_are_error_statuses(c):
    _, lib = c
    for handle in BOGUS:
        assert lib.femtolog_logger_try_log(handle, 20, b"m", 1, 0) == lib.FEMTOLOG_ERR_HANDLE
    logger = new_logger(c, "try.levels")
    assert lib.femtolog_logger_try_log(logger, 25, b"m", 1, 0) == lib.FEMTOLOG_ERR_INVALID
    assert "invalid level 25" in last_error(c)
    assert lib.femtolog_logger_try_log(logger, 20, b"m", 1, 1 << 63) == lib.FEMTOLOG_ERR_HANDLE


# ---- femtolog_value_check ------------------------------------------------------


def value_check(c, name, value, cap=256):
    """(status, canonical JSON or the last error) of femtolog_value_check."""
    ffi, lib = c
    out = ffi.new("uint8_t[]", max(cap, 1))
    size = ffi.new("size_t *", 12345)
    name_b, value_b = name.encode(), value.encode()
    rc = lib.femtolog_value_check(out, cap, size, name_b, len(name_b), value_b, len(value_b))
    if rc == lib.FEMTOLOG_OK:
        return rc, ffi.buffer(out, min(size[0], cap))[:].decode(), size[0]
    return rc, last_error(c), size[0]


def test_value_check_writes_the_canonical_form(c):
    _, lib = c
    rc, form, size = value_check(c, "policy", '"timeout:0250"')
    assert (rc, form) == (lib.FEMTOLOG_OK, '{"policy":"timeout:250","kind":"timeout","timeout_ms":250}')
    assert size == len(form)
    assert value_check(c, "when", '"w2"')[:2] == (lib.FEMTOLOG_OK, '"W2"')
    assert value_check(c, "rotation", '{"max_bytes": 10, "backup_count": 2}')[:2] == (
        lib.FEMTOLOG_OK, '{"max_bytes":10,"backup_count":2}')


def test_value_check_reports_only_the_size_when_the_buffer_is_small(c):
    ffi, lib = c
    size = ffi.new("size_t *")
    name, value = b"at_time", b'"01:02"'
    assert lib.femtolog_value_check(ffi.NULL, 0, size, name, len(name), value, len(value)) == lib.FEMTOLOG_OK
    assert size[0] == len('"01:02:00"')
    out = ffi.new("uint8_t[]", [7] * 4)
    assert lib.femtolog_value_check(out, 4, size, name, len(name), value, len(value)) == lib.FEMTOLOG_OK
    assert list(out) == [7] * 4  # too small: untouched


@pytest.mark.parametrize("name, value, reason", [
    ("policy", '"sometimes"', 'want "drop", "block" or "timeout:N" with N milliseconds from 1 to 86400000 (a day)'),
    ("max_bytes", "-1", "must not be negative"),
    ("capacity", "0", "must be greater than zero"),
    ("rotation", '{"max_bytes": 5, "backup_count": 0}', "needs both greater than zero, or both zero to turn it off"),
    ("rotation", '{"max_bytes": -5, "backup_count": 1}', "max_bytes: must not be negative"),
    ("compression", '"zip"', 'want "gzip" or "none"'),
    ("max_age", "0", "want seconds greater than 0 and at most 3153600000 (about 100 years)"),
    ("max_bytes", '"10"', "want an integer"),
    ("policy", "{not json", 'want "drop", "block" or "timeout:N" with N milliseconds from 1 to 86400000 (a day)'),
])
def test_value_check_refusal_is_a_config_error_with_the_reason_alone(c, name, value, reason):
    _, lib = c
    rc, message, size = value_check(c, name, value)
    assert (rc, message) == (lib.FEMTOLOG_ERR_CONFIG, reason)
    assert size == 12345  # out-parameters are written only on OK


def test_value_check_bad_arguments_are_invalid(c):
    ffi, lib = c
    rc, message, _ = value_check(c, "polcy", '"drop"')
    assert rc == lib.FEMTOLOG_ERR_INVALID
    assert message.startswith('unknown setting "polcy": want one of "at_time", "backup_count"')
    size = ffi.new("size_t *")
    name, value = b"policy", b'"drop"'
    assert lib.femtolog_value_check(ffi.NULL, 0, ffi.NULL, name, len(name), value, len(value)) \
        == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_value_check(ffi.NULL, 8, size, name, len(name), value, len(value)) \
        == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_value_check(ffi.NULL, 0, size, ffi.NULL, 3, value, len(value)) \
        == lib.FEMTOLOG_ERR_INVALID
    assert lib.femtolog_value_check(ffi.NULL, 0, size, name, len(name), ffi.NULL, 3) \
        == lib.FEMTOLOG_ERR_INVALID
