"""dictConfig: the restricted stdlib dictConfig schema, translated to the
configuration document of the Go engine (docs/config-schema.md).

to_document() does the translation (pure data, no side effects);
dictConfig() applies its result all or nothing.
"""

import ast
import re
from typing import Any, Dict

from ..handlers._retention import compression_value, max_age_seconds, retention_fields
from .builder import DOCUMENT_VERSION, apply_document
from ..errors import HandlerConfigError
from ..handlers.timed_rotating import _at_time
from ..handlers.otlp import DICT_CONFIG_CLASSES as _OTLP, dict_config_spec as _otlp

_STREAM = {"logging.StreamHandler", "StreamHandler", "femtologging.StreamHandler",
           "femtologging.FemtoStreamHandler", "FemtoStreamHandler"}
_FILE = {"logging.FileHandler", "FileHandler", "femtologging.FileHandler",
         "femtologging.FemtoFileHandler", "FemtoFileHandler"}
_ROTATING = {"logging.handlers.RotatingFileHandler", "handlers.RotatingFileHandler",
             "RotatingFileHandler", "femtologging.RotatingFileHandler",
             "femtologging.FemtoRotatingFileHandler", "FemtoRotatingFileHandler"}
_TIMED = {"logging.handlers.TimedRotatingFileHandler", "handlers.TimedRotatingFileHandler",
          "TimedRotatingFileHandler", "femtologging.TimedRotatingFileHandler",
          "femtologging.FemtoTimedRotatingFileHandler", "FemtoTimedRotatingFileHandler"}
_SOCKET = {"logging.handlers.SocketHandler", "handlers.SocketHandler", "SocketHandler",
           "femtologging.SocketHandler", "femtologging.FemtoSocketHandler", "FemtoSocketHandler"}
_SYSLOG = {"logging.handlers.SysLogHandler", "handlers.SysLogHandler", "SysLogHandler",
           "femtologging.FemtoSyslogHandler", "FemtoSyslogHandler"}

_TOP_KEYS = {"version", "incremental", "disable_existing_loggers", "formatters", "filters",
             "handlers", "loggers", "root"}
_STREAM_NAMES = {"stdout": "stdout", "sys.stdout": "stdout", "ext://sys.stdout": "stdout",
                 "stderr": "stderr", "sys.stderr": "stderr", "ext://sys.stderr": "stderr"}
# stdlib writes the stream as a bare expression: args=(sys.stderr,)
_BARE_STREAM = re.compile(r"^\(\s*(?:ext://)?sys\.(stdout|stderr)\s*,?\s*\)$|^(?:ext://)?sys\.(stdout|stderr)$")

_FILE_EXTRAS = ("capacity", "flush_interval", "policy", "flush_timeout_ms")
_SOCKET_EXTRAS = ("capacity", "connect_timeout_ms", "write_timeout_ms", "max_frame_size",
                  "flush_timeout_ms")
_BACKOFF_FIELDS = ("base_ms", "cap_ms", "reset_after_ms", "deadline_ms")


def dictConfig(config: Dict[str, Any]) -> None:
    """Configure logging from a stdlib-style dict (restricted schema).

    Raises ValueError naming the unsupported or invalid item (incremental
    updates, '()' factories, an unknown handler, formatter or filter id, a
    missing root); nothing changes on error.
    """
    apply_document(to_document(config), context="dictConfig")


def to_document(config) -> dict:
    """Translate a dictConfig dict into the engine's configuration document."""
    if not isinstance(config, dict):
        raise TypeError(f"dictConfig: config must be a dict, not {type(config).__name__}")
    unknown = sorted(set(config) - _TOP_KEYS, key=str)
    if unknown:
        raise ValueError(f"dictConfig: unknown key(s) {unknown}")
    if config.get("version") != 1:
        raise ValueError(f"dictConfig: version must be 1, got {config.get('version')!r}")
    if config.get("incremental", False):
        raise ValueError("dictConfig: incremental configuration is not supported")
    disable = config.get("disable_existing_loggers", True)
    if not isinstance(disable, bool):
        raise ValueError(f"dictConfig: disable_existing_loggers must be a bool, got {disable!r}")
    formatters = _mapping(config.get("formatters"), "formatters")
    filters = {k: _filter(k, v) for k, v in _mapping(config.get("filters"), "filters").items()}
    handlers = _mapping(config.get("handlers"), "handlers")
    loggers = _mapping(config.get("loggers"), "loggers")
    if "root" not in config or config["root"] is None:
        raise ValueError("dictConfig: a 'root' section is required")
    doc = {
        "version": DOCUMENT_VERSION,
        "disable_existing_loggers": disable,
        "formatters": {str(k): _formatter(k, v) for k, v in formatters.items()},
        "filters": filters,
        "handlers": {k: handler_spec(k, v, formatters, filters) for k, v in handlers.items()},
        "loggers": {k: _logger(f"loggers.{k}", v, handlers, filters, False) for k, v in loggers.items()},
        "root": _logger("root", config["root"], handlers, filters, True),
    }
    return doc


