/*
 * femtolog.h — the C interface of libfemtolog, femtologging's Go core.
 *
 * A call to femtolog_logger_log() checks the level, copies the record onto
 * the logger's bounded queue and returns; Go workers format the record and
 * write it to the handlers' destinations (streams, files, sockets).
 *
 * Conventions (every function below follows them):
 *
 *  - Handles (loggers, handlers, formatters, threads, tickets) are
 *    uint64_t. 0 is never a valid handle and handles are never reused: a
 *    stale or unknown handle gives FEMTOLOG_ERR_HANDLE, never a crash.
 *  - Every fallible call returns an int status: FEMTOLOG_OK (0), a
 *    positive informational status where documented, or a negative error.
 *    After an error, femtolog_last_error() describes it.
 *  - Out-parameters come first. They are written only on FEMTOLOG_OK.
 *  - Strings are passed as (pointer, length) and are read-only: the library
 *    never writes through a `char *` argument (cgo cannot declare them
 *    const). They are borrowed for the duration of the call; the library
 *    copies what it keeps. They need not be NUL-terminated, and should be
 *    UTF-8. The library never hands back memory for the caller to free.
 *  - Every function is thread-safe unless its block says otherwise.
 *  - After fork(), the child must not call any function: the Go runtime
 *    does not survive fork. Configure logging after forking, or use
 *    spawn-style process creation.
 *
 * Build and link:  cc app.c -I include -L <dir> -lfemtolog
 * (and -Wl,-rpath,<dir> or LD_LIBRARY_PATH to find libfemtolog.so at run
 * time).
 */
#ifndef FEMTOLOG_H
#define FEMTOLOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The declarations between the CDEF markers are also read by the Python
 * package's cffi build, so they must stay plain C declarations and
 * integer #defines. */
/* BEGIN CDEF */

/* Version of this header; femtolog_version() returns the library's. */
#define FEMTOLOG_VERSION 1

/* ---- Statuses --------------------------------------------------------- */

#define FEMTOLOG_OK 0
/* femtolog_logger_log: the level or a logger filter rejected the record. */
#define FEMTOLOG_FILTERED 1
/* femtolog_logger_log: the record passed but found the logger queue full
 * (drop policy, or timeout elapsed) or the library shut down. It was
 * counted in femtolog_logger_get_dropped() and reported on stderr. */
#define FEMTOLOG_DROPPED 2
/* femtolog_logger_log / femtolog_handler_handle under the "block" policy:
 * the queue stayed full for the wait slice (about 100 ms). Nothing was
 * queued or dropped; call again with the same record. Returning lets the
 * caller notice signals (Python delivers Ctrl-C between calls). */
#define FEMTOLOG_RETRY 3
/* femtolog_ticket_wait: the flush or close has not finished yet. */
#define FEMTOLOG_PENDING 4
/* femtolog_logger_try_log / femtolog_logger_log_ex with
 * FEMTOLOG_EX_NO_WAIT: a formatter of the logger's handlers uses the
 * caller fields and the call carried none. Nothing was queued or counted;
 * call femtolog_logger_log_ex again with the caller (FEMTOLOG_EX_CALLER),
 * or call femtolog_logger_log to log without one. */
#define FEMTOLOG_NEED_CALLER 5

/* A bad argument: NULL out-parameter, invalid logger name, unknown level. */
#define FEMTOLOG_ERR_INVALID (-1)
/* Unknown or stale handle (e.g. a logger handle from before
 * femtolog_manager_reset()). */
#define FEMTOLOG_ERR_HANDLE (-2)
/* A handler spec or configuration document failed validation; the message
 * starts with the JSON path of the bad item. */
#define FEMTOLOG_ERR_CONFIG (-3)
/* femtolog_handler_handle under the "drop" policy: the handler queue was
 * full and the record was dropped (and counted). */
