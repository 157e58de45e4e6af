"""FemtoSyslogHandler and SyslogHandlerBuilder: records sent to a syslog
daemon (rsyslog, syslog-ng) as RFC 5424 or RFC 3164 messages over the
local Unix datagram socket, UDP, TCP or TLS.

The simple mistakes (a bad port or facility, a wrong type) raise
HandlerConfigError here; Go checks the whole spec again at build(), for
C callers and configuration files too, and its errors (a missing CA file,
a header field with a space) arrive as HandlerConfigError as well.
"""

import os

from ._builder_base import PolicyBuilderMixin, QueueBuilderMixin
from ._handler_base import NativeHandler
from .._validate import positive_int, tls_options
from ..errors import HandlerConfigError
from .policy import OverflowPolicy
from .socket_handler import BackoffConfig, ReconnectBuilderMixin

DEFAULT_UNIX_PATH = "/dev/log"
DEFAULT_PORT = 514
DEFAULT_TLS_PORT = 6514
DEFAULT_CAPACITY = 1024
DEFAULT_FLUSH_TIMEOUT_MS = 1000

#: Facility names and codes, as stdlib SysLogHandler.facility_names.
FACILITIES = {
    "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6,
    "news": 7, "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12,
    "security": 13, "console": 14, "solaris-cron": 15,
    **{f"local{i}": 16 + i for i in range(8)},
}
FORMATS = ("rfc5424", "rfc3164")
FRAMINGS = ("octet_counting", "newline")


def facility_code(facility) -> int:
    """A facility name ("local0", case-insensitive) or code (0-23) as its code."""
    if isinstance(facility, str):
        code = FACILITIES.get(facility.lower())
        if code is None:
            raise HandlerConfigError(
                f"unknown syslog facility {facility!r}: want one of {', '.join(FACILITIES)} or a code 0-23"
            )
        return code
    if isinstance(facility, bool) or not isinstance(facility, int):
        raise TypeError(f"facility must be a name or an int, not {type(facility).__name__}")
    if not 0 <= facility <= 23:
        raise HandlerConfigError(f"syslog facility code must be between 0 and 23, got {facility}")
    return facility


def _port(port):
    if isinstance(port, bool) or not isinstance(port, int):
        raise TypeError(f"port must be an int, not {type(port).__name__}")
    if not 1 <= port <= 65535:
        raise HandlerConfigError(f"port must be between 1 and 65535, got {port}")
    return port


def _host(host):
    if not isinstance(host, str):
        raise TypeError(f"host must be a str, not {type(host).__name__}")
    if not host:
        raise HandlerConfigError("host must not be empty, got ''")
    return host


def _field(value, what):
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


