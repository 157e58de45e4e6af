# Stub of the C accelerator (_fastlog.c): what FemtoLogger inherits.
from typing import Any, Callable, Mapping, Protocol

class _LevelMethod(Protocol):
    def __call__(
        self,
        message: str,
        /,
        *args: object,
        exc_info: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> str | None: ...

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
    # The level methods share log()'s signature but the level.
    trace: _LevelMethod
    debug: _LevelMethod
    info: _LevelMethod
    warning: _LevelMethod
    warn: _LevelMethod
    error: _LevelMethod
    critical: _LevelMethod
    def _bind(self, handle: int, name: str, /) -> None: ...
    def _line(self, levelno: int, message: str, /) -> str: ...

#: FEMTOLOG_VERSION of the header this module was compiled against.
HEADER_VERSION: int

def configure(
    log_address: int,
    try_log_address: int,
    fast_levels: dict[str, int],
    parse_level: Callable[[Any], int],
    level_names: dict[int, str],
    register_thread: Callable[[], int],
    reinit: Callable[[], object],
    forked_error: type[BaseException],
    /,
) -> None: ...

# The fork guard: the one record of whether this process is a forked child
# that must not use the library it inherited.
FORK_FINE: int
FORK_REINIT_PENDING: int
FORK_REFUSED: int

def fork_state() -> int: ...
def set_fork_state(state: int, reason: str | None = None, /) -> None: ...
def check_fork() -> None: ...

# The one per-thread cache of the library's thread handle.
def thread_handle() -> int: ...
def thread_handle_if_registered() -> int: ...
def configure_ex(log_ex_address: int, reserved_keys: frozenset[str], /) -> None: ...
def set_context_var(var: Any, /) -> None: ...