#define FEMTOLOG_ERR_FULL (-4)
/* The handler was closed, or the library was shut down. */
#define FEMTOLOG_ERR_CLOSED (-5)
/* An operating-system error (opening a file, a failed write reported by a
 * flush); femtolog_last_errno() gives errno when there is one. */
#define FEMTOLOG_ERR_IO (-6)
/* A bounded wait ran out (femtolog_handler_flush, femtolog_handler_close). */
#define FEMTOLOG_ERR_TIMEOUT (-7)
/* A bug in the library, caught before it could crash the process. */
#define FEMTOLOG_ERR_INTERNAL (-8)

/* Levels, in CPython's numbering. */
#define FEMTOLOG_LEVEL_NOTSET 0
#define FEMTOLOG_LEVEL_TRACE 5
#define FEMTOLOG_LEVEL_DEBUG 10
#define FEMTOLOG_LEVEL_INFO 20
#define FEMTOLOG_LEVEL_WARN 30
#define FEMTOLOG_LEVEL_ERROR 40
#define FEMTOLOG_LEVEL_CRITICAL 50

/* ---- Rich records: key-values, exception and stack text, caller --------- */

/* The kinds of a key-value's value (Python's str, int, float, bool, None). */
#define FEMTOLOG_VALUE_STR 0
#define FEMTOLOG_VALUE_INT 1
#define FEMTOLOG_VALUE_FLOAT 2
#define FEMTOLOG_VALUE_BOOL 3
#define FEMTOLOG_VALUE_NONE 4

/* One structured field of a record. key (key_len bytes, UTF-8) must not be
 * empty. kind selects the value: STR reads str/str_len (UTF-8), INT
 * int_value, FLOAT float_value, BOOL int_value (0 false, else true), NONE
 * nothing. */
typedef struct femtolog_kv {
    const char *key;
    size_t key_len;
    int kind;
    const char *str;
    size_t str_len;
    int64_t int_value;
    double float_value;
} femtolog_kv;

/* femtolog_record_ex.flags: the caller fields are set. */
#define FEMTOLOG_EX_CALLER 1
/* femtolog_record_ex.flags: never wait for room (femtolog_logger_try_log's
 * behaviour; RETRY and NEED_CALLER may come back). */
#define FEMTOLOG_EX_NO_WAIT 2

/* What femtolog_logger_log_ex adds to a plain record, and what callbacks
 * see in femtolog_record.ex. Every string is (pointer, length), UTF-8, not
 * NUL-terminated; a NULL pointer with length 0 is empty. On input they are
 * borrowed for the call (the library copies them).
 *   time_ns:     the record's time (ns since the Unix epoch); 0 means now.
 *   exc_text:    the rendered exception (as Python's
 *                traceback.format_exception, without the final newline).
 *   stack_text:  "Stack (most recent call last):\n" and the stack.
 *   pathname, filename, module, func_name, lineno: the caller, read only
 *                when flags has FEMTOLOG_EX_CALLER (stdlib's pathname,
 *                filename, module, funcName, lineno).
 *   kvs, kv_count: the key-values, in order (NULL when kv_count is 0). */
typedef struct femtolog_record_ex {
    int flags;
    int64_t time_ns;
    const char *exc_text;
    size_t exc_text_len;
    const char *stack_text;
    size_t stack_text_len;
    const char *pathname;
    size_t pathname_len;
    const char *filename;
    size_t filename_len;
    const char *module;
    size_t module_len;
    const char *func_name;
    size_t func_name_len;
    int lineno;
    const femtolog_kv *kvs;
    size_t kv_count;
} femtolog_record_ex;

/* ---- Records, as seen by callbacks ------------------------------------ */

/* A record handed to a callback handler or formatter. Every pointer is
 * valid only during the callback; the strings are not NUL-terminated. */
typedef struct femtolog_record {
    const char *logger;
    size_t logger_len;
    int level;
    const char *message;
    size_t message_len;
    int64_t timestamp_ns; /* nanoseconds since the Unix epoch */
    uint64_t thread_id;
    const char *thread_name;
    size_t thread_name_len;
    /* The record's details (caller, exception, stack, key-values); never
     * NULL when passed to a callback. Valid only during the callback. */
    const struct femtolog_record_ex *ex;
} femtolog_record;

