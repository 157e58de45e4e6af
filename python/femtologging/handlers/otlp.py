"""FemtoOTLPHandler and OTLPHandlerBuilder: records sent to an OpenTelemetry
collector as OTLP/HTTP protobuf requests (``POST .../v1/logs``).

Each record becomes an OpenTelemetry LogRecord: time and observed time,
severity number and text, the message as body, key-values, thread and code
attributes as attributes, the logger name as instrumentation scope. Records
are batched (by count, bytes and delay) and sent again on 429/502/503/504
or no answer, honouring ``Retry-After``, until the retry deadline.

Settings not given to the builder come from the OpenTelemetry environment
variables (``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``,
``OTEL_EXPORTER_OTLP_[LOGS_]ENDPOINT``, ``..._HEADERS``, ``..._COMPRESSION``,
``..._TIMEOUT``, ``..._CERTIFICATE``), read from ``os.environ`` when the
handler is built: Go's copy of the environment would miss variables set
from Python after the library loaded. Go validates everything again and
names the bad value (``HandlerConfigError``).
"""

import os
from collections.abc import Mapping

from ._builder_base import PolicyBuilderMixin, QueueBuilderMixin
from ._handler_base import NativeHandler
from .._validate import positive_int, retry_values, tls_options
from ..errors import HandlerConfigError
from .policy import OverflowPolicy

DEFAULT_CAPACITY = 1024
DEFAULT_FLUSH_TIMEOUT_MS = 1000
DEFAULT_MAX_BATCH = 512
DEFAULT_MAX_BATCH_BYTES = 4 << 20
DEFAULT_BATCH_DELAY_MS = 1000
_COMPRESSIONS = ("gzip", "none")


def otel_environment(environ=None) -> dict:
    """The OTEL_* variables of environ (os.environ by default), for a spec's "env"."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if k.startswith("OTEL_")}


class FemtoOTLPHandler(NativeHandler):
    """Sends records from a Go worker to an OpenTelemetry collector.

    Create it with ``OTLPHandlerBuilder().build()``. ``get_stats()`` counts
    records ``delivered`` (accepted by the collector), ``dropped`` (queue
    full, rejected by the collector, unsent at the retry deadline or at
    close) and ``failed`` (stays 0): ``delivered + dropped`` is every record
    handed to the handler.
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        raise TypeError("FemtoOTLPHandler is created with OTLPHandlerBuilder().build()")


def _str_mapping(value, what):
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} must be a mapping of str to str, not {type(value).__name__}")
    out = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise TypeError(f"{what} must map str to str, got {key!r}: {type(item).__name__}")
        out[key] = item
    return out


