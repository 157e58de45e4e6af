/*
 * C scenario of `make bench`: the cost of calling libfemtolog straight from
 * C, without Python: a no-op export (the cgo crossing alone), a record for
 * a logger with no handler, a record filtered by level, and a record to a
 * stream handler on /dev/null (stdout is redirected by the Makefile).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "femtolog.h"

#define CALLS 2000000
#define REPEATS 3

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char message[] = "request handled in 12 ms";
static femtolog_thread_t thread; /* this thread's registered identity */

/* best_ns runs one scenario REPEATS times and keeps the fastest. */
static double best_ns(femtolog_logger_t logger, int level, int noop) {
    double best = 1e9;
    for (int r = 0; r < REPEATS; r++) {
        double start = seconds();
        for (int i = 0; i < CALLS; i++) {
            if (noop) {
                femtolog_noop();
            } else {
                femtolog_logger_log(logger, level, message, sizeof message - 1, thread);
            }
        }
        double ns = (seconds() - start) / CALLS * 1e9;
        if (ns < best) {
            best = ns;
        }
    }
    return best;
}

int main(void) {
    femtolog_logger_t streamed, bare;
    femtolog_handler_t handler;
    const char *spec = "{\"kind\": \"stream\", \"target\": \"stdout\"}";
    if (femtolog_thread_register(&thread, 1, "main", 4) != FEMTOLOG_OK ||
        femtolog_logger_get(&streamed, "bench.c", 7) != FEMTOLOG_OK ||
        femtolog_logger_get(&bare, "bench.bare", 10) != FEMTOLOG_OK ||
        femtolog_handler_create(&handler, spec, strlen(spec)) != FEMTOLOG_OK ||
        femtolog_logger_add_handler(streamed, handler) != FEMTOLOG_OK) {
        fprintf(stderr, "setup failed: %s\n", femtolog_last_error());
        return 1;
    }
    fprintf(stderr, "C caller cost, ns per call (best of %d runs of %d calls)\n", REPEATS, CALLS);
    fprintf(stderr, "  no-op export (the crossing)      %6.1f\n", best_ns(0, 0, 1));
    fprintf(stderr, "  record, logger without handler   %6.1f\n", best_ns(bare, FEMTOLOG_LEVEL_INFO, 0));
    fprintf(stderr, "  record filtered by level         %6.1f\n", best_ns(streamed, FEMTOLOG_LEVEL_DEBUG, 0));
    fprintf(stderr, "  record to a stream (/dev/null)   %6.1f\n", best_ns(streamed, FEMTOLOG_LEVEL_INFO, 0));
    uint64_t dropped = 0;
    femtolog_logger_get_dropped(&dropped, streamed);
    femtolog_handler_close(handler, 10000);
    femtolog_handler_stats stats;
    femtolog_handler_get_stats(&stats, handler);
    fprintf(stderr, "  accounted: delivered %llu + dropped %llu of %d records\n",
            (unsigned long long)stats.delivered,
            (unsigned long long)(dropped + stats.dropped), REPEATS * CALLS);
    femtolog_shutdown(5000);
    return 0;
}
