// The library's own image in memory (see fork_image.h). The program
// headers say where each segment of this object is mapped; they are read
// with dl_iterate_phdr, the C library's public walk over loaded objects.
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <unistd.h>

#include "fork_image.h"

struct image_query {
    uintptr_t inside; // an address in this object's code
    uintptr_t *starts, *ends;
    int max, count;
};

static uintptr_t page_down(uintptr_t a, uintptr_t page) { return a & ~(page - 1); }
static uintptr_t page_up(uintptr_t a, uintptr_t page) { return (a + page - 1) & ~(page - 1); }

static void add_range(struct image_query *q, uintptr_t start, uintptr_t end) {
    if (start < end && q->count < q->max) {
        q->starts[q->count] = start;
        q->ends[q->count] = end;
        q->count++;
    }
}

// dynamic_address returns where the dynamic entry tag points in this
// object, or 0. The loader may have rebased the entry in place already.
static uintptr_t dynamic_address(const ElfW(Dyn) *dyn, ElfW(Sxword) tag, uintptr_t base) {
    for (; dyn != NULL && dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == tag) {
            uintptr_t v = (uintptr_t)dyn->d_un.d_ptr;
            return v < base ? v + base : v;
        }
    }
    return 0;
}

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct image_query *q = data;
    uintptr_t base = (uintptr_t)info->dlpi_addr;
    int mine = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = base + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && q->inside >= start && q->inside < start + ph->p_memsz) {
            mine = 1;
        }
    }
    if (!mine) {
        return 0;
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const ElfW(Dyn) *dyn = NULL;
    uintptr_t relro_start = 0, relro_end = 0, dynamic = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = base + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W)) {
            // The first page holds the ELF and program headers, which
            // dl_iterate_phdr itself reads: kept resident all the same.
            uintptr_t from = page_up(start, page);
            if (ph->p_offset == 0) {
                from += page;
            }
            add_range(q, from, page_down(start + ph->p_filesz, page));
        } else if (ph->p_type == PT_GNU_RELRO) {
            relro_start = start;
            relro_end = start + ph->p_memsz;
        } else if (ph->p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *)start;
            dynamic = start;
        }
    }
    if (relro_start != 0 && dynamic > relro_start && dynamic < relro_end) {
        // Keep every page from the start up to the end of the init and fini
        // arrays (they precede the relocated data), and from the dynamic
        // section on (it precedes the GOT).
        uintptr_t from = relro_start;
        ElfW(Sxword) arrays[][2] = {{DT_INIT_ARRAY, DT_INIT_ARRAYSZ}, {DT_FINI_ARRAY, DT_FINI_ARRAYSZ},
                                    {DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ}};
        for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
            uintptr_t at = dynamic_address(dyn, arrays[i][0], base);
            uintptr_t len = 0;
            for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
                if (d->d_tag == arrays[i][1]) {
                    len = (uintptr_t)d->d_un.d_val;
                }
            }
            if (at >= relro_start && at + len > from && at < dynamic) {
                from = at + len;
            }
        }
        add_range(q, page_up(from, page) + page, page_down(dynamic, page));
    }
    q->count = q->count == 0 ? -1 : q->count; // found, even with nothing to give
    return 1;
}

int femtolog_image_ranges_(uintptr_t *starts, uintptr_t *ends, int max) {
    struct image_query q = {(uintptr_t)&femtolog_image_ranges_, starts, ends, max, 0};
    dl_iterate_phdr(visit, &q);
    return q.count < 0 ? 0 : q.count;
}
