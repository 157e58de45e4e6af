"""ConfigBuilder and friends, and the one path every configuration takes.

basicConfig, ConfigBuilder, dictConfig and fileConfig all build a JSON
document (docs/config-schema.md) and hand it to apply_document(), which
calls femtolog_config_apply: Go validates the whole document, builds the
handlers and swaps everything in at once, or changes nothing.
"""

import json
from typing import Any, Callable, Dict, Iterable, Mapping, Union

from .. import _native, _utf8
from ..handlers._handler_base import NativeHandler
from ..errors import HandlerConfigError
from ..filters import LevelFilterBuilder, NameFilterBuilder
from ..levels import CANONICAL_NAMES, parse_level
from ..logger import (
    get_logger,
    handler_handle,
    refresh_thresholds,
    registered_loggers,
    remember_handler,
    set_callback_filters,
)

#: A callback filter: f(record) -> bool | Mapping (see ConfigBuilder.with_filter).
CallbackFilter = Callable[[Mapping[str, Any]], Union[bool, Mapping[str, Any]]]

DOCUMENT_VERSION = 1
DEFAULT_FLUSH_TIMEOUT_MS = 1000


class ConfiguredHandler(NativeHandler):
    """A built-in handler that a configuration built (found in logger.handlers).

    It supports handle(), flush(), close() and get_stats() like the handler
    its builder would have built. logger.remove_handler(h) detaches it from
    that logger (records already queued still reach it) without closing it;
    a later configuration that leaves it attached to no logger flushes and
    closes it, and femtologging closes it at exit.
    """

    __slots__ = ("_kind", "_id")

    def __init__(self, handle: int, handler_id: str, spec: Dict[str, Any]) -> None:
        # The Go handler exists already: adopt its handle instead of
        # creating one from the spec.
        self._handle = handle
        self._closed = False
        self._flush_timeout_s = spec.get("flush_timeout_ms", DEFAULT_FLUSH_TIMEOUT_MS) / 1000.0
        self._kind = spec.get("kind")
        self._id = handler_id
        self._description = f"{self._kind} {handler_id!r}"

    @property
    def kind(self) -> str:
        """The spec kind, e.g. "stream" or "file"."""
        return self._kind

    @property
    def handler_id(self) -> str:
        """The id the configuration gave the handler."""
        return self._id


def apply_document(document, existing=None, context="configuration", callback_filters=None):
    """Apply a configuration document through the Go engine, all or nothing.

    existing maps handler ids to handler objects the caller already has
    (built-in handlers or Python objects); they join the document as
    {"handle": N}. callback_filters maps logger names to the callback
    filters (callables) they get. Afterwards every Python logger shows the
    handlers the configuration attached, every configured logger has
    exactly the callback filters given (none when not named), and cached
    levels are refreshed.
    """
    _native.load()
    _native.check_process()
    # Lone surrogates in names and values become escapes here, once, so
    # that the ids and names below match what Go was given.
    document = _utf8.clean_document(dict(document))
    handlers = dict(document.get("handlers") or {})
    objects = {}
    for handler_id, handler in (existing or {}).items():
        handler_id = _utf8.clean(handler_id)
        handlers[handler_id] = {"handle": handler_handle(handler)}
        objects[handler_id] = handler
    document["handlers"] = handlers
    data = json.dumps(document).encode("utf-8")
    _native.config_apply(data, context)
    handles = {}
    for handler_id, spec in handlers.items():
        handles[handler_id] = _native.config_get_handler(_utf8.encode(handler_id))
        if handler_id not in objects:
            objects[handler_id] = ConfiguredHandler(handles[handler_id], handler_id, spec)
    for handler_id, handle in handles.items():
        # logger.handlers asks Go for each logger's handles; this is the
        # object each configured one stands for.
        remember_handler(handle, objects[handler_id])
    _sync_callback_filters(document, callback_filters or {})
    refresh_thresholds()


def _sync_callback_filters(document, callback_filters):
    """Give each logger the document configures its callback filters (or
    none: a configuration replaces a logger's filters)."""
    configured = ["root", *(document.get("loggers") or {})]
    for name in configured:
        set_callback_filters(get_logger(name), callback_filters.get(name, ()))
    if document.get("disable_existing_loggers"):
        for name, logger in registered_loggers().items():
            if name not in configured and not any(c.startswith(name + ".") for c in configured):
                set_callback_filters(logger, ())


def _level_name(level):
    return CANONICAL_NAMES[parse_level(level)]


def _bool(value, what):
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, not {type(value).__name__}")
    return value


