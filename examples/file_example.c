/*
 * File and rotating file handlers from C, with every overflow policy:
 *
 *   - a "file" handler under "drop" fed by a logger, and the same handler
 *     called directly through femtolog_handler_handle;
 *   - a "rotating_file" handler under "block" (nothing may be dropped),
 *     rolling over every 256 bytes and keeping 3 backups;
 *   - a "file" handler under "timeout:50";
 *   - the errors: a bad policy (ERR_CONFIG naming it), a missing directory
 *     (ERR_IO with errno ENOENT), /dev/full (flush reports ERR_IO).
 *
 * Usage: file_example DIR (an existing, writable directory). `make
 * test-c-file` runs it and checks what it printed and wrote.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "femtolog.h"

static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed (%d): %s\n", what, status, femtolog_last_error());
        femtolog_shutdown(1000);
        _Exit(1);
    }
}

/* create builds a handler from a JSON spec written with printf arguments. */
static int create(femtolog_handler_t *out, const char *fmt, const char *dir, const char *policy) {
    char spec[1024];
    int n = snprintf(spec, sizeof spec, fmt, dir, policy);
    return femtolog_handler_create(out, spec, (size_t)n);
}

static void log_n(femtolog_logger_t logger, const char *prefix, int count) {
    char msg[64];
    for (int i = 0; i < count; i++) {
        int n = snprintf(msg, sizeof msg, "%s %03d", prefix, i);
        int st;
        /* Under "block" a full queue returns RETRY after a short wait:
         * nothing was queued or dropped, so call again. */
        while ((st = femtolog_logger_log(logger, FEMTOLOG_LEVEL_INFO, msg, (size_t)n, 0)) ==
               FEMTOLOG_RETRY) {
        }
        check(st, "femtolog_logger_log");
    }
}

static void print_stats(const char *what, femtolog_handler_t handler) {
    femtolog_handler_stats s;
    check(femtolog_handler_get_stats(&s, handler), "femtolog_handler_get_stats");
    printf("%s: delivered %llu dropped %llu failed %llu\n", what, (unsigned long long)s.delivered,
           (unsigned long long)s.dropped, (unsigned long long)s.failed);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    const char *file_fmt = "{\"kind\":\"file\",\"path\":\"%s/plain.log\",\"policy\":\"%s\"}";
    const char *rot_fmt =
        "{\"kind\":\"rotating_file\",\"path\":\"%s/rotating.log\",\"policy\":\"%s\","
        "\"capacity\":4,\"flush_interval\":8,\"max_bytes\":256,\"backup_count\":3}";
    const char *timeout_fmt = "{\"kind\":\"file\",\"path\":\"%s/timeout.log\",\"policy\":\"%s\"}";

    femtolog_handler_t plain = 0, rotating = 0, timed = 0;
    femtolog_logger_t logger = 0, other = 0;
    check(create(&plain, file_fmt, dir, "drop"), "create file/drop");
    check(create(&rotating, rot_fmt, dir, "block"), "create rotating_file/block");
    check(create(&timed, timeout_fmt, dir, "timeout:50"), "create file/timeout:50");

    check(femtolog_logger_get(&logger, "c.files", 7), "femtolog_logger_get");
    check(femtolog_logger_add_handler(logger, plain), "add plain");
    check(femtolog_logger_add_handler(logger, rotating), "add rotating");
    check(femtolog_logger_get(&other, "c.timed", 7), "femtolog_logger_get");
    check(femtolog_logger_add_handler(other, timed), "add timed");

    log_n(logger, "record", 100);
    log_n(other, "timed", 5);
    const char *direct = "direct call";
    check(femtolog_handler_handle(plain, "c.direct", 8, FEMTOLOG_LEVEL_ERROR, direct,
                                  strlen(direct), 0),
          "femtolog_handler_handle");

    check(femtolog_handler_flush(plain, 5000), "flush plain");
    check(femtolog_handler_flush(rotating, 5000), "flush rotating");
    check(femtolog_handler_flush(timed, 5000), "flush timed");
    print_stats("plain", plain);
    print_stats("rotating", rotating);
    print_stats("timed", timed);

    /* Errors: statuses and messages, never a crash. */
    femtolog_handler_t bad = 0;
    int st = create(&bad, file_fmt, dir, "sometimes");
    printf("bad policy: status %d: %s\n", st, femtolog_last_error());
    st = create(&bad, file_fmt, "/nonexistent-femtolog-dir", "drop");
    printf("missing dir: status %d errno %s: %s\n", st,
           femtolog_last_errno() == ENOENT ? "ENOENT" : "other", femtolog_last_error());
    femtolog_handler_t full = 0;
    const char *full_spec = "{\"kind\":\"file\",\"path\":\"/dev/full\"}";
    check(femtolog_handler_create(&full, full_spec, strlen(full_spec)), "create /dev/full");
    check(femtolog_handler_handle(full, "c", 1, FEMTOLOG_LEVEL_INFO, "lost", 4, 0), "handle /dev/full");
    st = femtolog_handler_flush(full, 5000);
    printf("dev full flush: status %d: %s\n", st, femtolog_last_error());

    check(femtolog_handler_close(full, 1000), "close full");
    check(femtolog_handler_close(plain, 1000), "close plain");
    check(femtolog_handler_close(rotating, 1000), "close rotating");
    check(femtolog_handler_close(timed, 1000), "close timed");
    check(femtolog_shutdown(1000), "femtolog_shutdown");
    return 0;
}
