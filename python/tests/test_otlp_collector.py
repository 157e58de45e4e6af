"""FemtoOTLPHandler against a real OpenTelemetry Collector (test/otelcol:
the otlp receiver and the file exporter), started and stopped by the tests.

Every record is checked from the collector's output: severity, body,
scope, attributes and resource. The restart tests stop the collector
mid-stream and check the accounting: delivered + dropped == logged, every
delivered record arrived, and duplicates stay within what the retry rules
allow (a batch whose answer was lost is sent again: at most one batch per
outage).
"""

import threading

import pytest

import femtologging
from femtologging import OTLPHandlerBuilder
from conftest import wait_until
from otlp_collector import Collector, ensure_built

#: Waits for the collector's output: generous, the machine is shared.
OUTPUT_WAIT_S = 60.0

LEVELS = [("TRACE", 1), ("DEBUG", 5), ("INFO", 9), ("WARN", 13), ("ERROR", 17), ("CRITICAL", 21)]


@pytest.fixture(scope="module")
def collector_binary():
    try:
        return ensure_built(verbose=True)
    except Exception as exc:  # no Go toolchain or module proxy: say so
        pytest.fail(f"cannot build the test collector (make otelcol): {exc}")


@pytest.fixture
def collector(collector_binary, tmp_path):
    c = Collector(tmp_path)
    c.start()
    yield c
    c.stop()


@pytest.fixture
def tls_collector(collector_binary, certificates, tmp_path):
    ca_file, cert_file, key_file = certificates
    c = Collector(tmp_path, tls=(cert_file, key_file))
    c.ca_file = ca_file
    c.start()
    yield c
    c.stop()


def _seq(record):
    return int(record["body"]["stringValue"].rsplit("#", 1)[1])


def _wait_records(collector, n):
    return wait_until(lambda: (lambda r: r if len(r) >= n else None)(collector.records()),
                      timeout=OUTPUT_WAIT_S, message=f"{n} records in the collector's output")


def _check_every_record(collector, handler, logger_name, n, monkeypatch_service):
    assert handler.flush(30_000), handler.get_stats()
    stats = handler.get_stats()
    assert stats == {"delivered": n, "dropped": 0, "failed": 0}
    got = _wait_records(collector, n)
    assert len(got) == n, f"got {len(got)} records, want {n} (duplicates?)"
    seen = set()
    for res, scope, lr in got:
        i = _seq(lr)
        seen.add(i)
        name, number = LEVELS[i % len(LEVELS)]
        assert lr["severityNumber"] == number and lr["severityText"] == name, lr
        assert lr["body"]["stringValue"] == f"{name} message #{i}"
        assert scope == logger_name
        assert int(lr["timeUnixNano"]) > 0 and lr["observedTimeUnixNano"] == lr["timeUnixNano"]
        attrs = {kv["key"]: kv["value"] for kv in lr.get("attributes", [])}
        assert attrs["thread.name"] == {"stringValue": "MainThread"}, attrs
        assert int(attrs["thread.id"]["intValue"]) == threading.main_thread().ident
        assert res == {"service.name": monkeypatch_service, "deployment.environment": "test",
                       "team": "logs,core"}, res
    assert seen == set(range(n))


def _log_levels(logger, start, stop):
    for i in range(start, stop):
        name = LEVELS[i % len(LEVELS)][0]
        logger.log(name, f"{name} message #{i}")


def _log_and_check_every_record(collector, handler, logger_name, n, service):
    """Log n records at every level through a logger on handler; check
    each arrived once, whole; close the handler."""
    logger = femtologging.get_logger(logger_name)
    logger.set_level("TRACE")
    logger.add_handler(handler)
    _log_levels(logger, 0, n)
    _check_every_record(collector, handler, logger_name, n, service)
    handler.close()


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_otlp_collector_receives_every_record(collector, monkeypatch, compression):
    # The library loads first: the variables set below are only in
    # os.environ, which the builder reads at build(); Go's copy of the
    # environment was taken at load and never sees them.
    femtologging._native.library()
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,team=logs%2Ccore")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "femto-otlp-test")
    handler = (OTLPHandlerBuilder().with_endpoint(collector.endpoint).with_compression(compression)
               .with_overflow_policy("block").build())
    _log_and_check_every_record(collector, handler, "otlp.app", 10_000, "femto-otlp-test")


def test_otlp_collector_over_tls_with_ca_file(tls_collector, monkeypatch):
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,team=logs%2Ccore")
    handler = (OTLPHandlerBuilder().with_endpoint(tls_collector.endpoint)
               .with_tls(ca_file=tls_collector.ca_file).with_service_name("femto-tls")
               .with_overflow_policy("block").build())
    _log_and_check_every_record(tls_collector, handler, "otlp.tls", 1000, "femto-tls")


def _restart_builder(collector):
    # Short retry steps so the restarted collector is found quickly; a
    # deadline far beyond the outage, so no batch is dropped for it.
    return (OTLPHandlerBuilder().with_endpoint(collector.endpoint).with_service_name("restart")
            .with_retry({"base_ms": 50, "cap_ms": 200, "deadline_ms": 60_000}))


