// The library's own image in memory, for the fork support (fork_memory.go).
// Hidden: not part of the public interface in femtolog.h.
#ifndef FEMTOLOG_FORK_IMAGE_H
#define FEMTOLOG_FORK_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define FEMTOLOG_IMAGE_RANGES_MAX 16

// femtolog_image_ranges_ writes, as [start, end) pairs of page-aligned
// addresses, the parts of this copy of the library that a child of fork()
// may give back once this copy is dead there: the read-only segments
// (code, read-only data: clean pages of the file, which read back the
// same if ever touched) and the interior of the relocated read-only data
// (RELRO), leaving out its pages that hold the init and fini arrays, the
// dynamic section and the GOT, which the C library and the loader still
// use. Returns the number of ranges (at most max), 0 if not found.
__attribute__((visibility("hidden"))) int femtolog_image_ranges_(uintptr_t *starts, uintptr_t *ends,
                                                                 int max);

#endif
