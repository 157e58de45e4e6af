/*
 * femtolog.h — the C interface of libfemtolog, femtologging's Go core.
 *
 * A call to femtolog_logger_log() checks the level, copies the record onto
 * the logger's bounded queue and returns; Go workers format the record and
 * write it to the handlers' destinations (streams, files, sockets).
 *
 * Conventions (every function below follows them):
 *
 *  - Handles are integers with one type per kind: femtolog_logger_t,
 *    femtolog_handler_t, femtolog_formatter_t, femtolog_thread_t and
 *    femtolog_ticket_t (all uint64_t, so the compiler does not catch a
 *    mix-up; the names say which kind each argument wants). 0 is never a
 *    valid handle and handles are never reused: a stale or unknown handle,
 *    or one of another kind, gives FEMTOLOG_ERR_HANDLE, never a crash.
 *  - Every fallible call returns an int status: FEMTOLOG_OK (0), a
 *    positive informational status where documented, or a negative error.
 *    After an error, femtolog_last_error() describes it. Each function
 *    lists the statuses it returns; any of them may also return
 *    FEMTOLOG_ERR_INTERNAL (a bug in the library, caught before it could
 *    crash the process).
 *  - Out-parameters come first. They are written only on FEMTOLOG_OK; a
 *    NULL out-parameter gives FEMTOLOG_ERR_INVALID.
 *  - Strings are passed as (const pointer, length): the library never
 *    writes through them. They are borrowed for the duration of the call;
 *    the library copies what it keeps. They need not be NUL-terminated,
 *    and should be UTF-8. A NULL pointer is allowed only with length 0
 *    (otherwise FEMTOLOG_ERR_INVALID).
 *    The library never hands back memory for the caller to free.
 *  - Handlers and formatters live until femtolog_shutdown(): the library
 *    keeps each one (and the handle naming it) for the life of the
 *    process, even after femtolog_handler_close() or when a configuration
 *    retires it, so a handle once valid never dangles. There is no call
 *    to free one; create them at setup, not per request.
 *  - Every function is thread-safe unless its block says otherwise.
 *  - After fork(), the child must not call any function of the copy of
 *    the library its parent used: the Go runtime does not survive fork.
 *    Either configure logging only after forking (or exec), or load a
 *    fresh copy in the child and restore the parent's configuration into
 *    it: see "Fork" below.
 *
 * Build and link, once `make install` has installed the library:
 *     cc app.c $(pkg-config --cflags --libs femtolog)
 * or against a build tree: cc app.c -I include -L <dir> -lfemtolog (and
 * -Wl,-rpath,<dir> or LD_LIBRARY_PATH to find libfemtolog.so at run time).
 * The header compiles as C and as C++.
 */
#ifndef FEMTOLOG_H
#define FEMTOLOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* FEMTOLOG_IN marks a string the library only reads: it is `const` for
 * every C and C++ caller. The library itself is built by cgo, which
 * declares each exported function again in a header it generates, with
 * plain `char *`, and includes this header in the same translation unit;
 * the two prototypes must agree, so capi (and only capi) defines
 * FEMTOLOG_CGO_BUILD to drop the qualifier there. `const` changes neither
 * the calling convention nor the ABI. */
#ifdef FEMTOLOG_CGO_BUILD
#define FEMTOLOG_IN
#else
#define FEMTOLOG_IN const
#endif

/* The default line: what a handler without a formatter writes for a
 * record (then a newline), and what the Python package's log() returns.
 * It is the logger name, FEMTOLOG_LINE_AFTER_LOGGER, the level name
 * (TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL), FEMTOLOG_LINE_AFTER_LEVEL
 * and the message: "app.db [INFO] connected". (Outside the CDEF block:
 * cffi reads integer constants only.) */
#define FEMTOLOG_LINE_AFTER_LOGGER " ["
#define FEMTOLOG_LINE_AFTER_LEVEL "] "

/* The declarations between the CDEF markers are also read by the Python
 * package's cffi build, so they must stay plain C declarations and
 * integer #defines (cffi reads FEMTOLOG_IN as const). */
/* BEGIN CDEF */

