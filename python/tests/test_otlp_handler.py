"""OTLPHandlerBuilder and FemtoOTLPHandler without a collector: settings,
validation (HandlerConfigError naming the bad value), the OTEL_*
environment read from Python, dictConfig, and accounting when the
collector is unreachable."""

import socket

import pytest

import femtologging
from femtologging import FemtoOTLPHandler, HandlerConfigError, OTLPHandlerBuilder, dictConfig
from femtologging.config.dict_config import to_document


def _dead_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1/logs"  # nothing listens there now


def test_otlp_builder_defaults_and_settings():
    b = OTLPHandlerBuilder()
    d = b.as_dict()
    assert d["kind"] == "otlp" and d["endpoint"] is None and d["max_batch"] == 512
    assert d["batch_delay_ms"] == 1000 and d["policy"] == "drop" and d["capacity"] == 1024
    b = (b.with_endpoint("https://c.example:4318/v1/logs").with_headers({"Authorization": "Bearer s3cret"})
         .with_compression("gzip").with_timeout_ms(2000).with_tls(ca_file="/etc/ca.pem")
         .with_service_name("shop").with_resource({"region": "eu"}).with_max_batch(100)
         .with_max_batch_bytes(1 << 20).with_batch_delay_ms(50)
         .with_retry({"base_ms": 10, "cap_ms": 100, "deadline_ms": 1000})
         .with_capacity(64).with_overflow_policy("timeout:5").with_flush_timeout_ms(300))
    d = b.as_dict()
    assert d["endpoint"] == "https://c.example:4318/v1/logs" and d["compression"] == "gzip"
    assert d["tls"] == {"domain": None, "insecure": False, "ca_file": "/etc/ca.pem"}
    assert d["resource"] == {"region": "eu"} and d["service_name"] == "shop"
    assert d["retry"] == {"base_ms": 10, "cap_ms": 100, "deadline_ms": 1000}
    assert d["policy"] == "timeout:5" and d["flush_timeout_ms"] == 300
    assert "s3cret" not in repr(b), "the repr shows a header value"


@pytest.mark.parametrize("call, exc, text", [
    (lambda b: b.with_endpoint("collector:4318"), HandlerConfigError, "'collector:4318'"),
    (lambda b: b.with_endpoint(4318), TypeError, "int"),
    (lambda b: b.with_compression("zstd"), HandlerConfigError, "'zstd'"),
    (lambda b: b.with_timeout_ms(0), HandlerConfigError, "got 0"),
    (lambda b: b.with_max_batch(-1), HandlerConfigError, "got -1"),
    (lambda b: b.with_headers({"a": 1}), TypeError, "'a'"),
    (lambda b: b.with_resource({"": "x"}), HandlerConfigError, "empty"),
    (lambda b: b.with_service_name(""), HandlerConfigError, "''"),
    (lambda b: b.with_retry({"jitter": 1}), HandlerConfigError, "'jitter'"),
    (lambda b: b.with_overflow_policy("sometimes"), ValueError, "'sometimes'"),
])
def test_otlp_builder_rejects_bad_settings(call, exc, text):
    with pytest.raises(exc) as info:
        call(OTLPHandlerBuilder())
    assert text in str(info.value)


@pytest.mark.parametrize("builder, text", [
    (lambda: OTLPHandlerBuilder().with_endpoint("http://localhost:99999/v1/logs"),
     '$.endpoint: "http://localhost:99999/v1/logs": port must be between 1 and 65535'),
    (lambda: OTLPHandlerBuilder().with_endpoint("https://localhost/v1/logs").with_tls(ca_file="/nonexistent/ca.pem"),
     '$.tls.ca_file: "/nonexistent/ca.pem"'),
    (lambda: OTLPHandlerBuilder().with_endpoint("http://localhost/v1/logs").with_tls(insecure=True),
     "$.tls: TLS settings need an https:// endpoint"),
    (lambda: OTLPHandlerBuilder().with_retry({"base_ms": 500, "cap_ms": 100}),
     "$.retry.cap_ms: 100: must not be less than base_ms 500"),
])
def test_otlp_build_rejects_bad_configuration(builder, text):
    with pytest.raises(HandlerConfigError) as info:
        builder().build()
    assert str(info.value).startswith(text) or text in str(info.value), str(info.value)


