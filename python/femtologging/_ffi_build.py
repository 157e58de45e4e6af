"""cffi build script: generates the module ``femtologging._femtolog_cffi``.

The declarations come from ``include/femtolog.h`` itself (the block between
its CDEF markers), so the header stays the single description of the C
interface. Run by setup.py through ``cffi_modules``; never imported at run
time.

The module is cffi's out-of-line ABI mode: a Python file holding the
parsed declarations, with no compiled code of its own. femtologging._native
opens the library with ``ffi.dlopen(path)``, which returns an object whose
functions call that one copy of the library. A forked child loads a second,
private copy of the library (see docs/decisions.md, "Fork") and must call
it, not the copy its parent loaded: an API-mode extension is bound to the
copy it was linked against when it was imported, for good. The two
callbacks through which Go reaches Python handlers and formatters are
``ffi.callback`` objects made by _native.
"""

import os
import re

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "include"))
HEADER = os.path.join(INCLUDE_DIR, "femtolog.h")


def header_cdef(text: str) -> str:
    """Return the header's CDEF block in the dialect cffi's cdef accepts."""
    match = re.search(r"/\* BEGIN CDEF \*/(.*)/\* END CDEF \*/", text, re.S)
    if match is None:
        raise RuntimeError(f"{HEADER}: no BEGIN CDEF / END CDEF block")
    # ABI mode reads each constant's value from the cdef itself, and its
    # parser takes a bare integer: "(-1)" becomes "-1".
    cdef = re.sub(r"^(#define \w+ )\((-?\d+)\)\s*$", r"\1\2", match.group(1), flags=re.M)
    # cffi's parser does not expand macros: FEMTOLOG_IN is `const` for every
    # caller but the cgo build of the library itself (see the header).
    return re.sub(r"\bFEMTOLOG_IN\b", "const", cdef)


with open(HEADER, encoding="utf-8") as header:
    _CDEF = header_cdef(header.read())

ffibuilder = FFI()
ffibuilder.cdef(_CDEF)
# None: ABI mode, nothing to compile or link (see the module docstring).
ffibuilder.set_source("femtologging._femtolog_cffi", None)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
