# Stub of the C accelerator (_fastlog.c): what FemtoLogger inherits.
from typing import Any, Callable

class LoggerCore:
    _threshold: int
    @property
    def _handle(self) -> int: ...
    def log(self, level: int | str, message: str, /) -> str | None: ...
    def _bind(self, handle: int, name: str, /) -> None: ...

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