/* Version of this header's interface (the ABI version); bumped whenever
 * a declaration, status or constant below changes. femtolog_version()
 * returns the library's. 2: handle typedefs, const input strings.
 * 3: femtolog_record.ex (details: caller, exception and stack text,
 * typed key-values), FEMTOLOG_NEED_CALLER, femtolog_logger_log_ex.
 * 4: femtolog_fork_describe and femtolog_fork_restore.
 * 5: femtolog_logger_get_handlers.
 * 6: femtolog_value_check; femtolog_signals_set_flush_timeout takes an
 *    int64_t and bounds it (one hour). */
#define FEMTOLOG_VERSION 6

/* ---- Handles ---------------------------------------------------------- */

typedef uint64_t femtolog_logger_t;    /* femtolog_logger_get */
typedef uint64_t femtolog_handler_t;   /* femtolog_handler_create*, _config_get_handler */
typedef uint64_t femtolog_formatter_t; /* femtolog_formatter_create_callback */
typedef uint64_t femtolog_thread_t;    /* femtolog_thread_register; 0: no identity */
typedef uint64_t femtolog_ticket_t;    /* femtolog_handler_flush_begin/_close_begin */

/* ---- Statuses --------------------------------------------------------- */

#define FEMTOLOG_OK 0
/* femtolog_logger_log: the level or a logger filter rejected the record. */
#define FEMTOLOG_FILTERED 1
/* femtolog_logger_log: the record passed but found the logger queue full
 * (drop policy, or timeout elapsed) or the library shut down. It was
 * counted in femtolog_logger_get_dropped() and reported on stderr.
 * DROPPED and FEMTOLOG_ERR_FULL report the same event (a full queue under
 * the drop or timeout policy) on purpose with different signs: a logger
 * fans a record out to many handlers and a drop is an expected outcome of
 * the policy the caller chose, so it is informational (> 0), like
 * FILTERED; femtolog_handler_handle addresses one handler and the record
 * did not reach it, so it is an error (< 0), as Python's handle() raises
 * QueueFullError for it. Both count the record as dropped. */
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
/* femtolog_handler_handle under the "drop" policy (or once "timeout:N"
 * ran out): the handler queue was full and the record was dropped (and
 * counted). The logger-side twin is FEMTOLOG_DROPPED (see there). */
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

/* Benchmark helper, not part of the logging interface: does nothing and
 * returns FEMTOLOG_OK, so bench/ can measure the bare cost of one call
 * into the library. It will stay, but applications have no use for it.
 * Statuses: OK. */
int femtolog_noop(void);

/* Flushes and closes every handler and stops every logger, waiting at most
 * timeout_ms in total; afterwards the library never calls a callback
 * again, and records logged later are counted as dropped. Call it once, at
 * exit. Returns FEMTOLOG_OK, or FEMTOLOG_ERR_TIMEOUT if something was
 * still draining at the deadline. */
int femtolog_shutdown(int timeout_ms);

/* Signals. When the library is loaded (before main() for a program linked
 * to it, at dlopen() otherwise), it installs a handler for each of
 * SIGTERM, SIGHUP and SIGINT whose action is still the default; a signal
 * that already has a handler, or is ignored, is left alone. On such a
 * signal the library writes what was logged before it to its
 * destinations (loggers' queues and handlers' buffers), waiting at most
 * the signal flush timeout (1 s unless set below), then restores the
 * default action and re-raises the signal: the process dies by it, with
 * the exit status it would have had. A second signal while flushing, or a
 * signal in a child of fork(), acts as the default at once. A program
 * that installs its own handler (sigaction, signal) after loading simply
 * replaces the library's and gets every signal; it should then call
 * femtolog_shutdown() before exiting. Interrupted system calls are
 * restarted (SA_RESTART), except those that never are (pause(),
 * sigsuspend(), some waits with timeouts), which return EINTR once. */

/* Sets how long the flush triggered by a signal may take: 0 < timeout_ms
 * <= 3600000 (one hour). 0 removes the library's handlers (the default
 * action is restored where no other handler was installed since) and
 * cannot be undone. Thread-safe. Statuses: OK, ERR_INVALID (negative
 * timeout_ms, or more than an hour). */