class FemtoSyslogHandler(NativeHandler):
    """Sends records from a Go worker to a syslog daemon; see SyslogHandlerBuilder.

    ``get_stats()`` counts records ``delivered`` (handed to the socket),
    ``dropped`` (queue full, no connection past the backoff deadline, or
    unsent at close) and ``failed``. Over UDP a datagram handed to the
    socket counts as delivered: UDP itself never says whether it arrived.
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        raise TypeError("FemtoSyslogHandler is created with SyslogHandlerBuilder().build()")


class SyslogHandlerBuilder(QueueBuilderMixin, PolicyBuilderMixin, ReconnectBuilderMixin):
    """Fluent construction of a FemtoSyslogHandler.

    With no transport it sends RFC 5424 messages to the local daemon's Unix
    datagram socket ``/dev/log``, facility ``user``.
    """

    def __init__(self):
        self._transport = "unix"
        self._unix_path = DEFAULT_UNIX_PATH
        self._host = None
        self._port = None
        self._framing = None
        self._tls = None
        self._format = "rfc5424"
        self._facility = FACILITIES["user"]
        self._fields = {}
        self._max_message_size = None
        self._capacity = DEFAULT_CAPACITY
        self._policy = OverflowPolicy.drop()
        self._connect_timeout_ms = None
        self._write_timeout_ms = None
        self._backoff = BackoffConfig()
        self._flush_timeout_ms = DEFAULT_FLUSH_TIMEOUT_MS

    # Transports -----------------------------------------------------------

    def with_unix_socket(self, path=DEFAULT_UNIX_PATH) -> "SyslogHandlerBuilder":
        """Send datagrams to a local Unix socket (default ``/dev/log``)."""
        path = os.fsdecode(os.fspath(path))
        if not path:
            raise HandlerConfigError("Unix socket path must not be empty, got ''")
        self._transport, self._unix_path = "unix", path
        self._host = self._port = self._framing = self._tls = None
        return self

    def with_udp(self, host: str = "localhost", port: int = DEFAULT_PORT) -> "SyslogHandlerBuilder":
        """Send one datagram per message to host:port (RFC 5426)."""
        self._transport, self._host, self._port = "udp", _host(host), _port(port)
        self._unix_path = self._framing = self._tls = None
        return self

    def with_tcp(self, host: str = "localhost", port: int = None,
                 framing: str = "octet_counting") -> "SyslogHandlerBuilder":
        """Send over TCP (port 514, or 6514 with TLS, by default).

        ``framing`` is ``"octet_counting"`` (RFC 6587: a length before each
        message, which may then hold newlines) or ``"newline"`` (a line per
        message: newlines inside a message become spaces).
        """
        if framing not in FRAMINGS:
            raise HandlerConfigError(f"syslog framing {framing!r}: want one of {', '.join(FRAMINGS)}")
        self._transport, self._host, self._framing = "tcp", _host(host), framing
        self._port = None if port is None else _port(port)
        self._unix_path = None
        return self

    def with_tls(self, domain=None, insecure=False, ca_file=None) -> "SyslogHandlerBuilder":
        """Wrap the TCP connection in TLS (RFC 5425), as SocketHandlerBuilder.with_tls.

        Implies TCP (to localhost:6514 unless with_tcp said otherwise).
        """
        tls = tls_options(domain, insecure, ca_file)
        if self._transport != "tcp":
            if self._transport == "udp":
                raise HandlerConfigError("TLS needs TCP: with_udp() and with_tls() do not combine")
            self._transport, self._host, self._framing, self._unix_path = "tcp", "localhost", "octet_counting", None
        self._tls = tls
        return self

    # Message fields -------------------------------------------------------

    def with_format(self, fmt: str) -> "SyslogHandlerBuilder":
        """``"rfc5424"`` (the default) or ``"rfc3164"`` (BSD syslog)."""
        if fmt not in FORMATS:
            raise HandlerConfigError(f"syslog format {fmt!r}: want one of {', '.join(FORMATS)}")
        self._format = fmt
        return self

    def with_facility(self, facility) -> "SyslogHandlerBuilder":
        """A facility name (``"user"``, ``"daemon"``, ``"local0"``...) or code 0-23."""
        self._facility = facility_code(facility)
        return self

    def with_app_name(self, name: str) -> "SyslogHandlerBuilder":
        """APP-NAME (the RFC 3164 tag); default: the program's file name."""
        self._fields["app_name"] = _field(name, "app name")
        return self

    def with_hostname(self, name: str) -> "SyslogHandlerBuilder":
        """HOSTNAME; default: this machine's host name."""
        self._fields["hostname"] = _field(name, "hostname")
        return self

    def with_procid(self, procid) -> "SyslogHandlerBuilder":
        """PROCID; default: the process id. ``"-"`` leaves it out."""
        self._fields["procid"] = str(procid) if isinstance(procid, int) and not isinstance(procid, bool) \
            else _field(procid, "procid")
        return self

    def with_msgid(self, msgid: str) -> "SyslogHandlerBuilder":
        """MSGID (RFC 5424); default ``"-"``."""
        self._fields["msgid"] = _field(msgid, "msgid")
        return self

    def with_sd_id(self, sd_id: str) -> "SyslogHandlerBuilder":
        """The SD-ID of the element carrying key-values; default ``"fields@32473"``."""
        self._fields["sd_id"] = _field(sd_id, "sd_id")
        return self

    def with_max_message_size(self, size: int) -> "SyslogHandlerBuilder":
        """Truncate datagrams (UDP, Unix) to size bytes; TCP sends messages whole."""
        self._max_message_size = positive_int(size, "max message size")
        return self

    # Queue and connection: with_overflow_policy, with_capacity,
    # with_flush_timeout_ms, with_connect_timeout_ms, with_write_timeout_ms
    # and with_backoff come from the mixins.

    def as_dict(self) -> dict:
        """The builder's settings as plain data (the handler spec)."""
        spec = {
            "kind": "syslog",
            "format": self._format,
            "transport": self._transport,
            "facility": self._facility,
            "capacity": self._capacity,
            "policy": str(self._policy),
            "backoff": self._backoff.as_dict(),
            "flush_timeout_ms": self._flush_timeout_ms,
            **self._fields,
        }
        if self._transport == "unix":
            spec["unix_path"] = self._unix_path
        else:
            spec["host"] = self._host
            spec["port"] = self._port if self._port is not None else (
                DEFAULT_TLS_PORT if self._tls is not None else DEFAULT_PORT)
        if self._transport == "tcp":
            spec["framing"] = self._framing
        if self._tls is not None:
            spec["tls"] = dict(self._tls)
        for key, value in (("max_message_size", self._max_message_size),
                           ("connect_timeout_ms", self._connect_timeout_ms),
                           ("write_timeout_ms", self._write_timeout_ms)):
            if value is not None:
                spec[key] = value
        return spec

    def _description(self) -> str:
        if self._transport == "unix":
            return f"unix:{self._unix_path}"
        scheme = "tls" if self._tls is not None else self._transport
        spec = self.as_dict()
        return f"{scheme}://{spec['host']}:{spec['port']} {self._format}"

    def build(self) -> FemtoSyslogHandler:
        """Create the handler and start its worker; it connects on the first record."""
        if self._max_message_size is not None and self._transport == "tcp":
            raise HandlerConfigError(
                f"max message size {self._max_message_size}: TCP sends messages whole; "
                "the size applies to UDP and Unix sockets"
            )
        return FemtoSyslogHandler._from_spec(self.as_dict(), self._description())

    def __repr__(self):
        return f"SyslogHandlerBuilder({self.as_dict()!r})"