def _mapping(value, where):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"dictConfig: {where} must be a dict, got {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            raise ValueError(f"dictConfig: {where} keys must be str, got {key!r}")
    return value


def _native_entry(where, spec, why):
    """A formatters or filters entry: a dict, and no '()' factory (the
    engine runs formatters and filters natively; why says so and what to
    write instead)."""
    if not isinstance(spec, dict):
        raise ValueError(f"dictConfig: {where} must be a dict, got {spec!r}")
    if "()" in spec:
        raise ValueError(f"dictConfig: {where}: '()' factories are not supported{why}")


def _only_keys(where, spec, allowed, note=""):
    """Refuse the keys of an entry outside allowed, naming them (sorted)."""
    unknown = sorted(set(spec) - allowed, key=str)
    if unknown:
        raise ValueError(f"dictConfig: {where}: unsupported key(s) {unknown}{note}")


def _renamed(where, bound, aliases):
    """Move each (alias, name) of aliases to its name; both given is an error."""
    for alias, name in aliases:
        if alias in bound:
            if name in bound:
                raise ValueError(f"dictConfig: {where}: both {alias!r} and {name!r} given")
            bound[name] = bound.pop(alias)


_FORMATTER_CLASSES = {None, "logging.Formatter", "Formatter", "femtologging.Formatter"}
_JSON_FORMATTER_CLASSES = {"femtologging.JSONFormatter", "JSONFormatter"}


def _formatter(name, spec):
    """Translate a formatters entry: stdlib's format/datefmt/style/validate
    (run natively), or class femtologging.JSONFormatter with fields/utc."""
    where = f"formatters.{name}"
    _native_entry(where, spec, ": formatters run natively in Go; use format/datefmt/style "
                  "(or class femtologging.JSONFormatter)")
    cls = spec.get("class")
    if cls in _JSON_FORMATTER_CLASSES:
        _only_keys(where, spec, {"class", "fields", "utc"})
        out = {k: spec[k] for k in ("fields", "utc") if k in spec}
        return {"json": out}
    if cls not in _FORMATTER_CLASSES:
        raise ValueError(
            f"dictConfig: {where}.class: unsupported formatter class {cls!r}: want "
            "logging.Formatter (format strings run natively) or femtologging.JSONFormatter"
        )
    _only_keys(where, spec, {"class", "format", "datefmt", "style", "validate", "utc"})
    return {k: spec[k] for k in ("format", "datefmt", "style", "validate", "utc") if spec.get(k) is not None}


def _filter(filter_id, spec):
    """Translate a filters entry: stdlib's logging.Filter(name), which
    passes the records of the logger name and its descendants (every
    record when name is empty), becomes the engine's name filter with the
    same rule."""
    where = f"filters.{filter_id}"
    _native_entry(where, spec, f" for filter {filter_id!r}: filters run natively in Go; use "
                  "{'name': 'logger.name'} (logging.Filter), or ConfigBuilder.with_filter for a "
                  "callable on a logger")
    _only_keys(where, spec, {"name"}, ": a filter takes only 'name'")
    name = spec.get("name", "")
    if not isinstance(name, str):
        raise ValueError(f"dictConfig: {where}.name must be a str, got {name!r}")
    return {"kind": "name", "name": name}


