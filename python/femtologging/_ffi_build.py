"""cffi build script: compiles the extension module ``femtologging._femtolog_cffi``.

The declarations come from ``include/femtolog.h`` itself (the block between
its CDEF markers), so the header stays the single description of the C
interface. Run by setup.py through ``cffi_modules``; never imported at run
time.
"""

import os
import re

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "include"))
HEADER = os.path.join(INCLUDE_DIR, "femtolog.h")

# The two callbacks through which every Python handler and formatter is
# reached: Go calls them with an integer token that names the Python object.
EXTERN_PYTHON = """
extern "Python" int _femtolog_py_handle(void *user_data, const femtolog_record *record);
extern "Python" int _femtolog_py_format(void *user_data, const femtolog_record *record,
                                        femtolog_buffer *out);
"""


def header_cdef(text: str) -> str:
    """Return the header's CDEF block in the dialect cffi's cdef accepts."""
    match = re.search(r"/\* BEGIN CDEF \*/(.*)/\* END CDEF \*/", text, re.S)
    if match is None:
        raise RuntimeError(f"{HEADER}: no BEGIN CDEF / END CDEF block")
    # cffi takes "#define NAME ..." and reads the value from the real header.
    cdef = re.sub(r"^#define (\w+) .*$", r"#define \1 ...", match.group(1), flags=re.M)
    # cffi's parser does not expand macros: FEMTOLOG_IN is `const` for every
    # caller but the cgo build of the library itself (see the header).
    return re.sub(r"\bFEMTOLOG_IN\b", "const", cdef)


with open(HEADER, encoding="utf-8") as header:
    _CDEF = header_cdef(header.read())

ffibuilder = FFI()
ffibuilder.cdef(_CDEF + EXTERN_PYTHON)
ffibuilder.set_source(
    "femtologging._femtolog_cffi",
    # The comment changes the generated source, so that a build tree made
    # when the module was still linked against the library is rebuilt.
    '/* not linked against libfemtolog: femtologging._native loads it */\n'
    '#include "femtolog.h"',
    include_dirs=[INCLUDE_DIR],
    # Deliberately not linked against libfemtolog: a DT_NEEDED entry would
    # make the dynamic linker search for "libfemtolog.so" (LD_LIBRARY_PATH
    # before the RUNPATH), so a copy placed there would be loaded instead of
    # ours. femtologging._native loads the bundled library by absolute path
    # with RTLD_GLOBAL first; this module's symbols resolve to it at import.
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
