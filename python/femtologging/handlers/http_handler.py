"""FemtoHTTPHandler and HTTPHandlerBuilder: records posted in batches, as
JSON lines or a JSON array, to an HTTP(S) endpoint.

Each record is one JSON object: time (RFC 3339, UTC), logger, level,
levelno, message, thread_id, thread_name and, when the record has
key-values, fields. A batch that meets 429, 502, 503 or 504 (or a network
error) is retried with backoff, honouring Retry-After, until the retry
deadline; other statuses drop it. Dropped records are counted.
"""

from urllib.parse import urlsplit

from ._builder_base import PolicyBuilderMixin, QueueBuilderMixin
from ._handler_base import NativeHandler
from .._validate import RETRY_KEYS, config_object, int_setting, positive_int, retry_values, tls_options
from ..errors import HandlerConfigError
from .policy import OverflowPolicy

DEFAULT_CAPACITY = 1024
DEFAULT_FLUSH_TIMEOUT_MS = 1000
FORMATS = ("json_lines", "json_array")
METHODS = ("POST", "PUT")


class RetryConfig:
    """How a batch is retried: ``{"base_ms": 100, "cap_ms": 5000, "deadline_ms": 120000}``.

    The wait starts at base_ms and doubles (with jitter) up to cap_ms; a
    server's Retry-After replaces it. A batch not delivered within
    deadline_ms is dropped (and counted).
    """

    KEYS = RETRY_KEYS
    DEFAULTS = {"base_ms": 100, "cap_ms": 5000, "deadline_ms": 120000}

    __slots__ = ("_values",)

    def __init__(self, values=None):
        merged = dict(self.DEFAULTS)
        merged.update(retry_values({} if values is None else values, "RetryConfig"))
        if merged["cap_ms"] < merged["base_ms"]:
            raise HandlerConfigError(
                f"retry cap_ms {merged['cap_ms']} must not be less than base_ms {merged['base_ms']}"
            )
        self._values = merged

    def as_dict(self) -> dict:
        return dict(self._values)

    def __repr__(self):
        return f"RetryConfig({self._values!r})"


class FemtoHTTPHandler(NativeHandler):
    """Posts batches of records from a Go worker; see HTTPHandlerBuilder.

    ``get_stats()``: ``delivered`` records were in a batch the server
    answered with 2xx; ``dropped`` ones were refused by the queue, rejected
    by the server, or not delivered within the retry deadline or close().
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        raise TypeError("FemtoHTTPHandler is created with HTTPHandlerBuilder(url).build()")


class HTTPHandlerBuilder(QueueBuilderMixin, PolicyBuilderMixin):
    """Fluent construction of a FemtoHTTPHandler posting to ``url``."""

    def __init__(self, url: str):
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise HandlerConfigError(f"URL {url!r}: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HandlerConfigError(f"URL {url!r}: want an http:// or https:// URL with a host")
        if port == 0:
            raise HandlerConfigError(f"URL {url!r}: port must be between 1 and 65535")
        self._url = url
        self._method = "POST"
        self._format = "json_lines"
        self._headers = {}
        self._auth = {}
        self._tls = None
        self._gzip = False
        self._ints = {}
        self._retry = RetryConfig()
        self._capacity = DEFAULT_CAPACITY
        self._policy = OverflowPolicy.drop()
        self._flush_timeout_ms = DEFAULT_FLUSH_TIMEOUT_MS

    def with_method(self, method: str) -> "HTTPHandlerBuilder":
        """``"POST"`` (default) or ``"PUT"``."""
        if method not in METHODS:
            raise HandlerConfigError(f"HTTP method {method!r}: want POST or PUT")
        self._method = method
        return self

    def with_format(self, fmt: str) -> "HTTPHandlerBuilder":
        """``"json_lines"`` (default, application/x-ndjson) or ``"json_array"``."""
        if fmt not in FORMATS:
            raise HandlerConfigError(f"HTTP body format {fmt!r}: want one of {', '.join(FORMATS)}")
        self._format = fmt
        return self

    def with_header(self, name: str, value: str) -> "HTTPHandlerBuilder":
        """Send an extra header with every request."""
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("with_header takes (name: str, value: str)")
        self._headers[name] = value
        return self

    def with_basic_auth(self, username: str, password: str) -> "HTTPHandlerBuilder":
        """HTTP basic authentication."""
        if not isinstance(username, str) or not isinstance(password, str):
            raise TypeError("with_basic_auth takes (username: str, password: str)")
        self._auth = {"basic_auth": {"username": username, "password": password}}
        return self

    def with_bearer_token(self, token: str) -> "HTTPHandlerBuilder":
        """``Authorization: Bearer <token>``."""
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, not {type(token).__name__}")
        self._auth = {"bearer_token": token}
        return self

    def with_tls(self, domain=None, insecure=False, ca_file=None) -> "HTTPHandlerBuilder":
        """Verify an https server with extra CAs (``ca_file``), another name, or not at all."""
        self._tls = tls_options(domain, insecure, ca_file)
        return self

    def with_gzip(self, enabled: bool = True) -> "HTTPHandlerBuilder":
        """Compress request bodies (Content-Encoding: gzip)."""
        self._gzip = bool(enabled)
        return self

    def _int(self, key, value, what):
        self._ints[key] = positive_int(value, what)
        return self

    def with_timeout_ms(self, timeout_ms: int) -> "HTTPHandlerBuilder":
        """Bound each request, connect to response (default 10000)."""
        return self._int("timeout_ms", timeout_ms, "timeout (ms)")

    def with_connect_timeout_ms(self, timeout_ms: int) -> "HTTPHandlerBuilder":
        """Bound each connect and TLS handshake (default 5000)."""
        return self._int("connect_timeout_ms", timeout_ms, "connect timeout (ms)")

    def with_batch_size(self, records: int = None, bytes: int = None) -> "HTTPHandlerBuilder":
        """Send a batch once it holds this many records (default 1000) or bytes (1 MiB)."""
        if records is not None:
            self._int("max_batch_records", records, "batch size (records)")
        if bytes is not None:
            self._int("max_batch_bytes", bytes, "batch size (bytes)")
        return self

    def with_batch_delay_ms(self, delay_ms: int) -> "HTTPHandlerBuilder":
        """Let a small batch wait up to delay_ms for more records (default 0)."""
        self._ints["batch_delay_ms"] = int_setting(delay_ms, "batch delay", "batch_delay_ms")
        return self

    def with_retry(self, retry) -> "HTTPHandlerBuilder":
        """The retry schedule (a RetryConfig or its mapping)."""
        self._retry = config_object(retry, RetryConfig, "with_retry")
        return self

    def as_dict(self) -> dict:
        """The builder's settings as plain data (the handler spec)."""
        spec = {
            "kind": "http",
            "url": self._url,
            "method": self._method,
            "format": self._format,
            "gzip": self._gzip,
            "retry": self._retry.as_dict(),
            "capacity": self._capacity,
            "policy": str(self._policy),
            "flush_timeout_ms": self._flush_timeout_ms,
            **self._ints,
            **self._auth,
        }
        if self._headers:
            spec["headers"] = dict(self._headers)
        if self._tls is not None:
            spec["tls"] = dict(self._tls)
        return spec

    def build(self) -> FemtoHTTPHandler:
        """Create the handler and start its worker; it connects on the first batch."""
        return FemtoHTTPHandler._from_spec(self.as_dict(), f"{self._method} {self._url}")

    def __repr__(self):
        return f"HTTPHandlerBuilder({self.as_dict()!r})"
