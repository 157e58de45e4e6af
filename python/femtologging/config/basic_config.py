"""basicConfig: one handler (or the given ones) on the root logger."""

import dataclasses
import sys
from typing import Any, Iterable, Optional

from .. import _native
from .builder import DOCUMENT_VERSION, apply_document
from ..levels import CANONICAL_NAMES, parse_level
from ..logger import get_logger

#: stdlib basicConfig arguments not supported (files are appended to, in UTF-8).
_UNSUPPORTED = ("filemode", "encoding", "errors")

#: stdlib's basicConfig format for each style when format is not given.
_BASIC_FORMATS = {"%": "%(levelname)s:%(name)s:%(message)s", "{": "{levelname}:{name}:{message}",
                  "$": "${levelname}:${name}:${message}"}


@dataclasses.dataclass
class BasicConfig:
    """The arguments of basicConfig, as one value."""

    level: Any = None
    filename: Optional[str] = None
    stream: Any = None
    force: bool = False
    handlers: Optional[Iterable[Any]] = None
    format: Optional[str] = None
    datefmt: Optional[str] = None
    style: Optional[str] = None


def _stream_target(stream):
    if stream is sys.stdout or stream is sys.__stdout__:
        return "stdout"
    if stream is sys.stderr or stream is sys.__stderr__:
        return "stderr"
    raise ValueError(f"basicConfig: stream must be sys.stdout or sys.stderr, got {stream!r}")


def _options(config, kwargs):
    if config is not None:
        if kwargs:
            raise ValueError(
                f"basicConfig: pass either a BasicConfig or keyword arguments, not both "
                f"(got {sorted(kwargs)})"
            )
        if not isinstance(config, BasicConfig):
            raise TypeError(f"basicConfig: expected a BasicConfig, not {type(config).__name__}")
        return config
    for name in _UNSUPPORTED:
        if name in kwargs:
            raise ValueError(
                f"basicConfig: {name!r} is not supported: files are appended to, in UTF-8"
            )
    fields = {f.name for f in dataclasses.fields(BasicConfig)}
    unknown = sorted(set(kwargs) - fields)
    if unknown:
        raise ValueError(f"basicConfig: unrecognised argument(s): {', '.join(unknown)}")
    return BasicConfig(**kwargs)


def basicConfig(config: Optional[BasicConfig] = None, /, **kwargs: Any) -> None:
    """Configure the root logger with a stream or file handler, or given handlers.

    Takes level, filename, stream (sys.stdout or sys.stderr), force and
    handlers, as keyword arguments or a BasicConfig. filename and stream
    exclude each other and handlers (ValueError). Without force, a root
    that already has handlers is left alone, as in stdlib logging; with
    force=True the root's handlers are replaced (handlers built by an
    earlier configuration are flushed and closed; handlers you attached
    yourself are detached, not closed). The root's filters are cleared.
    """
    opts = _options(config, kwargs)
    if opts.filename is not None and opts.stream is not None:
        raise ValueError("basicConfig: 'stream' and 'filename' should not be specified together")
    if opts.handlers is not None and (opts.filename is not None or opts.stream is not None):
        raise ValueError(
            "basicConfig: 'stream' or 'filename' should not be specified together with 'handlers'"
        )
    level = None if opts.level is None else CANONICAL_NAMES[parse_level(opts.level)]
    if not isinstance(opts.force, bool):
        raise TypeError(f"basicConfig: force must be a bool, not {type(opts.force).__name__}")
    formatter = _formatter(opts)
    if formatter is not None and opts.handlers is not None:
        raise ValueError(
            "basicConfig: format, datefmt and style apply to the handler basicConfig creates; "
            "with handlers=, give each handler its formatter (with_formatter)"
        )
    specs, existing = {}, {}
    if opts.handlers is not None:
        handlers = list(opts.handlers)
        existing = {f"basic_{i}": h for i, h in enumerate(handlers)}
    elif opts.filename is not None:
        specs["basic"] = {"kind": "file", "path": _filename(opts.filename)}
    else:
        target = "stderr" if opts.stream is None else _stream_target(opts.stream)
        specs["basic"] = {"kind": "stream", "target": target}
    if formatter is not None:
        specs["basic"]["formatter"] = formatter
    if not opts.force and _root_handler_count():
        return
    root_spec = {"handlers": sorted(specs) + list(existing)}
    if level is not None:
        root_spec["level"] = level
    document = {"version": DOCUMENT_VERSION, "handlers": specs, "root": root_spec}
    apply_document(document, existing, context="basicConfig")


def _formatter(opts):
    """The formatter spec for format/datefmt/style, or None when none is given
    (then the handler writes femtologging's default text). As stdlib, a
    style or datefmt without a format uses stdlib's basic format."""
    if opts.format is None and opts.datefmt is None and opts.style is None:
        return None
    style = "%" if opts.style is None else opts.style
    if style not in _BASIC_FORMATS:
        raise ValueError(f"basicConfig: style must be one of: {','.join(_BASIC_FORMATS)}, got {style!r}")
    spec = {"style": style, "format": _BASIC_FORMATS[style] if opts.format is None else opts.format}
    if opts.datefmt is not None:
        spec["datefmt"] = opts.datefmt
    for key in ("format", "datefmt"):
        if not isinstance(spec.get(key, ""), str):
            raise TypeError(f"basicConfig: {key} must be a str, not {type(spec[key]).__name__}")
    return spec


def _root_handler_count():
    """Handlers on the root, counted in Go (C code may have attached some)."""
    _native.load()
    _native.check_process()
    return _native.logger_handler_count(get_logger("root")._handle)


def _filename(filename):
    import os

    if not isinstance(filename, (str, os.PathLike)):
        raise TypeError(f"basicConfig: filename must be a str or path, not {type(filename).__name__}")
    return os.fspath(filename)
