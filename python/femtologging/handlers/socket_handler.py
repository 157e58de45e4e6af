"""FemtoSocketHandler, SocketHandlerBuilder and BackoffConfig: records sent
as MessagePack frames over TCP, TLS or a Unix socket (docs/socket-frames.md).

Settings are checked here, before anything crosses into Go, so mistakes
raise HandlerConfigError naming the bad value; Go checks them again for
C callers and configuration files.
"""

import os
from collections.abc import Mapping
from typing import Any, Dict, Optional, TypeVar

from .. import _utf8
from ._builder_base import LevelBuilderMixin, QueueBuilderMixin
from ._handler_base import NativeHandler
from .._validate import config_object, positive_int, tls_options
from ..errors import HandlerConfigError

DEFAULT_HOST = "localhost"
DEFAULT_PORT = 9020
DEFAULT_CAPACITY = 1024
DEFAULT_CONNECT_TIMEOUT_MS = 5000
DEFAULT_WRITE_TIMEOUT_MS = 1000
DEFAULT_MAX_FRAME_SIZE = 1 << 20
DEFAULT_FLUSH_TIMEOUT_MS = 1000
#: The largest payload the 4-byte length prefix can describe.
MAX_FRAME_LIMIT = (1 << 32) - 1
#: sun_path's size on Linux, less the terminating NUL.
_MAX_UNIX_PATH = 107

_BUILD_TOKEN = object()
_B = TypeVar("_B", bound="ReconnectBuilderMixin")


class BackoffConfig:
    """The reconnect schedule of a socket handler.

    ``BackoffConfig({"base_ms": 100, "cap_ms": 5000, "reset_after_ms": 30000,
    "deadline_ms": 120000})`` — every key optional (those are the defaults):

    - ``base_ms``: the wait after the first failed connect; it doubles with
      each failure (with random jitter over the upper half) up to ``cap_ms``.
    - ``reset_after_ms``: a connection healthy this long starts the schedule
      over when it breaks.
    - ``deadline_ms``: how long records wait for a connection; past it they
      are dropped (and counted) until a connect succeeds.
    """

    KEYS = ("base_ms", "cap_ms", "reset_after_ms", "deadline_ms")
    DEFAULTS = {"base_ms": 100, "cap_ms": 5000, "reset_after_ms": 30000, "deadline_ms": 120000}

    __slots__ = ("_values",)

    def __init__(self, values: Optional[Mapping[str, Any]] = None) -> None:
        if values is None:
            values = {}
        if not isinstance(values, Mapping):
            raise TypeError(f"BackoffConfig takes a mapping, not {type(values).__name__}")
        unknown = sorted(str(k) for k in values if k not in self.KEYS)
        if unknown:
            raise HandlerConfigError(
                f"unknown BackoffConfig key(s) {', '.join(map(repr, unknown))}: "
                f"want {', '.join(self.KEYS)}"
            )
        merged = dict(self.DEFAULTS)
        for key, value in values.items():
            merged[key] = positive_int(value, f"backoff {key}")
        if merged["cap_ms"] < merged["base_ms"]:
            raise HandlerConfigError(
                f"backoff cap_ms {merged['cap_ms']} must not be less than base_ms {merged['base_ms']}"
            )
        self._values = merged

    def as_dict(self) -> Dict[str, Any]:
        """The four settings, defaults filled in."""
        return dict(self._values)

    def __eq__(self, other):
        return isinstance(other, BackoffConfig) and other._values == self._values

    def __repr__(self):
        return f"BackoffConfig({self._values!r})"


class ReconnectBuilderMixin:
    """with_connect_timeout_ms(), with_write_timeout_ms() and with_backoff(),
    shared by the builders of the handlers that keep a connection (socket,
    syslog)."""

    def with_connect_timeout_ms(self: _B, timeout_ms: int) -> _B:
        """Limit each connection attempt, TLS handshake included (default 5000)."""
        self._connect_timeout_ms = positive_int(timeout_ms, "connect timeout (ms)")
        return self

    def with_write_timeout_ms(self: _B, timeout_ms: int) -> _B:
        """Limit each write (default 1000); close() waits at most this plus a short grace."""
        self._write_timeout_ms = positive_int(timeout_ms, "write timeout (ms)")
        return self

    def with_backoff(self: _B, backoff: "BackoffConfig | Mapping[str, Any]") -> _B:
        """The reconnect schedule: a BackoffConfig, or a mapping made into one."""
        self._backoff = config_object(backoff, BackoffConfig, "with_backoff")
        return self


class FemtoSocketHandler(NativeHandler):
    """Sends records from a Go worker to a socket; see SocketHandlerBuilder.

    Create it with ``SocketHandlerBuilder().build()``. ``get_stats()`` counts
    records ``delivered`` (written to the socket), ``dropped`` (queue full,
    oversize, or no connection past the backoff deadline, or unsent at
    close) and ``failed``.
    """

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("FemtoSocketHandler is created with SocketHandlerBuilder().build()")