def test_otlp_environment_read_at_build(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "not-a-url")
    with pytest.raises(HandlerConfigError) as info:
        OTLPHandlerBuilder().build()
    assert '$.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "not-a-url"' in str(info.value)
    # The builder's own endpoint wins over the environment.
    handler = OTLPHandlerBuilder().with_endpoint(_dead_endpoint()).build()
    handler.close()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "Authorization")
    with pytest.raises(HandlerConfigError) as info:
        OTLPHandlerBuilder().with_endpoint(_dead_endpoint()).build()
    assert "OTEL_EXPORTER_OTLP_HEADERS: entry 1: want key=value" in str(info.value)


def test_otlp_spec_carries_only_otel_variables(monkeypatch):
    monkeypatch.setenv("OTEL_SERVICE_NAME", "svc")
    monkeypatch.setenv("NOT_OTEL_SECRET", "x")
    env = OTLPHandlerBuilder()._handler_spec()["env"]
    assert env["OTEL_SERVICE_NAME"] == "svc" and "NOT_OTEL_SECRET" not in env
    assert all(k.startswith("OTEL_") for k in env)


def test_otlp_unreachable_collector_accounts_every_record():
    handler = (OTLPHandlerBuilder().with_endpoint(_dead_endpoint()).with_capacity(16)
               .with_retry({"base_ms": 5, "cap_ms": 20, "deadline_ms": 200}).build())
    logger = femtologging.get_logger("otlp.down")
    logger.add_handler(handler)
    for i in range(500):
        logger.log("INFO", f"m{i}")
    assert handler.flush(10_000) is False  # records were dropped
    stats = handler.get_stats()
    assert stats["delivered"] == 0 and stats["failed"] == 0
    assert stats["dropped"] == 500, stats
    handler.close()


def test_otlp_direct_construction_refused():
    with pytest.raises(TypeError):
        FemtoOTLPHandler()


def test_otlp_dict_config(monkeypatch):
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-env")
    config = {
        "version": 1,
        "handlers": {"otel": {"class": "femtologging.OTLPHandler",
                              "kwargs": {"endpoint": _dead_endpoint(), "compression": "gzip",
                                         "resource": {"region": "eu"}, "max_batch": 50}}},
        "root": {"level": "INFO", "handlers": ["otel"]},
    }
    spec = to_document(config)["handlers"]["otel"]
    assert spec["kind"] == "otlp" and spec["compression"] == "gzip" and spec["max_batch"] == 50
    assert spec["env"]["OTEL_SERVICE_NAME"] == "from-env"
    dictConfig(config)
    femtologging.reset_manager()


@pytest.mark.parametrize("entry, text", [
    ({"class": "OTLPHandler", "args": ["http://x"]}, "keyword arguments only"),
    ({"class": "OTLPHandler", "kwargs": {"url": "http://x"}}, "unsupported argument(s) ['url']"),
])
def test_otlp_dict_config_rejects(entry, text):
    config = {"version": 1, "handlers": {"otel": entry}, "root": {"handlers": ["otel"]}}
    with pytest.raises(ValueError) as info:
        dictConfig(config)
    assert text in str(info.value)


def test_otlp_dict_config_bad_value_names_path():
    config = {"version": 1, "handlers": {"otel": {"class": "OTLPHandler", "kwargs": {"endpoint": "ftp://x"}}},
              "root": {"handlers": ["otel"]}}
    with pytest.raises(HandlerConfigError) as info:
        dictConfig(config)
    assert 'endpoint: "ftp://x": want an http:// or https:// URL' in str(info.value)