/* The output buffer of a callback formatter; append with
 * femtolog_buffer_append(). */
typedef struct femtolog_buffer femtolog_buffer;

/* A callback handler: called on a logger's worker thread, once per record,
 * never concurrently for records of one logger (but possibly concurrently
 * for records of different loggers). Return 0 on success; any other value
 * counts the record as failed. Do not call femtolog_handler_flush/close or
 * femtolog_shutdown from inside it. */
typedef int (*femtolog_handle_fn)(void *user_data, const femtolog_record *record);

/* A callback formatter: called on a handler's worker thread. Append the
 * bytes to write (including any newline) to out and return 0; any other
 * value counts the record as failed. */
typedef int (*femtolog_format_fn)(void *user_data, const femtolog_record *record,
                                  femtolog_buffer *out);

/* Per-handler counts. delivered: written (or handed to the callback)
 * without error; dropped: discarded because the queue was full or the
 * handler closed; failed: lost to a formatter, callback or IO error. */
typedef struct femtolog_handler_stats {
    uint64_t delivered;
    uint64_t dropped;
    uint64_t failed;
} femtolog_handler_stats;

/* ---- Process ---------------------------------------------------------- */

/* Returns the library's FEMTOLOG_VERSION. Check it against the header's
 * to detect a mismatched library. Never fails. */
int femtolog_version(void);

/* Returns a description of the last error returned on the calling thread,
 * or "" if none. The string belongs to the library and stays valid until
 * the next call that fails on this thread. Never fails. */
const char *femtolog_last_error(void);

/* Returns the errno behind the last FEMTOLOG_ERR_IO on the calling thread,
 * or 0 when there was none. Never fails. */
int femtolog_last_errno(void);

/* Does nothing: the cost of one call into the library, for benchmarks. */
int femtolog_noop(void);

/* Flushes and closes every handler and stops every logger, waiting at most
 * timeout_ms in total; afterwards the library never calls a callback
 * again, and records logged later are counted as dropped. Call it once, at
 * exit. Returns FEMTOLOG_OK, or FEMTOLOG_ERR_TIMEOUT if something was
 * still draining at the deadline. */
int femtolog_shutdown(int timeout_ms);

/* ---- Threads ---------------------------------------------------------- */

/* Registers the identity a thread stamps on its records, so that the name
 * is copied once, not per record. thread_id is the caller's notion of the
 * thread (Python passes threading.get_ident()). Writes a thread handle to
 * *out_thread for femtolog_logger_log. Statuses: OK, ERR_INVALID. */
int femtolog_thread_register(uint64_t *out_thread, uint64_t thread_id, char *name,
                             size_t name_len);

/* ---- Loggers ---------------------------------------------------------- */

/* Finds or creates the logger called name, creating its dotted parents up
 * to the root (named "root"). Names must not be empty, start or end with
 * '.', or contain "..". Writes the logger's handle to *out_logger; the same
 * name gives the same handle until femtolog_manager_reset(). Statuses: OK,
 * ERR_INVALID (bad name). */
int femtolog_logger_get(uint64_t *out_logger, char *name, size_t name_len);

/* Sets the logger's own level (a FEMTOLOG_LEVEL_* value); NOTSET makes it
 * inherit its parent's again (not allowed on the root). Statuses: OK,
 * ERR_INVALID, ERR_HANDLE. */
int femtolog_logger_set_level(uint64_t logger, int level);

/* Writes the logger's own level (NOTSET if it inherits). */
int femtolog_logger_get_level(int *out_level, uint64_t logger);

/* Writes the level records are checked against: the logger's own, or the
 * nearest ancestor's. The root defaults to INFO. */
int femtolog_logger_get_effective_level(int *out_level, uint64_t logger);

