"""The benchmarks' floor: one call into a no-op Go export through an
API-mode cffi module.

Until issue 12 the package's own cffi module was API mode, and its call
cost is what "the floor" has always meant: the least any call into the
library can cost from Python. The package now uses cffi's ABI mode (a
forked child must be able to call its own copy of the library; see
docs/decisions.md, "Fork"), whose calls cost a little more, so the floor
is measured through a tiny API-mode module built here, linked to the
package's own libfemtolog.so (the copy the package has loaded: the loader
maps a file once).
"""

import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "build", "bench_floor")


def api_noop():
    """femtolog_noop called through an API-mode cffi module."""
    from cffi import FFI

    import femtologging
    from femtologging import _native

    _native.library()  # the package's copy first, as in any program
    package_dir = os.path.dirname(os.path.abspath(femtologging.__file__))
    builder = FFI()
    builder.cdef("int femtolog_noop(void);")
    builder.set_source("_femto_api_floor", "int femtolog_noop(void);", libraries=[":libfemtolog.so"],
                       library_dirs=[package_dir], runtime_library_dirs=[package_dir])
    os.makedirs(BUILD, exist_ok=True)
    path = builder.compile(tmpdir=BUILD, verbose=False)
    spec = importlib.util.spec_from_file_location("_femto_api_floor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lib.femtolog_noop