def _filter_ids(where, ids, filters):
    """A filters list of a logger or handler: ids of the filters section."""
    if isinstance(ids, str) or not isinstance(ids, (list, tuple)):
        raise ValueError(f"dictConfig: {where}.filters must be a list of filter ids, got {ids!r}")
    for filter_id in ids:
        if not isinstance(filter_id, str):
            raise ValueError(
                f"dictConfig: {where}.filters: {filter_id!r}: only ids of the filters section are "
                "supported, not filter objects or callables (ConfigBuilder.with_filter takes callables)"
            )
        if filter_id not in filters:
            raise ValueError(f"dictConfig: {where}.filters: unknown filter id {filter_id!r}")
    return list(ids)


def _logger(where, spec, handlers, filters, is_root):
    if not isinstance(spec, dict):
        raise ValueError(f"dictConfig: {where} must be a dict, got {type(spec).__name__}")
    _only_keys(where, spec, {"level", "handlers", "filters"} if is_root
               else {"level", "handlers", "filters", "propagate"})
    out = {}
    if spec.get("level") is not None:
        out["level"] = spec["level"]
    ids = spec.get("handlers") or []
    if isinstance(ids, str) or not isinstance(ids, (list, tuple)):
        raise ValueError(f"dictConfig: {where}.handlers must be a list of handler ids, got {ids!r}")
    for handler_id in ids:
        if handler_id not in handlers:
            raise ValueError(f"dictConfig: {where}.handlers: unknown handler id {handler_id!r}")
    out["handlers"] = list(ids)
    if spec.get("filters") is not None:
        out["filters"] = _filter_ids(where, spec["filters"], filters)
    if "propagate" in spec:
        if not isinstance(spec["propagate"], bool):
            raise ValueError(f"dictConfig: {where}.propagate must be a bool, got {spec['propagate']!r}")
        out["propagate"] = spec["propagate"]
    return out


_HANDLER_KEYS = {"class", "args", "kwargs", "formatter", "level", "filters"}

#: Handler kinds whose protocol fixes the record layout: no formatter.
_RECORD_KINDS = {"socket", "syslog", "http", "otlp"}


def handler_spec(handler_id, spec, formatters=None, filters=None) -> dict:
    """Translate one dictConfig handler entry into a handler spec.

    Besides class/args/kwargs, a handler takes stdlib's formatter (an id of
    the formatters section), level, filters (ids of the filters section,
    translated: a dict of id -> filter object), and the
    handler class's keyword arguments at the top level (filename, mode,
    maxBytes, stream, host, port, ...), as stdlib's dictConfig passes them.
    """
    where = f"handlers.{handler_id}"
    if not isinstance(spec, dict):
        raise ValueError(f"dictConfig: {where} must be a dict, got {type(spec).__name__}")
    if "()" in spec or "." in spec:
        raise ValueError(f"dictConfig: {where}: '()' factories and '.' properties are not supported")
    cls = given = spec.get("class")
    if not isinstance(cls, str):
        raise ValueError(f"dictConfig: {where}.class is required, got {cls!r}")
    # femtologging.handlers (as logging.handlers) names the same classes
    # as the package's top level.
    if cls.startswith("femtologging.handlers."):
        cls = "femtologging." + cls[len("femtologging.handlers."):]
    raw_args, raw_kwargs = spec.get("args"), spec.get("kwargs")
    if cls in _SYSLOG:
        raw_args, raw_kwargs = _syslog_names(raw_args), _syslog_names(raw_kwargs)
    kwargs = _kwargs(where, raw_kwargs)
    for key in sorted(set(spec) - _HANDLER_KEYS, key=str):
        if key in kwargs:
            raise ValueError(f"dictConfig: {where}: {key!r} given both at the top level and in kwargs")
        kwargs[key] = spec[key]
    if cls in _STREAM:
        out = _stream(where, raw_args, kwargs)
    elif cls in _FILE or cls in _ROTATING:
        out = _file(where, cls in _ROTATING, _args(where, raw_args), kwargs)
    elif cls in _TIMED:
        out = _timed(where, _args(where, raw_args), kwargs)
    elif cls in _SOCKET:
        out = _socket(where, _args(where, raw_args), kwargs)
    elif cls in _SYSLOG:
        out = _syslog(where, _args(where, raw_args), kwargs)
    elif cls in _OTLP:
        out = _otlp(where, _args(where, raw_args), kwargs)
    else:
        raise ValueError(f"dictConfig: {where}.class: unsupported handler class {given!r}")
    formatter = spec.get("formatter")
    if formatter is not None and formatter != "default":
        if out["kind"] in _RECORD_KINDS:
            raise ValueError(f"dictConfig: {where}.formatter: {out['kind']} handlers send records, not text")
        if formatter != "json" and formatter not in (formatters or {}):
            raise ValueError(f"unknown formatter id {formatter!r} (dictConfig: {where}.formatter)")
        out["formatter"] = formatter
    if spec.get("level") is not None:
        out["level"] = spec["level"]
    if spec.get("filters") is not None:
        ids = _filter_ids(where, spec["filters"], filters or {})
        if ids:
            out["filters"] = ids
    return out