class OTLPHandlerBuilder(QueueBuilderMixin, PolicyBuilderMixin):
    """Fluent construction of a FemtoOTLPHandler.

    Unset settings come from the OTEL_* environment when build() runs, then
    from the defaults: ``http://localhost:4318/v1/logs``, no compression,
    10 s per request, ``service.name`` ``unknown_service``.
    """

    def __init__(self):
        self._endpoint = None
        self._headers = {}
        self._compression = None
        self._timeout_ms = None
        self._tls = None
        self._service_name = None
        self._resource = {}
        self._max_batch = DEFAULT_MAX_BATCH
        self._max_batch_bytes = DEFAULT_MAX_BATCH_BYTES
        self._batch_delay_ms = DEFAULT_BATCH_DELAY_MS
        self._retry = None
        self._capacity = DEFAULT_CAPACITY
        self._policy = OverflowPolicy.drop()
        self._flush_timeout_ms = DEFAULT_FLUSH_TIMEOUT_MS

    def with_endpoint(self, url: str) -> "OTLPHandlerBuilder":
        """POST to url, the full logs URL (e.g. ``http://collector:4318/v1/logs``)."""
        if not isinstance(url, str):
            raise TypeError(f"endpoint must be a str, not {type(url).__name__}")
        if not url.startswith(("http://", "https://")):
            raise HandlerConfigError(f"endpoint {url!r}: want an http:// or https:// URL")
        self._endpoint = url
        return self

    def with_headers(self, headers) -> "OTLPHandlerBuilder":
        """Send these HTTP headers with every request (e.g. authorization)."""
        self._headers.update(_str_mapping(headers, "headers"))
        return self

    def with_compression(self, compression: str) -> "OTLPHandlerBuilder":
        """"gzip" or "none" (the default)."""
        if compression not in _COMPRESSIONS:
            raise HandlerConfigError(f"compression {compression!r}: want 'gzip' or 'none'")
        self._compression = compression
        return self

    def with_timeout_ms(self, timeout_ms: int) -> "OTLPHandlerBuilder":
        """Limit each request, connection included (default 10000)."""
        self._timeout_ms = positive_int(timeout_ms, "timeout (ms)")
        return self

    def with_tls(self, ca_file=None, domain=None, insecure=False) -> "OTLPHandlerBuilder":
        """Verify an https endpoint against the system roots plus ca_file.

        ``domain`` overrides the host name checked; ``insecure=True`` skips
        verification. Needs an https:// endpoint.
        """
        self._tls = tls_options(domain, insecure, ca_file)
        return self

    def with_service_name(self, name: str) -> "OTLPHandlerBuilder":
        """The resource's ``service.name`` (wins over OTEL_SERVICE_NAME)."""
        if not isinstance(name, str):
            raise TypeError(f"service name must be a str, not {type(name).__name__}")
        if not name:
            raise HandlerConfigError("service name must not be empty, got ''")
        self._service_name = name
        return self

    def with_resource(self, attributes) -> "OTLPHandlerBuilder":
        """Add resource attributes (win over OTEL_RESOURCE_ATTRIBUTES)."""
        attributes = _str_mapping(attributes, "resource attributes")
        if "" in attributes:
            raise HandlerConfigError("resource attribute keys must not be empty")
        self._resource.update(attributes)
        return self

    def with_max_batch(self, records: int) -> "OTLPHandlerBuilder":
        """Send a request once this many records are waiting (default 512)."""
        self._max_batch = positive_int(records, "max batch (records)")
        return self

    def with_max_batch_bytes(self, size: int) -> "OTLPHandlerBuilder":
        """Bound a request's encoded records (default 4 MiB)."""
        self._max_batch_bytes = positive_int(size, "max batch (bytes)")
        return self

    def with_batch_delay_ms(self, delay_ms: int) -> "OTLPHandlerBuilder":
        """Send a partial batch this long after its first record (default 1000)."""
        self._batch_delay_ms = positive_int(delay_ms, "batch delay (ms)")
        return self

    def with_retry(self, retry) -> "OTLPHandlerBuilder":
        """The retry schedule: ``{"base_ms": 250, "cap_ms": 5000, "deadline_ms": 60000}``.

        Waits double from base_ms up to cap_ms (a server's Retry-After wins);
        a batch still unsent deadline_ms into an outage is dropped (counted).
        """
        self._retry = retry_values(retry, "retry")
        return self

    def as_dict(self) -> dict:
        """The builder's settings as plain data (the handler spec without "env")."""
        return {
            "kind": "otlp",
            "endpoint": self._endpoint,
            "headers": dict(self._headers),
            "compression": self._compression,
            "timeout_ms": self._timeout_ms,
            "tls": dict(self._tls) if self._tls is not None else None,
            "service_name": self._service_name,
            "resource": dict(self._resource),
            "max_batch": self._max_batch,
            "max_batch_bytes": self._max_batch_bytes,
            "batch_delay_ms": self._batch_delay_ms,
            "retry": dict(self._retry) if self._retry is not None else None,
            "capacity": self._capacity,
            "policy": str(self._policy),
            "flush_timeout_ms": self._flush_timeout_ms,
        }

    def _handler_spec(self) -> dict:
        """The JSON spec for femtolog_handler_create, with the OTEL_* environment."""
        return {**self.as_dict(), "env": otel_environment()}

    def build(self) -> FemtoOTLPHandler:
        """Create the handler and start its worker; it connects on the first batch."""
        spec = self._handler_spec()
        return FemtoOTLPHandler._from_spec(spec, self._endpoint or "(endpoint from the environment)")

    def __repr__(self):
        shown = self.as_dict()
        shown["headers"] = {k: "***" for k in shown["headers"]}  # credentials
        return f"OTLPHandlerBuilder({shown!r})"


# --- dictConfig ------------------------------------------------------------

#: dictConfig class names of the OTLP handler (stdlib has none).
DICT_CONFIG_CLASSES = frozenset({"femtologging.OTLPHandler", "femtologging.FemtoOTLPHandler",
                                 "FemtoOTLPHandler", "OTLPHandler"})
_DICT_CONFIG_KEYS = ("endpoint", "headers", "compression", "timeout_ms", "tls", "service_name",
                     "resource", "max_batch", "max_batch_bytes", "batch_delay_ms", "retry",
                     "capacity", "policy", "flush_timeout_ms")


def dict_config_spec(where, args, kwargs) -> dict:
    """The handler spec for a dictConfig entry: keyword arguments named as
    the spec's fields (no positional ones); the OTEL_* environment is read now."""
    if args:
        raise ValueError(f"dictConfig: {where}: the OTLP handler takes keyword arguments only, got args {list(args)!r}")
    unknown = sorted(set(kwargs) - set(_DICT_CONFIG_KEYS))
    if unknown:
        raise ValueError(f"dictConfig: {where}: unsupported argument(s) {unknown}: want {', '.join(_DICT_CONFIG_KEYS)}")
    return {"kind": "otlp", **kwargs, "env": otel_environment()}