/* Turns delivery to the ancestors' handlers on (non-zero, the default) or
 * off. Statuses: OK, ERR_HANDLE. */
int femtolog_logger_set_propagate(uint64_t logger, int propagate);

/* Writes 1 if the logger propagates, 0 if not. */
int femtolog_logger_get_propagate(int *out_propagate, uint64_t logger);

/* Logs message at level. Returns at once: the record is copied onto the
 * logger's queue (capacity 1024) and a worker hands it to the handlers of
 * the logger and, while propagation holds, of its ancestors.
 * thread is a handle from femtolog_thread_register(), or 0 for no thread
 * identity (thread id 0, empty name): register each thread once to have
 * its id and name on its records. Under a handler's "block" policy the call
 * waits for room (in slices: see FEMTOLOG_RETRY); under "timeout:N" it
 * waits up to N ms. Statuses: OK (queued), FILTERED, DROPPED, RETRY,
 * ERR_INVALID (unknown level), ERR_HANDLE. */
int femtolog_logger_log(uint64_t logger, int level, char *message, size_t message_len,
                        uint64_t thread);

/* femtolog_logger_log that never waits: where femtolog_logger_log would
 * wait for room in a full queue (under any policy, including the drop
 * policy's short grace), it returns FEMTOLOG_RETRY at once and nothing
 * was queued or counted. Everything else is the same. It only ever takes
 * locks that the library's workers hold for moments, never while running a
 * callback, so it may be called while holding a lock that a callback needs
 * (the Python package calls it holding the GIL, and releases the GIL only
 * for the femtolog_logger_log that follows a RETRY). Statuses: those of
 * femtolog_logger_log. */
int femtolog_logger_try_log(uint64_t logger, int level, char *message, size_t message_len,
                            uint64_t thread);

/* femtolog_logger_log with the record's details (ex may be NULL: a plain
 * record). ex and everything it points at are read during the call only.
 * With FEMTOLOG_EX_NO_WAIT in ex->flags it behaves as
 * femtolog_logger_try_log, and returns NEED_CALLER (nothing queued) when a
 * formatter of the logger's handlers uses the caller fields and
 * FEMTOLOG_EX_CALLER is not set. Thread-safe. Statuses: those of
 * femtolog_logger_log and femtolog_logger_try_log, NEED_CALLER, and
 * ERR_INVALID (an empty key, an unknown value kind, a negative lineno, a
 * NULL pointer with a non-zero length). */
int femtolog_logger_log_ex(uint64_t logger, int level, char *message, size_t message_len,
                           uint64_t thread, femtolog_record_ex *ex);

/* Attaches a handler to a logger; the same handler may serve several
 * loggers. Affects records logged after the call. Statuses: OK,
 * ERR_HANDLE, ERR_CLOSED (the handler was closed). */
int femtolog_logger_add_handler(uint64_t logger, uint64_t handler);

/* Detaches a handler. Writes 1 to *out_removed if it was attached, 0 if
 * not. Records already queued still reach it. Statuses: OK, ERR_HANDLE. */
int femtolog_logger_remove_handler(int *out_removed, uint64_t logger, uint64_t handler);

/* Detaches every handler of the logger. Statuses: OK, ERR_HANDLE. */
int femtolog_logger_clear_handlers(uint64_t logger);

/* Writes how many records the logger dropped because its queue was full
 * or the library was shutting down. */
int femtolog_logger_get_dropped(uint64_t *out_dropped, uint64_t logger);

/* Forgets every logger: later femtolog_logger_get() calls create fresh
 * ones, and old logger handles become stale (ERR_HANDLE). Records already
 * queued are still delivered. Handlers stay open. Meant for tests; do not
 * call it while other threads log. */
int femtolog_manager_reset(void);

/* ---- Handlers --------------------------------------------------------- */