def _id(value, what):
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be a non-empty str, got {value!r}")
    return value


class FormatterBuilder:
    """A formatter declaration: a stdlib format string, run natively in Go.

    Declared with ConfigBuilder.with_formatter(id, builder); handlers name it
    with with_formatter(id). Unset fields take stdlib's defaults (format
    "%(message)s", asctime "%Y-%m-%d %H:%M:%S,mmm", style "%"). A bad format
    raises HandlerConfigError when the configuration is applied.
    """

    def __init__(self) -> None:
        self._format = None
        self._datefmt = None
        self._style = None

    def with_format(self, fmt: str) -> "FormatterBuilder":
        self._format = _id(fmt, "format")
        return self

    def with_datefmt(self, datefmt: str) -> "FormatterBuilder":
        self._datefmt = _id(datefmt, "datefmt")
        return self

    def with_style(self, style: str) -> "FormatterBuilder":
        """"%" (default), "{" or "$", as stdlib's Formatter style."""
        if style not in ("%", "{", "$"):
            raise ValueError(f"style must be one of '%', '{{', '$', got {style!r}")
        self._style = style
        return self

    def as_dict(self) -> Dict[str, Any]:
        out = {}
        if self._format is not None:
            out["format"] = self._format
        if self._datefmt is not None:
            out["datefmt"] = self._datefmt
        if self._style is not None:
            out["style"] = self._style
        return out

    def __repr__(self):
        return f"FormatterBuilder({self.as_dict()!r})"


class LoggerConfigBuilder:
    """The configuration of one logger (or the root).

    Unset fields take the engine's defaults: no handlers, no filters,
    propagate True, and the default level (or, for the root, its current
    level).
    """

    def __init__(self) -> None:
        self._spec = {}

    def with_level(self, level: "int | str") -> "LoggerConfigBuilder":
        self._spec["level"] = _level_name(level)
        return self

    def with_handlers(self, handler_ids: Iterable[str]) -> "LoggerConfigBuilder":
        """Attach the handlers declared with ConfigBuilder.with_handler, in order."""
        self._spec["handlers"] = [_id(i, "handler id") for i in _sequence(handler_ids, "handler ids")]
        return self

    def with_filters(self, filter_ids: Iterable[str]) -> "LoggerConfigBuilder":
        """Run the filters declared with ConfigBuilder.with_filter, in this order."""
        self._spec["filters"] = [_id(i, "filter id") for i in _sequence(filter_ids, "filter ids")]
        return self

    def with_propagate(self, propagate: bool) -> "LoggerConfigBuilder":
        self._spec["propagate"] = _bool(propagate, "propagate")
        return self

    def as_dict(self) -> Dict[str, Any]:
        return {k: list(v) if isinstance(v, list) else v for k, v in self._spec.items()}

    def __repr__(self):
        return f"LoggerConfigBuilder({self.as_dict()!r})"


def _is_callback(builder):
    """A callback filter: a callable that is not one of the filter builders."""
    return builder is not None and not isinstance(builder, (LevelFilterBuilder, NameFilterBuilder))


def _sequence(values, what):
    if isinstance(values, str):
        raise TypeError(f"{what} must be a list of str, not a single str {values!r}")
    return list(values)