int femtolog_signals_set_flush_timeout(int64_t timeout_ms);

/* ---- Threads ---------------------------------------------------------- */

/* Registers the identity a thread stamps on its records, so that the name
 * is copied once, not per record. thread_id is the caller's notion of the
 * thread (Python passes threading.get_ident()). Writes a thread handle to
 * *out_thread for femtolog_logger_log. Statuses: OK, ERR_INVALID. */
int femtolog_thread_register(femtolog_thread_t *out_thread, uint64_t thread_id,
                             FEMTOLOG_IN char *name, size_t name_len);

/* ---- Loggers ---------------------------------------------------------- */

/* Finds or creates the logger called name, creating its dotted parents up
 * to the root (named "root"). Names must not be empty, start or end with
 * '.', or contain "..". Writes the logger's handle to *out_logger; the same
 * name gives the same handle until femtolog_manager_reset(). Statuses: OK,
 * ERR_INVALID (bad name, NULL out_logger). */
int femtolog_logger_get(femtolog_logger_t *out_logger, FEMTOLOG_IN char *name, size_t name_len);

/* Sets the logger's own level (a FEMTOLOG_LEVEL_* value); NOTSET makes it
 * inherit its parent's again (not allowed on the root). Statuses: OK,
 * ERR_INVALID, ERR_HANDLE. */
int femtolog_logger_set_level(femtolog_logger_t logger, int level);

/* Writes the logger's own level (NOTSET if it inherits). Statuses: OK,
 * ERR_INVALID (NULL out_level), ERR_HANDLE. */
int femtolog_logger_get_level(int *out_level, femtolog_logger_t logger);

/* Writes the level records are checked against: the logger's own, or the
 * nearest ancestor's. The root defaults to INFO. Statuses: OK,
 * ERR_INVALID (NULL out_level), ERR_HANDLE. */
int femtolog_logger_get_effective_level(int *out_level, femtolog_logger_t logger);

/* Turns delivery to the ancestors' handlers on (non-zero, the default) or
 * off. Statuses: OK, ERR_HANDLE. */
int femtolog_logger_set_propagate(femtolog_logger_t logger, int propagate);

/* Writes 1 if the logger propagates, 0 if not. Statuses: OK, ERR_INVALID
 * (NULL out_propagate), ERR_HANDLE. */
int femtolog_logger_get_propagate(int *out_propagate, femtolog_logger_t logger);

/* Logs message at level. Returns at once: the record is copied onto the
 * logger's queue (capacity 1024) and a worker hands it to the handlers of
 * the logger and, while propagation holds, of its ancestors.
 * thread is a handle from femtolog_thread_register(), or 0 for no thread
 * identity (thread id 0, empty name): register each thread once to have
 * its id and name on its records. Under a handler's "block" policy the call
 * waits for room (in slices: see FEMTOLOG_RETRY); under "timeout:N" it
 * waits up to N ms. Statuses: OK (queued), FILTERED, DROPPED, RETRY,
 * ERR_INVALID (unknown level), ERR_HANDLE. */
int femtolog_logger_log(femtolog_logger_t logger, int level, FEMTOLOG_IN char *message,
                        size_t message_len, femtolog_thread_t thread);

/* femtolog_logger_log that never waits: where femtolog_logger_log would
 * wait for room in a full queue (under any policy, including the drop
 * policy's short grace), it returns FEMTOLOG_RETRY at once and nothing
 * was queued or counted. Everything else is the same. It only ever takes
 * locks that the library's workers hold for moments, never while running a
 * callback, so it may be called while holding a lock that a callback needs
 * (the Python package calls it holding the GIL, and releases the GIL only
 * for the femtolog_logger_log that follows a RETRY). Statuses: those of
 * femtolog_logger_log. */
int femtolog_logger_try_log(femtolog_logger_t logger, int level, FEMTOLOG_IN char *message,
                            size_t message_len, femtolog_thread_t thread);

