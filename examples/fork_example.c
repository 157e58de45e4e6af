/*
 * A C program that forks after configuring logging, and whose child logs
 * with the parent's configuration (include/femtolog.h, "Fork"):
 *
 *   parent: femtolog_fork_describe() just before fork();
 *   child:  copy the library file into a memfd, dlopen /proc/self/fd/N (a
 *           fresh copy with its own Go runtime), femtolog_fork_restore()
 *           in that copy, then call every function through it (dlsym).
 *
 * The child logs through the logger handle its parent obtained, to the
 * file handler its parent created; the parent logs before and after.
 *
 * Usage: fork_example FILE. `make test-c-fork` runs it and checks FILE.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "femtolog.h"

static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed (%d): %s\n", what, status, femtolog_last_error());
        _exit(1);
    }
}

/* The functions the child calls, all taken from its own copy. */
struct library {
    int (*restore)(const char *, size_t);
    int (*log)(femtolog_logger_t, int, const char *, size_t, femtolog_thread_t);
    int (*flush)(femtolog_handler_t, int);
    const char *(*last_error)(void);
};

/* load_private_copy maps a fresh copy of the library this program linked. */
static int load_private_copy(struct library *out) {
    Dl_info info;
    if (dladdr((void *)femtolog_version, &info) == 0 || info.dli_fname == NULL) {
        return -1;
    }
    int src = open(info.dli_fname, O_RDONLY | O_CLOEXEC);
    int dst = memfd_create("libfemtolog.so", MFD_CLOEXEC);
    struct stat st;
    if (src < 0 || dst < 0 || fstat(src, &st) != 0) {
        return -1;
    }
    for (off_t offset = 0; offset < st.st_size;) {
        if (sendfile(dst, src, &offset, (size_t)(st.st_size - offset)) <= 0) {
            return -1;
        }
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", dst);
    void *copy = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    close(src);
    close(dst); /* the mapping stays */
    if (copy == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return -1;
    }
    *(void **)&out->restore = dlsym(copy, "femtolog_fork_restore");
    *(void **)&out->log = dlsym(copy, "femtolog_logger_log");
    *(void **)&out->flush = dlsym(copy, "femtolog_handler_flush");
    *(void **)&out->last_error = dlsym(copy, "femtolog_last_error");
    return out->restore && out->log && out->flush && out->last_error ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fork_example FILE\n");
        return 2;
    }
    char spec[1024];
    int n = snprintf(spec, sizeof spec, "{\"kind\": \"file\", \"path\": \"%s\", \"policy\": \"block\"}", argv[1]);
    femtolog_handler_t file;
    femtolog_logger_t logger;
    check(femtolog_handler_create(&file, spec, (size_t)n), "handler_create");
    check(femtolog_logger_get(&logger, "c.fork", 6), "logger_get");
    check(femtolog_logger_add_handler(logger, file), "add_handler");
    check(femtolog_logger_log(logger, FEMTOLOG_LEVEL_INFO, "parent before", 13, 0), "log");

    /* Just before fork(): the description, sized by a first call. */
    size_t len = 0;
    check(femtolog_fork_describe(NULL, 0, &len, 0), "fork_describe");
    uint8_t *snapshot = malloc(len + 4096);
    size_t cap = len + 4096;
    check(femtolog_fork_describe(snapshot, cap, &len, 0), "fork_describe");
    if (len > cap) {
        fprintf(stderr, "description grew meanwhile\n");
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        struct library child;
        if (load_private_copy(&child) != 0) {
            fprintf(stderr, "child: could not load a private copy\n");
            _exit(1);
        }
        if (child.restore((const char *)snapshot, len) != FEMTOLOG_OK) {
            fprintf(stderr, "child: restore: %s\n", child.last_error());
            _exit(1);
        }
        for (int i = 0; i < 10; i++) {
            char msg[32];
            int m = snprintf(msg, sizeof msg, "child %d", i);
            if (child.log(logger, FEMTOLOG_LEVEL_INFO, msg, (size_t)m, 0) != FEMTOLOG_OK) {
                _exit(1);
            }
        }
        _exit(child.flush(file, 5000) == FEMTOLOG_OK ? 0 : 1);
    }
    free(snapshot);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        return 1;
    }
    check(femtolog_logger_log(logger, FEMTOLOG_LEVEL_INFO, "parent after", 12, 0), "log");
    check(femtolog_handler_flush(file, 5000), "flush");
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    femtolog_shutdown(5000);
    return 0;
}
