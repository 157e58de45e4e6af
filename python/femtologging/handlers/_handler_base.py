"""What every built-in (Go-driven) handler shares: creation from a spec,
direct handle(), flush(), close() and counts."""

import json
from typing import Dict, Optional, TypeVar

from .. import _native, _utf8
from ..errors import HandlerClosedError
from ..levels import parse_level

_H = TypeVar("_H", bound="NativeHandler")

#: close() waits at most this long for the worker to write what is queued.
CLOSE_TIMEOUT_S = 5.0


class NativeHandler:
    """Base of the handlers whose queue and worker live in the Go core.

    Attached to a logger, they are driven natively: records never pass
    through Python on their way to the destination.
    """

    __slots__ = ("_handle", "_closed", "_flush_timeout_s", "_description")

    def __init__(self, spec, flush_timeout_ms, description):
        _native.load()
        _native.check_process()
        self._handle = _native.handler_create(json.dumps(_utf8.clean_document(spec)).encode())
        self._closed = False
        self._flush_timeout_s = flush_timeout_ms / 1000.0
        self._description = description

    @classmethod
    def _from_spec(cls: "type[_H]", spec, description) -> _H:
        """A handler made by its builder: the handlers whose __init__ only
        says which builder makes them (socket, syslog, HTTP, OTLP)."""
        handler = cls.__new__(cls)
        NativeHandler.__init__(handler, spec, spec["flush_timeout_ms"], description)
        return handler

    def __repr__(self):
        state = "closed" if self._closed else "open"
        return f"<{type(self).__name__} {self._description} ({state})>"

    def _ensure_open(self, what):
        if self._closed:
            raise HandlerClosedError(f"{what}: {self!r} is closed")

    def handle(self, logger: str, level: str, message: str) -> None:
        """Queue one record directly, bypassing loggers.

        Under the drop policy a full queue raises RuntimeError (the record is
        dropped and counted); under "block" this waits for room.
        """
        self._ensure_open("handle()")
        if not isinstance(logger, str) or not isinstance(message, str):
            raise TypeError("handle() takes (logger: str, level: str, message: str)")
        levelno = parse_level(level)
        _native.handler_handle(self._handle, _utf8.encode(logger), levelno, _utf8.encode(message))

    def flush(self, timeout_ms: Optional[int] = None) -> bool:
        """Wait until everything logged so far is written; True on success.

        Waits at most the handler's flush timeout (1 s by default); returns
        False when that ran out or a record could not be written.
        """
        _native.check_process()
        _native.refuse_in_worker("flush()")
        self._ensure_open("flush()")
        timeout_s = self._flush_timeout_s if timeout_ms is None else timeout_ms / 1000.0
        ticket = _native.handler_flush_begin(self._handle)
        return _native.wait_ticket(ticket, timeout_s)

    def close(self) -> None:
        """Write what is queued, stop the worker and release the destination.

        Idempotent. Records that reach the handler afterwards are counted as
        dropped.
        """
        if self._closed:
            return
        _native.check_process()
        _native.refuse_in_worker("close()")
        ticket = _native.handler_close_begin(self._handle)
        self._closed = True
        _native.wait_ticket(ticket, CLOSE_TIMEOUT_S)

    def get_stats(self) -> Dict[str, int]:
        """Counts of records delivered, dropped (queue full or closed) and failed."""
        return _native.handler_stats(self._handle)

    def get_dropped(self) -> int:
        """How many records this handler discarded (queue full or closed)."""
        return self.get_stats()["dropped"]

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False