/* femtolog_logger_log with the record's details (ex may be NULL: a plain
 * record). ex and everything it points at are read during the call only.
 * With FEMTOLOG_EX_NO_WAIT in ex->flags it behaves as
 * femtolog_logger_try_log, and returns NEED_CALLER (nothing queued) when a
 * formatter of the logger's handlers uses the caller fields and
 * FEMTOLOG_EX_CALLER is not set. Thread-safe. Statuses: those of
 * femtolog_logger_log and femtolog_logger_try_log, NEED_CALLER, and
 * ERR_INVALID (an empty key, an unknown value kind, a negative lineno, a
 * NULL pointer with a non-zero length). */
int femtolog_logger_log_ex(femtolog_logger_t logger, int level, FEMTOLOG_IN char *message,
                           size_t message_len, femtolog_thread_t thread,
                           FEMTOLOG_IN femtolog_record_ex *ex);

/* Attaches a handler to a logger; the same handler may serve several
 * loggers. Affects records logged after the call. Statuses: OK,
 * ERR_HANDLE, ERR_CLOSED (the handler was closed). */
int femtolog_logger_add_handler(femtolog_logger_t logger, femtolog_handler_t handler);

/* Detaches a handler. Writes 1 to *out_removed if it was attached, 0 if
 * not. Records already queued still reach it. Statuses: OK, ERR_HANDLE. */
int femtolog_logger_remove_handler(int *out_removed, femtolog_logger_t logger,
                                   femtolog_handler_t handler);

/* Detaches every handler of the logger. Statuses: OK, ERR_HANDLE. */
int femtolog_logger_clear_handlers(femtolog_logger_t logger);

/* Removes every filter of the logger (configured by a configuration);
 * records logged after the call are checked against the level only.
 * Statuses: OK, ERR_HANDLE. */
int femtolog_logger_clear_filters(femtolog_logger_t logger);

/* Writes how many records the logger dropped because its queue was full
 * or the library was shutting down. Statuses: OK, ERR_INVALID (NULL
 * out_dropped), ERR_HANDLE. */
int femtolog_logger_get_dropped(uint64_t *out_dropped, femtolog_logger_t logger);