class ConfigBuilder:
    """Declarative configuration of handlers, filters and loggers.

    build_and_init() validates the whole configuration in the Go engine
    before changing anything: a failure leaves every logger as it was.
    """

    def __init__(self) -> None:
        self._handlers = {}
        self._handler_filters = {}
        self._filters = {}
        self._formatters = {}
        self._loggers = {}
        self._root = None
        self._default_level = None
        self._disable_existing = False

    def with_handler(self, handler_id: str, builder: Any,
                     filters: "Iterable[str] | None" = None) -> "ConfigBuilder":
        """Declare a handler built from a handler builder (StreamHandlerBuilder, ...).

        filters are ids of filters declared with with_filter (built-in
        ones: LevelFilterBuilder, NameFilterBuilder): the handler's own
        filters, as stdlib handlers have, run in order on every record
        that reaches the handler, propagated ones included.
        """
        if not callable(getattr(builder, "_handler_spec", None)):
            raise TypeError(f"handler {handler_id!r}: {builder!r} is not a handler builder")
        handler_id = _id(handler_id, "handler id")
        self._handlers[handler_id] = builder
        self._handler_filters.pop(handler_id, None)
        if filters is not None:
            ids = [_id(i, "filter id") for i in _sequence(filters, "filter ids")]
            if ids:
                self._handler_filters[handler_id] = ids
        return self

    def with_filter(self, filter_id: str, builder: "LevelFilterBuilder | NameFilterBuilder | CallbackFilter") -> "ConfigBuilder":
        """Declare a filter: LevelFilterBuilder, NameFilterBuilder, or a
        callback filter, a callable f(record) -> bool | Mapping run on the
        caller's thread before the record is queued (a mapping keeps the
        record and adds its items to the record's key-values)."""
        if not isinstance(builder, (LevelFilterBuilder, NameFilterBuilder)) and not callable(builder):
            raise TypeError(
                f"filter {filter_id!r}: {builder!r} is neither a filter builder nor a callable")
        self._filters[_id(filter_id, "filter id")] = builder
        return self

    def with_formatter(self, formatter_id: str, builder: FormatterBuilder) -> "ConfigBuilder":
        """Declare a formatter; handler builders name it with with_formatter(id)."""
        if not isinstance(builder, FormatterBuilder):
            raise TypeError(f"formatter {formatter_id!r}: {builder!r} is not a FormatterBuilder")
        self._formatters[_id(formatter_id, "formatter id")] = builder
        return self

    def with_logger(self, name: str, builder: LoggerConfigBuilder) -> "ConfigBuilder":
        if not isinstance(builder, LoggerConfigBuilder):
            raise TypeError(f"logger {name!r}: {builder!r} is not a LoggerConfigBuilder")
        self._loggers[_id(name, "logger name")] = builder
        return self

    def with_root_logger(self, builder: LoggerConfigBuilder) -> "ConfigBuilder":
        if not isinstance(builder, LoggerConfigBuilder):
            raise TypeError(f"root logger: {builder!r} is not a LoggerConfigBuilder")
        self._root = builder
        return self

    def with_default_level(self, level: "int | str") -> "ConfigBuilder":
        """The level of configured loggers that set none themselves."""
        self._default_level = _level_name(level)
        return self

    def with_disable_existing_loggers(self, disable: bool) -> "ConfigBuilder":
        """Clear handlers and filters of existing loggers this configuration omits
        (their ancestors, and the ancestors of configured loggers, are kept)."""
        self._disable_existing = _bool(disable, "disable_existing_loggers")
        return self

    def _handler(self, handler_id, spec):
        """A handler's spec with its filter ids, if it has any."""
        ids = self._handler_filters.get(handler_id)
        return {**spec, "filters": list(ids)} if ids else spec

    def _document(self, handler_spec):
        doc = {
            "version": DOCUMENT_VERSION,
            "handlers": {i: self._handler(i, handler_spec(b)) for i, b in self._handlers.items()},
            "filters": {i: b.as_dict() for i, b in self._filters.items() if not _is_callback(b)},
            "formatters": {i: b.as_dict() for i, b in self._formatters.items()},
            "loggers": {n: b.as_dict() for n, b in self._loggers.items()},
            "disable_existing_loggers": self._disable_existing,
        }
        if self._root is not None:
            doc["root"] = self._root.as_dict()
        if self._default_level is not None:
            doc["default_level"] = self._default_level
        return doc

    def as_dict(self) -> Dict[str, Any]:
        """The configuration as plain data (formatter and filter callables stay callables)."""
        document = self._document(lambda b: b.as_dict())
        document["filters"].update((i, b) for i, b in self._filters.items() if _is_callback(b))
        return document

    def build_and_init(self) -> None:
        """Validate the whole configuration, build its handlers, and swap it in.

        Raises HandlerConfigError (a ValueError) naming the bad item — an
        unknown handler or filter id, an invalid level, a missing root — or
        OSError when a destination cannot be opened; then nothing changed.
        """
        for handler_id, ids in self._handler_filters.items():
            for filter_id in ids:
                if _is_callback(self._filters.get(filter_id)):
                    raise HandlerConfigError(
                        f"handler {handler_id!r}: filter {filter_id!r} is a callback filter; "
                        "callback filters run on loggers only (LoggerConfigBuilder.with_filters)"
                    )
        document = self._document(lambda b: b._handler_spec())
        callbacks = {}
        specs = dict(document["loggers"])
        if "root" in document:
            specs["root"] = document["root"]
        for name, spec in specs.items():
            ids = spec.get("filters") or []
            mine = [self._filters[i] for i in ids if _is_callback(self._filters.get(i))]
            if mine:
                callbacks[name] = mine
                spec["filters"] = [i for i in ids if not _is_callback(self._filters.get(i))]
        apply_document(document, context="ConfigBuilder", callback_filters=callbacks)

    def __repr__(self):
        return f"ConfigBuilder({self.as_dict()!r})"
