/*
 * The user guide's Quick start, in C:
 *
 *     logger = get_logger("demo.app")
 *     logger.add_handler(FemtoStreamHandler.stderr())
 *     logger.log("INFO", "hello from femtologging")
 *
 * plus what a C caller must do that Python does for you: check statuses,
 * flush and close the handler before exit. `make test` builds this against
 * include/femtolog.h, runs it and checks its output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "femtolog.h"

/* check prints the library's message for a failed call and exits. */
static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed (%d): %s\n", what, status, femtolog_last_error());
        femtolog_shutdown(1000);
        _Exit(1);
    }
}

int main(void) {
    if (femtolog_version() != FEMTOLOG_VERSION) {
        fprintf(stderr, "libfemtolog version %d, header version %d\n", femtolog_version(),
                FEMTOLOG_VERSION);
        return 1;
    }

    femtolog_logger_t logger = 0;
    const char *name = "demo.app";
    check(femtolog_logger_get(&logger, name, strlen(name)), "femtolog_logger_get");

    femtolog_handler_t handler = 0;
    const char *spec = "{\"kind\": \"stream\", \"target\": \"stderr\"}";
    check(femtolog_handler_create(&handler, spec, strlen(spec)), "femtolog_handler_create");
    check(femtolog_logger_add_handler(logger, handler), "femtolog_logger_add_handler");

    const char *msg = "hello from femtologging";
    check(femtolog_logger_log(logger, FEMTOLOG_LEVEL_INFO, msg, strlen(msg), 0),
          "femtolog_logger_log");

    /* DEBUG is below the root's default INFO level: filtered, never queued. */
    const char *quiet = "not shown";
    int st = femtolog_logger_log(logger, FEMTOLOG_LEVEL_DEBUG, quiet, strlen(quiet), 0);
    if (st != FEMTOLOG_FILTERED) {
        fprintf(stderr, "DEBUG record: got status %d, want FEMTOLOG_FILTERED\n", st);
        return 1;
    }

    /* A structured record: key-values (typed) and exception text, written
     * as one JSON line on stdout by a handler with the JSON formatter. */
    femtolog_logger_t kv_logger = 0;
    femtolog_handler_t json_handler = 0;
    const char *kv_name = "demo.kv";
    check(femtolog_logger_get(&kv_logger, kv_name, strlen(kv_name)), "femtolog_logger_get");
    const char *json_spec = "{\"kind\": \"stream\", \"target\": \"stdout\", \"formatter\": "
                            "{\"json\": {\"fields\": [\"level\", \"logger\", \"message\", "
                            "\"exception\", \"fields\"]}}}";
    check(femtolog_handler_create(&json_handler, json_spec, strlen(json_spec)),
          "femtolog_handler_create");
    check(femtolog_logger_add_handler(kv_logger, json_handler), "femtolog_logger_add_handler");
    /* Zeroed first: every field not set below is empty (C and C++ alike). */
    femtolog_kv kvs[3];
    memset(kvs, 0, sizeof(kvs));
    kvs[0].key = "user", kvs[0].key_len = 4, kvs[0].kind = FEMTOLOG_VALUE_STR;
    kvs[0].str = "ann", kvs[0].str_len = 3;
    kvs[1].key = "attempt", kvs[1].key_len = 7, kvs[1].kind = FEMTOLOG_VALUE_INT;
    kvs[1].int_value = 3;
    kvs[2].key = "ok", kvs[2].key_len = 2, kvs[2].kind = FEMTOLOG_VALUE_BOOL, kvs[2].int_value = 1;
    const char *exc = "Error: disk full";
    femtolog_record_ex ex;
    memset(&ex, 0, sizeof(ex));
    ex.exc_text = exc, ex.exc_text_len = strlen(exc), ex.kvs = kvs, ex.kv_count = 3;
    const char *kv_msg = "login failed";
    check(femtolog_logger_log_ex(kv_logger, FEMTOLOG_LEVEL_WARN, kv_msg, strlen(kv_msg), 0, &ex),
          "femtolog_logger_log_ex");
    check(femtolog_handler_flush(json_handler, 1000), "femtolog_handler_flush");

    /* Bad input gets an error status and a message, never a crash. */
    femtolog_logger_t bad = 0;
    st = femtolog_logger_get(&bad, "a..b", 4);
    printf("bad name: status %d: %s\n", st, femtolog_last_error());
    st = femtolog_logger_log(logger, 7, msg, strlen(msg), 0);
    printf("bad level: status %d: %s\n", st, femtolog_last_error());
    st = femtolog_logger_log(424242, FEMTOLOG_LEVEL_INFO, msg, strlen(msg), 0);
    printf("bad handle: status %d: %s\n", st, femtolog_last_error());

    check(femtolog_handler_flush(handler, 1000), "femtolog_handler_flush");
    check(femtolog_handler_close(handler, 1000), "femtolog_handler_close");
    check(femtolog_shutdown(1000), "femtolog_shutdown");
    return 0;
}