/* Forgets every logger: later femtolog_logger_get() calls create fresh
 * ones, and old logger handles become stale (ERR_HANDLE). Records already
 * queued are still delivered. Handlers stay open. Meant for tests; do not
 * call it while other threads log. Statuses: OK. */
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
 *   {"kind": "timed_rotating_file", every "file" field,
 *    "when": "midnight" ("S","M","H","D","midnight","W0".."W6", any case),
 *    "interval": 1, "backup_count": 7 (0 keeps all), "utc": false,
 *    "at_time": null | "HH:MM[:SS]" (midnight and W* only)}: rollover
 *    times and backup names (path.2026-12-07 ...) as CPython 3.13's
 *    TimedRotatingFileHandler; an existing backup is never overwritten
 *   both rotating kinds also take "compression": "none"|"gzip" (backups
 *    become name.gz on a background thread) and "max_age_s": 0 (seconds;
 *    > 0 deletes backups older than that)
 *   {"kind": "socket", "transport": "tcp"|"unix", "host": "localhost",
 *    "port": 9020, "unix_path": "...", "capacity": 1024,
 *    "connect_timeout_ms": 5000, "write_timeout_ms": 1000,
 *    "max_frame_size": 1048576, "tls": null | {"domain": "...",
 *    "insecure": false, "ca_file": "..."}, "backoff": {"base_ms": 100,
 *    "cap_ms": 5000, "reset_after_ms": 30000, "deadline_ms": 120000},
 *    "flush_timeout_ms": 1000} (frames: docs/socket-frames.md)
 *   {"kind": "syslog", "format": "rfc5424"|"rfc3164",
 *    "transport": "unix"|"udp"|"tcp" (unix unless host/port/tls is set),
 *    "unix_path": "/dev/log", "host": "localhost", "port": 514 (6514 with
 *    tls), "framing": "octet_counting"|"newline" (tcp only), "tls": as
 *    socket, "facility": "user" | name | 0..23, "hostname", "app_name",
 *    "procid", "msgid" (defaults: host name, program name, process id,
 *    "-"), "sd_id": "fields@32473", "max_message_size": 2048 (udp) or
 *    8192 (unix), datagrams truncated to it; tcp sends messages whole),
 *    "policy", "capacity", "connect_timeout_ms", "write_timeout_ms",
 *    "backoff", "flush_timeout_ms" as above}
 *   {"kind": "http", "url": "http(s)://...", "method": "POST"|"PUT",
 *    "format": "json_lines"|"json_array", "headers": {"Name": "value"},
 *    "basic_auth": {"username": "...", "password": "..."} |
 *    "bearer_token": "...", "tls": as socket, "gzip": false,
 *    "timeout_ms": 10000, "connect_timeout_ms": 5000,
 *    "max_batch_records": 1000, "max_batch_bytes": 1048576,
 *    "batch_delay_ms": 0, "retry": {"base_ms", "cap_ms", "deadline_ms"},
 *    "policy", "capacity", "flush_timeout_ms"}
 *    (retries on 429/502/503/504 and network errors, honouring
 *    Retry-After, until retry.deadline_ms; other statuses drop the batch)
 *   {"kind": "otlp", "endpoint": "http://localhost:4318/v1/logs" (the full
 *    URL, http or https), "headers": {"Authorization": "..."},
 *    "compression": "none"|"gzip", "timeout_ms": 10000 (per request),
 *    "tls": null | {"domain", "insecure", "ca_file"} (https only),
 *    "service_name": "...", "resource": {"key": "value", ...},
 *    "max_batch": 512 (records), "max_batch_bytes": 4194304,
 *    "batch_delay_ms": 1000, "retry": {"base_ms": 250, "cap_ms": 5000,
 *    "deadline_ms": 60000}, "capacity": 1024, "policy": "drop",
 *    "flush_timeout_ms": 1000, "env": null | {"OTEL_...": "..."}}
 *    (OTLP/HTTP protobuf to an OpenTelemetry collector; every field
 *    optional. Unset fields come from the OTEL_* variables of "env", or of
 *    the process environment when "env" is absent, then from the defaults
 *    shown: docs/config-schema.md. Rejected batches and batches unsent at
 *    the retry deadline count as dropped.)
 * where F is a handle from femtolog_formatter_create_callback(). Unknown
 * fields are errors. Statuses: OK, ERR_CONFIG (message names the field),
 * ERR_IO (the destination could not be opened), ERR_INVALID (NULL
 * out_handler), ERR_CLOSED (after femtolog_shutdown). */
int femtolog_handler_create(femtolog_handler_t *out_handler, FEMTOLOG_IN char *spec_json,
                            size_t spec_len);

/* Creates a handler that calls fn(user_data, record) on the logger worker
 * for each record. user_data is passed through untouched and must stay
 * valid until femtolog_shutdown() (or for the life of the process).
 * Statuses: OK, ERR_INVALID (fn or out_handler is NULL). */
int femtolog_handler_create_callback(femtolog_handler_t *out_handler, femtolog_handle_fn fn,
                                     void *user_data);

/* Lets a femtolog_handle_fn or femtolog_format_fn that is about to return
 * non-zero say which handler or formatter failed and why (say "handler
 * <MyHandler object>" and "ValueError: boom"), so diagnostics name it and
 * its error instead of the callback's return code. Call it only from
 * inside the callback, on its thread; both strings (read-only, copied)
 * may be empty.
 * Statuses: OK, ERR_INVALID (a NULL string with a non-zero length). */
int femtolog_callback_error(FEMTOLOG_IN char *handler, size_t handler_len, FEMTOLOG_IN char *message,
                            size_t message_len);

/* Creates a formatter that calls fn(user_data, record, out) to render each
 * record; use its handle in a handler spec's "formatter". Same lifetime
 * rule for user_data. Statuses: OK, ERR_INVALID (fn or out_formatter is
 * NULL). */
