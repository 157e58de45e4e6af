# Stub of the C accelerator (_fastlog.c): what FemtoLogger inherits.
from typing import Any, Callable, Mapping

class LoggerCore:
    _threshold: int
    @property
    def _handle(self) -> int: ...
    def log(
        self,
        level: int | str,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def trace(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def debug(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def info(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def warning(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def warn(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def error(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def critical(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...
    def _bind(self, handle: int, name: str, /) -> None: ...

#: FEMTOLOG_VERSION of the header this module was compiled against.
HEADER_VERSION: int

def configure(
    log_address: int,
    try_log_address: int,
    fast_levels: dict[str, int],
    parse_level: Callable[[Any], int],
    register_thread: Callable[[], int],
    forked_error: type[BaseException],
    forked_message: str,
    /,
) -> None: ...
def mark_forked(reinit: Callable[[], object] | None, /) -> None: ...
def configure_ex(log_ex_address: int, reserved_keys: frozenset[str], /) -> None: ...
def set_context_var(var: Any, /) -> None: ...