def _args(where, raw):
    """Positional arguments: a tuple/list, or Python literal text (ast.literal_eval)."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        try:
            raw = ast.literal_eval(raw.strip() or "()")
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"dictConfig: {where}.args: {raw!r} is not a Python literal: {exc}") from None
    return tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)


def _kwargs(where, raw):
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            raw = ast.literal_eval(raw.strip() or "{}")
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"dictConfig: {where}.kwargs: {raw!r} is not a Python literal: {exc}") from None
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise ValueError(f"dictConfig: {where}.kwargs must be a dict with str keys, got {raw!r}")
    return dict(raw)


def _bind(where, names, args, kwargs):
    """Bind positional args to names, then merge kwargs (no duplicates)."""
    if len(args) > len(names):
        raise ValueError(f"dictConfig: {where}.args: at most {len(names)} arguments, got {len(args)}")
    bound = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in bound:
            raise ValueError(f"dictConfig: {where}: {key!r} given both in args and kwargs")
        bound[key] = value
    return bound


def _reject_unknown(where, bound, allowed):
    unknown = sorted(set(bound) - set(allowed))
    if unknown:
        raise ValueError(f"dictConfig: {where}: unsupported argument(s) {unknown}")


def _stream(where, raw_args, kwargs):
    if isinstance(raw_args, str) and _BARE_STREAM.match(raw_args.strip()):
        m = _BARE_STREAM.match(raw_args.strip())
        args = (f"sys.{m.group(1) or m.group(2)}",)
    else:
        args = _args(where, raw_args)
    bound = _bind(where, ("stream",), args, kwargs)
    if "flush_after_ms" in bound:
        bound.setdefault("flush_timeout_ms", bound.pop("flush_after_ms"))
    _reject_unknown(where, bound, ("stream", "capacity", "flush_timeout_ms"))
    stream = bound.pop("stream", None)
    target = "stderr" if stream is None else _STREAM_NAMES.get(stream) if isinstance(stream, str) else None
    if target is None:
        raise ValueError(f"dictConfig: {where}: stream must be sys.stdout or sys.stderr, got {stream!r}")
    return {"kind": "stream", "target": target, **bound}


def _file(where, rotating, args, kwargs):
    names = ("filename", "mode", "maxBytes", "backupCount", "encoding", "delay") if rotating \
        else ("filename", "mode", "encoding", "delay")
    bound = _bind(where, names, args, kwargs)
    _renamed(where, bound, (("path", "filename"), ("maxBytes", "max_bytes"), ("backupCount", "backup_count")))
    extras = _FILE_EXTRAS + (("max_bytes", "backup_count", "compression", "max_age") if rotating else ())
    _reject_unknown(where, bound, ("filename", "mode", "encoding", "delay") + extras)
    filename = bound.pop("filename", None)
    if not isinstance(filename, str) or not filename:
        raise ValueError(f"dictConfig: {where}: a filename is required, got {filename!r}")
    mode = bound.pop("mode", "a")
    if mode != "a":
        raise ValueError(f"dictConfig: {where}: mode {mode!r} is not supported: files are always appended to ('a')")
    encoding = bound.pop("encoding", None)
    if encoding is not None and encoding.lower().replace("-", "") != "utf8":
        raise ValueError(f"dictConfig: {where}: encoding {encoding!r} is not supported: files are UTF-8")
    bound.pop("delay", None)  # files open at build time; delay only defers that
    spec = {"kind": "rotating_file" if rotating else "file", "path": filename, **bound}
    if rotating:
        spec.setdefault("max_bytes", 0)
        spec.setdefault("backup_count", 0)
        _retention(where, spec)
    return spec


def _retention(where, spec):
    """compression and max_age (timedelta or seconds) as spec fields."""
    try:
        compression = compression_value(spec.pop("compression", None))
        max_age = max_age_seconds(spec.pop("max_age", None))
    except (TypeError, ValueError) as exc:
        raise HandlerConfigError(f"dictConfig: {where}: {exc}") from None
    spec.update(retention_fields(compression, max_age))


def _timed(where, args, kwargs):
    """TimedRotatingFileHandler, with stdlib's defaults (when='h', backupCount=0)."""
    names = ("filename", "when", "interval", "backupCount", "encoding", "delay", "utc",
             "atTime", "errors")
    bound = _bind(where, names, args, kwargs)
    _renamed(where, bound, (("path", "filename"), ("backupCount", "backup_count"), ("atTime", "at_time")))
    if bound.pop("errors", None) is not None:
        raise ValueError(f"dictConfig: {where}: errors is not supported: files are UTF-8, strict")
    bound["mode"] = "a"
    timed = {k: bound.pop(k) for k in ("when", "interval", "backup_count", "utc", "at_time",
                                        "compression", "max_age") if k in bound}
    spec = _file(where, False, (), bound)
    spec["kind"] = "timed_rotating_file"
    spec["when"] = timed.pop("when", "h")
    spec["interval"] = timed.pop("interval", 1)
    spec["backup_count"] = timed.pop("backup_count", 0)
    spec["utc"] = timed.pop("utc", False)
    at = timed.pop("at_time", None)
    if at is not None:
        try:
            spec["at_time"] = _at_time(at)
        except (TypeError, ValueError) as exc:
            raise HandlerConfigError(f"dictConfig: {where}: {exc}") from None
    spec.update(timed)
    _retention(where, spec)
    return spec