class SocketHandlerBuilder(QueueBuilderMixin, ReconnectBuilderMixin, LevelBuilderMixin):
    """Fluent construction of a FemtoSocketHandler.

    With no transport it targets TCP ``localhost:9020``.
    """

    def __init__(self) -> None:
        self._transport = "tcp"
        self._host = DEFAULT_HOST
        self._port = DEFAULT_PORT
        self._unix_path = None
        self._capacity = DEFAULT_CAPACITY
        self._connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS
        self._write_timeout_ms = DEFAULT_WRITE_TIMEOUT_MS
        self._max_frame_size = DEFAULT_MAX_FRAME_SIZE
        self._tls = None
        self._backoff = BackoffConfig()
        self._flush_timeout_ms = DEFAULT_FLUSH_TIMEOUT_MS
        self._level = None

    def with_tcp(self, host: str, port: int) -> "SocketHandlerBuilder":
        """Send to host:port over TCP (the default transport)."""
        if not isinstance(host, str):
            raise TypeError(f"host must be a str, not {type(host).__name__}")
        if not host:
            raise HandlerConfigError("host must not be empty, got ''")
        if isinstance(port, bool) or not isinstance(port, int):
            raise TypeError(f"port must be an int, not {type(port).__name__}")
        if not 1 <= port <= 65535:
            raise HandlerConfigError(f"port must be between 1 and 65535, got {port}")
        self._transport, self._host, self._port, self._unix_path = "tcp", host, port, None
        return self

    def with_unix_path(self, path: "str | os.PathLike[str]") -> "SocketHandlerBuilder":
        """Send to a Unix stream socket at path (TLS cannot be combined)."""
        path = os.fsdecode(os.fspath(path))
        if not path:
            raise HandlerConfigError("Unix socket path must not be empty, got ''")
        if len(_utf8.encode(path)) > _MAX_UNIX_PATH:
            raise HandlerConfigError(
                f"Unix socket path {path!r} is {len(_utf8.encode(path))} bytes, "
                f"longer than the {_MAX_UNIX_PATH} a socket path allows"
            )
        if self._tls is not None:
            raise HandlerConfigError(
                f"TLS needs the TCP transport, not the Unix socket {path!r}: drop with_tls()"
            )
        self._transport, self._unix_path = "unix", path
        return self

    def with_max_frame_size(self, size: int) -> "SocketHandlerBuilder":
        """Drop (and count) records whose frame payload exceeds size bytes (default 1 MiB)."""
        size = positive_int(size, "max frame size")
        if size > MAX_FRAME_LIMIT:
            raise HandlerConfigError(
                f"max frame size must be at most {MAX_FRAME_LIMIT} (the 4-byte length prefix), got {size}"
            )
        self._max_frame_size = size
        return self

    def with_tls(self, domain: Optional[str] = None, insecure: bool = False,
                 ca_file: "str | os.PathLike[str] | None" = None) -> "SocketHandlerBuilder":
        """Wrap the TCP connection in TLS.

        The server's certificate and host name (``domain``, or the host given
        to with_tcp) are verified against the system roots, plus the PEM
        certificates of ``ca_file`` for a private CA. ``insecure=True`` skips
        verification. A failed handshake never falls back to plaintext.
        """
        tls = tls_options(domain, insecure, ca_file)
        if self._transport == "unix":
            raise HandlerConfigError(
                f"TLS needs the TCP transport, not the Unix socket {self._unix_path!r}"
            )
        self._tls = tls
        return self

    def _handler_spec(self) -> dict:
        """The JSON spec for femtolog_handler_create."""
        return self.as_dict()

    def as_dict(self) -> Dict[str, Any]:
        """The builder's settings as plain data (the handler spec)."""
        tcp = self._transport == "tcp"
        return {
            "kind": "socket",
            "transport": self._transport,
            "host": self._host if tcp else None,
            "port": self._port if tcp else None,
            "unix_path": None if tcp else self._unix_path,
            "capacity": self._capacity,
            "connect_timeout_ms": self._connect_timeout_ms,
            "write_timeout_ms": self._write_timeout_ms,
            "max_frame_size": self._max_frame_size,
            "tls": dict(self._tls) if self._tls is not None else None,
            "backoff": self._backoff.as_dict(),
            "flush_timeout_ms": self._flush_timeout_ms,
            **({"level": self._level} if self._level is not None else {}),
        }

    def _description(self) -> str:
        if self._transport == "unix":
            return f"unix:{self._unix_path}"
        scheme = "tls" if self._tls is not None else "tcp"
        return f"{scheme}://{self._host}:{self._port}"

    def build(self) -> FemtoSocketHandler:
        """Create the handler and start its worker; it connects on the first record."""
        return FemtoSocketHandler._from_spec(self._handler_spec(), self._description())

    def __repr__(self):
        return f"SocketHandlerBuilder({self.as_dict()!r})"