int femtolog_formatter_create_callback(femtolog_formatter_t *out_formatter, femtolog_format_fn fn,
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
 * the handler skips records (default NOTSET: every record), and "filters":
 * a list of filter objects (the forms of a configuration document's
 * "filters" section, below) or, in a configuration document, ids of that
 * section. A record the level or a filter rejects is skipped: not written,
 * not counted as dropped or failed, and femtolog_handler_handle returns OK
 * for it. A bad format is ERR_CONFIG at creation, the message naming
 * "$.formatter.format". */

/* ---- Callbacks and formatters that use rich records --------------------- */

/* flags of the *_create_callback_ex functions: the callback uses the
 * caller fields of femtolog_record.ex, so loggers feeding it capture the
 * caller (see FEMTOLOG_NEED_CALLER). */
#define FEMTOLOG_CALLBACK_CALLER 1

/* femtolog_handler_create_callback with flags (0 or
 * FEMTOLOG_CALLBACK_CALLER). Statuses: OK, ERR_INVALID. */
int femtolog_handler_create_callback_ex(femtolog_handler_t *out_handler, femtolog_handle_fn fn,
                                        void *user_data, int flags);

/* femtolog_formatter_create_callback with flags (0 or
 * FEMTOLOG_CALLBACK_CALLER). Statuses: OK, ERR_INVALID. */
int femtolog_formatter_create_callback_ex(femtolog_formatter_t *out_formatter, femtolog_format_fn fn,
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
int femtolog_format_record(char *out, size_t out_cap, size_t *out_len,
                           FEMTOLOG_IN char *formatter_json, size_t formatter_len,
                           FEMTOLOG_IN femtolog_record *record);

/* Appends len bytes of data to a formatter's output buffer. Call it only
 * from inside a femtolog_format_fn, on the buffer it was given. Statuses:
 * OK, ERR_INVALID (NULL buffer, or out of memory). */
int femtolog_buffer_append(femtolog_buffer *out, FEMTOLOG_IN char *data, size_t len);

/* Hands one record straight to a handler, bypassing loggers (Python's
 * handler.handle(logger, level, message)). Statuses: OK, RETRY (block
 * policy: call again), ERR_FULL (drop policy, or the timeout ran out: the
 * record was dropped and counted), ERR_CLOSED, ERR_INVALID, ERR_HANDLE. */
int femtolog_handler_handle(femtolog_handler_t handler, FEMTOLOG_IN char *logger,
                            size_t logger_len, int level, FEMTOLOG_IN char *message,
                            size_t message_len, femtolog_thread_t thread);

/* Waits up to timeout_ms (a negative value: the handler's configured flush
 * timeout) until every record logged before the call, on any logger
 * feeding the handler, has been written and the destination flushed.
 * Statuses: OK, ERR_TIMEOUT, ERR_IO (some record since the previous flush
 * could not be written), ERR_HANDLE. Do not call it from a callback. */
int femtolog_handler_flush(femtolog_handler_t handler, int timeout_ms);

/* Writes what is queued, stops the worker and closes the destination,
 * waiting at most timeout_ms (negative: 5000). Idempotent. Later records
 * for the handler are counted as dropped. Statuses: OK, ERR_TIMEOUT (the
 * worker is still finishing in the background), ERR_HANDLE. */
int femtolog_handler_close(femtolog_handler_t handler, int timeout_ms);

/* The two-step forms of flush and close, for callers that must stay
 * responsive while waiting (Python waits in slices to deliver Ctrl-C):
 * begin writes a ticket handle, then femtolog_ticket_wait() waits up to
 * slice_ms and returns PENDING until the operation finishes. A ticket is
 * released once wait returns anything but PENDING, or by
 * femtolog_ticket_release(). Statuses of both begins: OK, ERR_INVALID
 * (NULL out_ticket), ERR_HANDLE (unknown handler). */
int femtolog_handler_flush_begin(femtolog_ticket_t *out_ticket, femtolog_handler_t handler);
int femtolog_handler_close_begin(femtolog_ticket_t *out_ticket, femtolog_handler_t handler);

/* Statuses: OK (done), PENDING, ERR_IO (flush done but some record since
 * the previous flush failed), ERR_HANDLE. */
int femtolog_ticket_wait(femtolog_ticket_t ticket, int slice_ms);

/* Releases a ticket that is no longer waited for. Statuses: OK,
 * ERR_HANDLE. */
int femtolog_ticket_release(femtolog_ticket_t ticket);

/* Writes the handler's counts. Statuses: OK, ERR_INVALID (NULL
 * out_stats), ERR_HANDLE. */
int femtolog_handler_get_stats(femtolog_handler_stats *out_stats, femtolog_handler_t handler);

/* ---- Configuration ---------------------------------------------------- */

/* Applies a whole logging configuration given as a JSON document
 * (config_json, config_len bytes; schema in docs/config-schema.md):
 *   {"version": 1,
 *    "handlers": {ID: <handler spec, as for femtolog_handler_create> |
 *                     {"handle": H}},
 *    "filters": {ID: {"kind": "level", "max_level": "INFO"} |
 *                    {"kind": "name", "prefix": "app."} |
 *                    {"kind": "name", "name": "app.db"}},
 *    ("prefix": logger names starting with the text; "name": that logger
 *    and its descendants, as Python's logging.Filter(name))
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
int femtolog_config_apply(FEMTOLOG_IN char *config_json, size_t config_len);

/* Validates one setting's value with the rule femtolog_handler_create and
 * femtolog_config_apply apply to that field, without building anything,
 * so that a binding's setters (Python's builders and options) refuse
 * what the configuration would, with the same rule, at the call that set
 * it. name (name_len bytes) is the setting, value_json (value_len bytes)
 * its value as JSON. Settings, named as the configuration's fields
 * (docs/config-schema.md):
 *   "policy"            "drop"|"block"|"timeout:N"
 *   "capacity", "flush_interval", "flush_timeout_ms", "interval"  ints
 *   "max_bytes", "backup_count"                    ints, not negative
 *   "rotation"          {"max_bytes": N, "backup_count": N}: both > 0
 *                       (rotation on) or both 0 (off)
 *   "compression"       "gzip"|"none"
 *   "max_age_s"         seconds, 0 (keep) to about 100 years
 *   "max_age"           as max_age_s but > 0 (for APIs where an absent
 *                       value keeps every backup)
 *   "when"              "S"|"M"|"H"|"D"|"midnight"|"W0".."W6", any case
 *   "at_time"           "HH:MM" or "HH:MM:SS"
 *   "positive"          any int setting whose only rule is > 0
 * On FEMTOLOG_OK it writes the value's canonical form as JSON: for
 * "policy" {"policy": "timeout:250", "kind": "timeout", "timeout_ms": 250}
 * ("timeout_ms" null for drop and block), for "when" the unit in upper
 * case, for "at_time" "HH:MM:SS", for "compression" "gzip" or "none",
 * otherwise the value. Same buffer convention as femtolog_ini_translate:
 * *out_len receives the size and out_json the bytes only when out_cap >=
 * *out_len (pass out_cap 0 when the form is not needed). On
 * FEMTOLOG_ERR_CONFIG, femtolog_last_error() gives the rule's reason
 * alone, without the setting or the value, so that the caller can show
 * the value in its users' notation: it starts with "want " and the valid
 * forms (`want "gzip" or "none"`), or with "must " and the bound the value
 * is outside (`must not be negative`); for "rotation" a field's own
 * reason is led by the field ("max_bytes: must not be negative").
 * name and value_json are read during the call only. Thread-safe; it
 * touches no logger or handler, and works before any other call and
 * after femtolog_shutdown. Statuses: OK, ERR_CONFIG (the
 * value breaks the rule, or is not JSON of the setting's type),
 * ERR_INVALID (unknown setting: the message lists them; NULL out_len, or
 * NULL out_json with out_cap > 0). */
int femtolog_value_check(uint8_t *out_json, size_t out_cap, size_t *out_len,
                         FEMTOLOG_IN char *name, size_t name_len,
                         FEMTOLOG_IN char *value_json, size_t value_len);

/* Writes the handle of the handler that the last successful
 * femtolog_config_apply() configured under id (id, id_len bytes), so the
 * caller can flush, close or inspect it. The handle stays valid after a
 * later configuration; the handler may have been closed by then.
 * Statuses: OK, ERR_HANDLE (no such id in the last configuration),
 * ERR_INVALID. */
int femtolog_config_get_handler(femtolog_handler_t *out_handler, FEMTOLOG_IN char *id,
                                size_t id_len);

/* Writes how many handlers are attached to the logger itself (not its
 * ancestors). Statuses: OK, ERR_HANDLE, ERR_INVALID. */
int femtolog_logger_get_handler_count(size_t *out_count, femtolog_logger_t logger);

/* Writes the handles of the handlers attached to the logger itself (not
 * its ancestors), in the order they receive records: the first
 * min(out_cap, total) to out_handlers, and the total to *out_len. A
 * handler attached twice appears twice. Call with out_cap 0 to learn the
 * count, then again with a large enough array; a handler attached in
 * between makes the second total larger, so compare it with out_cap.
 * Thread-safe. Statuses: OK, ERR_HANDLE, ERR_INVALID (NULL out_len, or
 * NULL out_handlers with out_cap > 0). */
int femtolog_logger_get_handlers(femtolog_handler_t *out_handlers, size_t out_cap,
                                 size_t *out_len, femtolog_logger_t logger);

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
int femtolog_ini_translate(uint8_t *out_json, size_t out_cap, size_t *out_len,
                           FEMTOLOG_IN char *ini_text, size_t ini_len,
                           FEMTOLOG_IN char *defaults_json, size_t defaults_len,
                           int disable_existing_loggers);

/* ---- Fork ------------------------------------------------------------- */

/* A child of fork() cannot use the library its parent loaded (its Go
 * runtime's threads are gone), but it can load a second, private copy:
 * copy the library file to a new inode (memfd_create, then dlopen
 * "/proc/self/fd/N": the loader maps a file it has not seen, with a fresh
 * runtime) and call every function through that copy (dlsym). The two
 * calls below carry the configuration across:
 *   parent, just before fork():  femtolog_fork_describe (this copy)
 *   child, right after loading:  femtolog_fork_restore (the new copy)
 * The child's copy then has every logger, handler (from its spec, or a
 * callback handler calling the same function with the same user_data),
 * formatter, level, filter and propagation flag the parent had, under the
 * same handles, with fresh queues and workers: file handlers append to the
 * same files, stream handlers write to the child's descriptors 1/2, socket
 * handlers connect on their own. Records queued in the parent at the fork
 * are written by the parent only. The Python package does all of this
 * (femtologging.set_fork_policy). The copy the child inherited must never
 * be called again; its signal handlers act as the default in the child
 * and are removed there, so the new copy installs its own. */

/* Writes a description of the library's current configuration (JSON; its
 * layout is private to the library and may change between versions:
 * restore it only into the same library file). thread is the handle of
 * the thread that is about to fork, whose identity the child keeps, or 0.
 * Same buffer convention as femtolog_ini_translate: *out_len receives the
 * size and out_json the bytes only when out_cap >= *out_len (call again
 * with a larger buffer otherwise). Costs time in proportion to the number
 * of loggers and handlers, and waits for nothing but short-held locks, so
 * it may be called while other threads log. Statuses: OK, ERR_INVALID
 * (NULL out_len, or NULL out_json with out_cap > 0). */
int femtolog_fork_describe(uint8_t *out_json, size_t out_cap, size_t *out_len,
                           femtolog_thread_t thread);

/* Rebuilds the configuration that femtolog_fork_describe described, in a
 * copy of the library that has issued no handle yet (call it first, right
 * after loading the copy). A handler that cannot be rebuilt (its file's
 * directory vanished, say) becomes a closed handler: its handle stays
 * valid, its records count as dropped, and the reason is reported on
 * stderr. In a process other than the one that wrote the description (the
 * child), it also gives back to the kernel (madvise MADV_DONTNEED) the
 * pages of the parent's copy that are dead there and read by nothing: its
 * Go heap, its code and most of its read-only data (the description says
 * where they are), so forks of forks do not keep every ancestor's copy
 * resident. Statuses: OK, ERR_INVALID (not a description, or this copy has
 * issued handles already), ERR_CONFIG. */
int femtolog_fork_restore(FEMTOLOG_IN char *snapshot, size_t snapshot_len);

/* END CDEF */

#ifdef __cplusplus
}
#endif

#endif /* FEMTOLOG_H */