def _socket(where, args, kwargs):
    if len(args) == 1 or (len(args) == 2 and args[1] is None):
        names = ("unix_path",)
        args = args[:1]
    else:
        names = ("host", "port")
    bound = _bind(where, names, args, kwargs)
    backoff = _backoff(where, bound)
    tls = _tls(where, bound)
    _reject_unknown(where, bound, ("host", "port", "unix_path") + _SOCKET_EXTRAS)
    if "unix_path" in bound:
        if "host" in bound or "port" in bound:
            raise ValueError(f"dictConfig: {where}: give either (host, port) or a unix_path, not both")
        if tls is not None:
            raise HandlerConfigError(f"dictConfig: {where}: TLS only works with TCP, not Unix sockets")
        spec = {"kind": "socket", "transport": "unix", **bound}
    else:
        spec = {"kind": "socket", "transport": "tcp", **bound}
    if tls is not None:
        spec["tls"] = tls
    if backoff:
        spec["backoff"] = backoff
    return spec


def _backoff(where, bound):
    """Collect backoff={...} and the backoff_* aliases into one mapping."""
    backoff = bound.pop("backoff", None) or {}
    if not isinstance(backoff, dict):
        raise ValueError(f"dictConfig: {where}: backoff must be a dict, got {backoff!r}")
    backoff = dict(backoff)
    for field in _BACKOFF_FIELDS:
        alias = "backoff_" + field
        if alias in bound:
            if field in backoff:
                raise ValueError(f"dictConfig: {where}: both {alias!r} and backoff[{field!r}] given")
            backoff[field] = bound.pop(alias)
    unknown = sorted(set(backoff) - set(_BACKOFF_FIELDS))
    if unknown:
        raise ValueError(f"dictConfig: {where}: unknown backoff field(s) {unknown}")
    return backoff


def _tls(where, bound):
    """tls=True/False/"domain"/{...} plus tls_domain, tls_insecure, tls_ca_file."""
    tls = bound.pop("tls", None)
    parts = {k[4:]: bound.pop(k) for k in ("tls_domain", "tls_insecure", "tls_ca_file") if k in bound}
    if tls is False:
        if parts:
            raise ValueError(f"dictConfig: {where}: tls=False with {sorted('tls_' + k for k in parts)}")
        return None
    if tls is None and not parts:
        return None
    if tls is None or tls is True:
        out = {}
    elif isinstance(tls, str):
        out = {"domain": tls}
    elif isinstance(tls, dict):
        out = dict(tls)
    else:
        raise ValueError(f"dictConfig: {where}: tls must be a bool, a domain str or a dict, got {tls!r}")
    for key, value in parts.items():
        if key in out:
            raise ValueError(f"dictConfig: {where}: tls {key!r} given twice")
        out[key] = value
    return {"domain": out.pop("domain", None), "insecure": out.pop("insecure", False),
            "ca_file": out.pop("ca_file", None), **out}