/* Creates a handler from a JSON spec (spec_json, spec_len bytes) and
 * starts its worker. Kinds:
 *   {"kind": "stream", "target": "stderr"|"stdout", "capacity": 1024,
 *    "flush_timeout_ms": 1000, "formatter": "default" | {"callback": F}}
 *   {"kind": "file", "path": "/var/log/app.log", "capacity": 1024,
 *    "flush_interval": 1 (records between flushes),
 *    "policy": "drop"|"block"|"timeout:N" (N ms > 0),
 *    "flush_timeout_ms": 1000, "formatter": ...}
 *   {"kind": "rotating_file", every "file" field, "max_bytes": 0,
 *    "backup_count": 0} (rotation when both > 0; both 0: none)
 *   {"kind": "socket", "transport": "tcp"|"unix", "host": "localhost",
 *    "port": 9020, "unix_path": "...", "capacity": 1024,
 *    "connect_timeout_ms": 5000, "write_timeout_ms": 1000,
 *    "max_frame_size": 1048576, "tls": null | {"domain": "...",
 *    "insecure": false, "ca_file": "..."}, "backoff": {"base_ms": 100,
 *    "cap_ms": 5000, "reset_after_ms": 30000, "deadline_ms": 120000},
 *    "flush_timeout_ms": 1000} (frames: docs/socket-frames.md)
 * where F is a handle from femtolog_formatter_create_callback(). Unknown
 * fields are errors. Statuses: OK, ERR_CONFIG (message names the field),
 * ERR_IO (the destination could not be opened). */
int femtolog_handler_create(uint64_t *out_handler, char *spec_json, size_t spec_len);

/* Creates a handler that calls fn(user_data, record) on the logger worker
 * for each record. user_data is passed through untouched and must stay
 * valid until femtolog_shutdown() (or for the life of the process).
 * Statuses: OK, ERR_INVALID (fn is NULL). */
int femtolog_handler_create_callback(uint64_t *out_handler, femtolog_handle_fn fn,
                                     void *user_data);

/* Creates a formatter that calls fn(user_data, record, out) to render each
 * record; use its handle in a handler spec's "formatter". Same lifetime
 * rule for user_data. Statuses: OK, ERR_INVALID. */
int femtolog_formatter_create_callback(uint64_t *out_formatter, femtolog_format_fn fn,
                                       void *user_data);

/* ---- Formatter specs and handler levels -------------------------------- */

/* Every handler spec with a "formatter" (stream, file, rotating_file) takes:
 *   "default"                      the default text, "{logger} [{LEVEL}] {message}"
 *   "json"                         JSON lines (docs/json-lines.md), times in UTC
 *   {"json": {"fields": [...], "utc": true}}   JSON lines, chosen keys
 *   {"format": F, "datefmt": D, "style": S, "validate": true, "utc": false}
 *                                  a Python logging format string, formatted
 *                                  natively with Python's rules: S is "%"
 *                                  (default), "{" or "$"; F defaults to the
 *                                  style's "%(message)s"; D is a strftime
 *                                  pattern for asctime (default
 *                                  "%Y-%m-%d %H:%M:%S,mmm"); local time unless
 *                                  "utc" is true
 *   {"callback": H}                a callback formatter's handle
 *   "<id>"                         in a configuration document, an entry of
 *                                  its "formatters" section (same forms)
 * and every handler spec takes "level": a level name or number below which
 * the handler skips records (default NOTSET: every record). A bad format is
 * ERR_CONFIG at creation, the message naming "$.formatter.format". */

/* ---- Callbacks and formatters that use rich records --------------------- */

/* flags of the *_create_callback_ex functions: the callback uses the
 * caller fields of femtolog_record.ex, so loggers feeding it capture the
 * caller (see FEMTOLOG_NEED_CALLER). */
#define FEMTOLOG_CALLBACK_CALLER 1

/* femtolog_handler_create_callback with flags (0 or
 * FEMTOLOG_CALLBACK_CALLER). Statuses: OK, ERR_INVALID. */
