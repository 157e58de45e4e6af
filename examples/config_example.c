/*
 * Configuring femtologging from C with one JSON document (the schema is in
 * docs/config-schema.md), the same engine Python's basicConfig,
 * ConfigBuilder, dictConfig and fileConfig use:
 *
 *  1. a configuration with a mistake is rejected whole, with the JSON path
 *     of the bad item, and changes nothing;
 *  2. a valid one routes "app" at DEBUG to stdout without propagation and
 *     keeps the root at WARN on stderr;
 *  3. an INI text (Python's fileConfig format) is translated to the
 *     dictConfig schema into a caller-provided buffer.
 *
 * `make test-c-config` builds it, runs it and checks its output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "femtolog.h"

static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed (%d): %s\n", what, status, femtolog_last_error());
        femtolog_shutdown(1000);
        _Exit(1);
    }
}

static const char *good =
    "{\"version\": 1,"
    " \"handlers\": {\"out\": {\"kind\": \"stream\", \"target\": \"stdout\"},"
    "                \"err\": {\"kind\": \"stream\", \"target\": \"stderr\"}},"
    " \"filters\": {\"app_only\": {\"kind\": \"name\", \"prefix\": \"app\"}},"
    " \"loggers\": {\"app\": {\"level\": \"DEBUG\", \"handlers\": [\"out\"],"
    "                         \"filters\": [\"app_only\"], \"propagate\": false}},"
    " \"root\": {\"level\": \"WARN\", \"handlers\": [\"err\"]}}";

/* The same, with a typo in a handler id. */
static const char *bad =
    "{\"version\": 1,"
    " \"handlers\": {\"out\": {\"kind\": \"stream\", \"target\": \"stdout\"}},"
    " \"loggers\": {\"app.db\": {\"level\": \"DEBUG\", \"handlers\": [\"uot\"]}},"
    " \"root\": {\"level\": \"ERROR\"}}";

static const char *ini =
    "[loggers]\nkeys=root\n[handlers]\nkeys=console\n"
    "[logger_root]\nlevel=%(lvl)s\nhandlers=console\n"
    "[handler_console]\nclass=StreamHandler\nargs=(sys.stderr,)\n";

static void log_at(femtolog_logger_t logger, int level, const char *msg) {
    check(femtolog_logger_log(logger, level, msg, strlen(msg), 0), "femtolog_logger_log");
}

int main(void) {
    femtolog_logger_t app = 0, root = 0;
    check(femtolog_logger_get(&app, "app.db", 6), "femtolog_logger_get");
    check(femtolog_logger_get(&root, "root", 4), "femtolog_logger_get");

    int st = femtolog_config_apply(bad, strlen(bad));
    printf("bad config: status %d: %s\n", st, femtolog_last_error());
    int level = 0;
    check(femtolog_logger_get_effective_level(&level, root), "get_effective_level");
    printf("root level after the failed apply: %d\n", level);

    check(femtolog_config_apply(good, strlen(good)), "femtolog_config_apply");
    log_at(app, FEMTOLOG_LEVEL_DEBUG, "configured from C");
    st = femtolog_logger_log(root, FEMTOLOG_LEVEL_INFO, "below WARN", 10, 0);
    printf("root INFO: %s\n", st == FEMTOLOG_FILTERED ? "filtered" : "passed");
    log_at(root, FEMTOLOG_LEVEL_ERROR, "root error");

    /* Flush the configured handlers, found by their ids. */
    const char *ids[] = {"out", "err"};
    for (int i = 0; i < 2; i++) {
        femtolog_handler_t h = 0;
        check(femtolog_config_get_handler(&h, ids[i], strlen(ids[i])), "config_get_handler");
        check(femtolog_handler_flush(h, 2000), "femtolog_handler_flush");
    }

    /* Size first, then translate into a buffer of that size. */
    const char *defaults = "{\"lvl\": \"INFO\"}";
    size_t need = 0;
    check(femtolog_ini_translate(NULL, 0, &need, ini, strlen(ini), defaults,
                                 strlen(defaults), 1),
          "femtolog_ini_translate");
    uint8_t *buf = malloc(need);
    size_t got = 0;
    check(femtolog_ini_translate(buf, need, &got, ini, strlen(ini), defaults,
                                 strlen(defaults), 1),
          "femtolog_ini_translate");
    printf("ini: %.*s\n", (int)got, (const char *)buf);
    free(buf);

    return femtolog_shutdown(5000) == FEMTOLOG_OK ? 0 : 1;
}