_SYSLOG_EXTRAS = ("format", "framing", "app_name", "hostname", "procid", "msgid", "sd_id",
                  "max_message_size", "capacity", "policy", "connect_timeout_ms",
                  "write_timeout_ms", "flush_timeout_ms")
# socket.SOCK_STREAM is 1 and socket.SOCK_DGRAM is 2 on Linux.
_SOCKTYPES = {1: "tcp", 2: "udp", "ext://socket.SOCK_STREAM": "tcp", "socket.SOCK_STREAM": "tcp",
              "SOCK_STREAM": "tcp", "ext://socket.SOCK_DGRAM": "udp", "socket.SOCK_DGRAM": "udp",
              "SOCK_DGRAM": "udp", "tcp": "tcp", "udp": "udp"}


# fileConfig INI files name SysLogHandler's constants, which
# ast.literal_eval cannot read: handlers.SysLogHandler.LOG_LOCAL0,
# socket.SOCK_STREAM.
_SYSLOG_NAME = re.compile(r"\b(?:logging\.)?(?:handlers\.)?SysLogHandler\.(LOG_[A-Z0-9_]+)\b"
                          r"|(?:ext://)?\bsocket\.(SOCK_STREAM|SOCK_DGRAM)\b")


def _syslog_names(raw):
    """Replace SysLogHandler.LOG_* and socket.SOCK_* in literal text by their values."""
    if not isinstance(raw, str):
        return raw
    import logging.handlers
    import socket

    def value(m):
        if m.group(1):
            code = getattr(logging.handlers.SysLogHandler, m.group(1), None)
            return m.group(0) if code is None else str(code)
        return str(int(getattr(socket, m.group(2))))

    return _SYSLOG_NAME.sub(value, raw)


def _syslog(where, args, kwargs):
    """stdlib SysLogHandler(address=("localhost", 514), facility="user", socktype=None)."""
    bound = _bind(where, ("address", "facility", "socktype"), args, kwargs)
    backoff = _backoff(where, bound)
    tls = _tls(where, bound)
    _reject_unknown(where, bound, ("address", "facility", "socktype") + _SYSLOG_EXTRAS)
    address = bound.pop("address", ("localhost", 514))
    facility = bound.pop("facility", "user")
    if facility is not None:
        bound["facility"] = facility
    socktype = bound.pop("socktype", None)
    if socktype is not None and socktype not in _SOCKTYPES:
        raise HandlerConfigError(
            f"dictConfig: {where}: socktype {socktype!r}: want socket.SOCK_DGRAM or socket.SOCK_STREAM"
        )
    if isinstance(address, str):
        if socktype is not None and _SOCKTYPES[socktype] == "tcp":
            raise HandlerConfigError(
                f"dictConfig: {where}: Unix stream sockets are not supported for syslog "
                f"({address!r}); /dev/log and rsyslog's sockets are datagram sockets"
            )
        if tls is not None:
            raise HandlerConfigError(f"dictConfig: {where}: TLS only works with TCP, not Unix sockets")
        spec = {"kind": "syslog", "transport": "unix", "unix_path": address, **bound}
    elif isinstance(address, (tuple, list)) and len(address) == 2:
        host, port = address
        # stdlib's default for a (host, port) address is UDP; TLS implies TCP.
        transport = _SOCKTYPES[socktype] if socktype is not None else ("tcp" if tls is not None else "udp")
        spec = {"kind": "syslog", "transport": transport, "host": host, "port": port, **bound}
    else:
        raise HandlerConfigError(
            f"dictConfig: {where}: address must be a (host, port) pair or a Unix socket path, got {address!r}"
        )
    if tls is not None:
        if spec["transport"] != "tcp":
            raise HandlerConfigError(f"dictConfig: {where}: TLS needs socktype SOCK_STREAM, not UDP")
        spec["tls"] = tls
    if backoff:
        spec["backoff"] = backoff
    return spec