int femtolog_handler_create_callback_ex(uint64_t *out_handler, femtolog_handle_fn fn,
                                        void *user_data, int flags);

/* femtolog_formatter_create_callback with flags (0 or
 * FEMTOLOG_CALLBACK_CALLER). Statuses: OK, ERR_INVALID. */
int femtolog_formatter_create_callback_ex(uint64_t *out_formatter, femtolog_format_fn fn,
                                          void *user_data, int flags);

/* Formats one record with a formatter given in the JSON form of a handler
 * spec's "formatter" (e.g. {"format": "%(levelname)s %(message)s",
 * "datefmt": "%H:%M", "style": "%"}, "json", {"json": {"fields": [...],
 * "utc": true}}) without any handler: for previews and tests. record (and
 * record->ex, which may be NULL) is read during the call; record->level may
 * be any number. Writes up to out_cap bytes of the line (with its final
 * newline) to out and its full length to *out_len: when *out_len > out_cap,
 * call again with a larger buffer. Thread-safe. Statuses: OK, ERR_CONFIG
 * (a bad formatter; the message names the problem), ERR_INVALID (the record
 * lacks a field the format names, or a value does not suit its
 * conversion: the message says which, as stdlib's error would). */
int femtolog_format_record(char *out, size_t out_cap, size_t *out_len, char *formatter_json,
                           size_t formatter_len, femtolog_record *record);

/* Appends len bytes of data to a formatter's output buffer. Call it only
 * from inside a femtolog_format_fn, on the buffer it was given. Statuses:
 * OK, ERR_INVALID (NULL buffer, or out of memory). */
int femtolog_buffer_append(femtolog_buffer *out, char *data, size_t len);

/* Hands one record straight to a handler, bypassing loggers (Python's
 * handler.handle(logger, level, message)). Statuses: OK, RETRY (block
 * policy: call again), ERR_FULL (drop policy, or the timeout ran out: the
 * record was dropped and counted), ERR_CLOSED, ERR_INVALID, ERR_HANDLE. */
int femtolog_handler_handle(uint64_t handler, char *logger, size_t logger_len, int level,
                            char *message, size_t message_len, uint64_t thread);

/* Waits up to timeout_ms (a negative value: the handler's configured flush
 * timeout) until every record logged before the call, on any logger
 * feeding the handler, has been written and the destination flushed.
 * Statuses: OK, ERR_TIMEOUT, ERR_IO (some record since the previous flush
 * could not be written), ERR_HANDLE. Do not call it from a callback. */
int femtolog_handler_flush(uint64_t handler, int timeout_ms);

/* Writes what is queued, stops the worker and closes the destination,
 * waiting at most timeout_ms (negative: 5000). Idempotent. Later records
 * for the handler are counted as dropped. Statuses: OK, ERR_TIMEOUT (the
 * worker is still finishing in the background), ERR_HANDLE. */
int femtolog_handler_close(uint64_t handler, int timeout_ms);

/* The two-step forms of flush and close, for callers that must stay
 * responsive while waiting (Python waits in slices to deliver Ctrl-C):
 * begin writes a ticket handle, then femtolog_ticket_wait() waits up to
 * slice_ms and returns PENDING until the operation finishes. A ticket is
 * released once wait returns anything but PENDING, or by
 * femtolog_ticket_release(). */
int femtolog_handler_flush_begin(uint64_t *out_ticket, uint64_t handler);
int femtolog_handler_close_begin(uint64_t *out_ticket, uint64_t handler);

/* Statuses: OK (done), PENDING, ERR_IO (flush done but some record since
 * the previous flush failed), ERR_HANDLE. */
int femtolog_ticket_wait(uint64_t ticket, int slice_ms);

/* Releases a ticket that is no longer waited for. Statuses: OK,
 * ERR_HANDLE. */
int femtolog_ticket_release(uint64_t ticket);

/* Writes the handler's counts. Statuses: OK, ERR_HANDLE. */
int femtolog_handler_get_stats(femtolog_handler_stats *out_stats, uint64_t handler);