def _check_restart_accounting(collector, handler, logger, logged, max_batch, capacity):
    handler.flush(60_000)  # False when records were dropped since the last flush
    stats = handler.get_stats()
    assert stats["failed"] == 0
    # A record the logger's own queue could not take never reached the
    # handler: it is counted by the logger.
    assert stats["delivered"] + stats["dropped"] + logger.get_dropped() == logged, (stats, logger.get_dropped())
    got = [_seq(lr) for _, _, lr in _wait_records(collector, stats["delivered"])]
    unique = set(got)
    duplicates = len(got) - len(unique)
    assert unique <= set(range(logged))
    # Every delivered record arrived. More may have: a batch can arrive
    # and still be counted as dropped (its answer lost in the shutdown, or
    # dropped with earlier batches of the same worker round).
    assert len(unique) >= stats["delivered"], (len(unique), stats)
    assert len(unique) - stats["delivered"] <= capacity + max_batch, (len(unique), stats)
    # A batch is sent again only after a failed attempt: at most one batch
    # per outage can arrive twice.
    assert duplicates <= max_batch, duplicates
    return stats, unique


def test_otlp_collector_restart_drop_policy(collector):
    # delivered + dropped == logged in the docstring's sense: the handler's
    # counts plus the records the logger's queue dropped before them.
    max_batch, capacity = 128, 1024
    handler = _restart_builder(collector).with_max_batch(max_batch).with_capacity(capacity).build()
    logger = femtologging.get_logger("otlp.restart")
    logger.set_level("TRACE")
    logger.add_handler(handler)
    _log_levels(logger, 0, 3000)
    collector.stop()                 # mid-stream: records queued and in flight
    _log_levels(logger, 3000, 7000)  # the collector is down: the queues fill, records drop
    collector.start()
    handler.flush(60_000)            # what waited in the queue goes to the new collector
    for start in range(7000, 10_000, 500):  # paced: nothing dropped after the outage
        _log_levels(logger, start, start + 500)
        assert handler.flush(60_000), handler.get_stats()
    stats, unique = _check_restart_accounting(collector, handler, logger, 10_000, max_batch, capacity)
    assert stats["dropped"] + logger.get_dropped() > 0, "the outage dropped nothing: was the collector down?"
    assert set(range(7000, 10_000)) <= unique, "records logged after the restart did not all arrive"
    handler.close()


def test_otlp_collector_restart_block_policy_loses_nothing(collector):
    max_batch, capacity = 128, 256
    handler = (_restart_builder(collector).with_max_batch(max_batch).with_capacity(capacity)
               .with_overflow_policy("block").build())
    logger = femtologging.get_logger("otlp.blocking")
    logger.set_level("TRACE")
    logger.add_handler(handler)
    _log_levels(logger, 0, 3000)
    # Drained first, so the queues have room for the records the producer
    # logs before it blocks (the drop test stops with records in flight).
    assert handler.flush(60_000)
    collector.stop()
    progress = [3000]
    errors = []

    def produce():
        try:
            for i in range(3000, 10_000):
                _log_levels(logger, i, i + 1)
                progress[0] = i + 1
        except BaseException as exc:  # surfaced by the test below
            errors.append(exc)

    producer = threading.Thread(target=produce)
    producer.start()
    try:
        # The empty queues take 500 records with the collector down; the
        # producer blocks at some point after that.
        wait_until(lambda: progress[0] >= 3500, timeout=OUTPUT_WAIT_S, message="the producer to log 500 records")
        collector.start()
    finally:
        producer.join(OUTPUT_WAIT_S * 2)
    assert not producer.is_alive(), f"the producer is still blocked at record {progress[0]}"
    assert not errors, errors
    stats, unique = _check_restart_accounting(collector, handler, logger, 10_000, max_batch, capacity)
    assert stats == {"delivered": 10_000, "dropped": 0, "failed": 0}
    assert logger.get_dropped() == 0
    assert unique == set(range(10_000))
    handler.close()


def test_otlp_collector_via_config_builder(collector, monkeypatch):
    # ConfigBuilder and dictConfig reach Go through one configuration
    # document; the OTEL_* variables travel in the handler's "env".
    monkeypatch.setenv("OTEL_SERVICE_NAME", "configured")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,team=logs%2Ccore")
    (femtologging.ConfigBuilder()
     .with_handler("otel", OTLPHandlerBuilder().with_endpoint(collector.endpoint).with_overflow_policy("block"))
     .with_logger("otlp.cfg", femtologging.LoggerConfigBuilder().with_level("TRACE").with_handlers(["otel"]))
     .with_root_logger(femtologging.LoggerConfigBuilder().with_level("INFO"))
     .build_and_init())
    logger = femtologging.get_logger("otlp.cfg")
    (handler,) = logger.handlers
    assert handler.kind == "otlp"
    logger.set_propagate(False)
    _log_levels(logger, 0, 600)
    _check_every_record(collector, handler, "otlp.cfg", 600, "configured")