/* ---- Configuration ---------------------------------------------------- */

/* Applies a whole logging configuration given as a JSON document
 * (config_json, config_len bytes; schema in docs/config-schema.md):
 *   {"version": 1,
 *    "handlers": {ID: <handler spec, as for femtolog_handler_create> |
 *                     {"handle": H}},
 *    "filters": {ID: {"kind": "level", "max_level": "INFO"} |
 *                    {"kind": "name", "prefix": "app."}},
 *    "formatters": {ID: {...}},
 *    "loggers": {NAME: {"level": L, "handlers": [ID...],
 *                       "filters": [ID...], "propagate": true}},
 *    "root": {"level": L, "handlers": [ID...], "filters": [ID...]},
 *    "default_level": L, "disable_existing_loggers": false}
 * The whole document is validated first, then the handlers are built,
 * then every configured logger's level, handlers, filters and propagation
 * are swapped in at once. On any error nothing changes: the handlers built
 * for the call are closed again. {"handle": H} reuses a handler the caller
 * created (femtolog_handler_create or _create_callback); such handlers are
 * never closed by the library. Handlers built by an earlier configuration
 * and attached to no logger after this one are flushed and closed in the
 * background. Thread-safe; configurations are applied one at a time.
 * Statuses: OK, ERR_CONFIG (the message starts with the JSON path of the
 * bad item, e.g. `$.loggers["app.db"].handlers[0]: unknown handler id
 * "x"`), ERR_IO (a destination could not be opened), ERR_CLOSED (after
 * femtolog_shutdown). */
int femtolog_config_apply(char *config_json, size_t config_len);

/* Writes the handle of the handler that the last successful
 * femtolog_config_apply() configured under id (id, id_len bytes), so the
 * caller can flush, close or inspect it. The handle stays valid after a
 * later configuration; the handler may have been closed by then.
 * Statuses: OK, ERR_HANDLE (no such id in the last configuration),
 * ERR_INVALID. */
int femtolog_config_get_handler(uint64_t *out_handler, char *id, size_t id_len);

/* Writes how many handlers are attached to the logger itself (not its
 * ancestors). Statuses: OK, ERR_HANDLE, ERR_INVALID. */
int femtolog_logger_get_handler_count(size_t *out_count, uint64_t logger);

/* Translates a CPython fileConfig INI text (ini_text, ini_len bytes,
 * UTF-8) to the restricted dictConfig schema, as JSON:
 *   {"version": 1, "disable_existing_loggers": bool,
 *    "handlers": {ID: {"class": C, "args": "(...)", "kwargs": "{...}"}},
 *    "loggers": {QUALNAME: {"level": L, "handlers": [...], "propagate": b}},
 *    "root": {"level": L, "handlers": [...]}}
 * where "args" and "kwargs" are the Python literal text of the file.
 * defaults_json (defaults_len bytes, may be NULL/0) is a JSON object of
 * strings added to [DEFAULT]; %(name)s is substituted across the file and
 * it. The library does not allocate for the caller: it writes the JSON
 * length to *out_len and, only when out_cap >= *out_len, the JSON itself
 * to out_json (not NUL-terminated). Call with out_cap 0 to learn the
 * size, then again with a large enough buffer; the result is the same for
 * the same input. [formatter_*] sections and level/formatter keys in
 * [handler_*] sections are rejected. Thread-safe. Statuses: OK,
 * ERR_CONFIG (the message names the section and key), ERR_INVALID (NULL
 * out_len, or NULL out_json with out_cap > 0). */
int femtolog_ini_translate(uint8_t *out_json, size_t out_cap, size_t *out_len, char *ini_text,
                           size_t ini_len, char *defaults_json, size_t defaults_len,
                           int disable_existing_loggers);

/* END CDEF */

#ifdef __cplusplus
}
#endif

#endif /* FEMTOLOG_H */
