/*
 * femtologging._fastlog: FemtoLogger.log's hot path in C.
 *
 * Why it exists: a cffi call costs about 90 ns here, more than everything
 * else an enabled log() call must do, and the Python around it (a method
 * call, the level lookup, encoding, the thread identity, building the
 * returned string) costs as much again. The user-facing target is an
 * enabled call at no more than twice the bare cffi floor, which the
 * interpreter alone cannot reach; this type does the same work in C and
 * calls libfemtolog directly.
 *
 * It does not link libfemtolog: the addresses of femtolog_logger_try_log
 * and femtolog_logger_log are handed over by femtologging._native once the
 * library is loaded (through cffi), so importing this module never starts
 * the Go runtime.
 *
 * Everything that is not a plain success (filtered by a logger filter,
 * dropped, block-policy retries, errors, unusual levels or strings) is
 * handed back to Python: the C code covers the common path only.
 *
 * Three things the package keeps once live here because log() needs them
 * on every call: the fork guard (is this a forked child that must not use
 * the library it inherited?), the per-thread cache of the library's thread
 * handle, and the default line's layout. _native.py reads and sets the
 * first two through this module's functions and keeps no copy.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <structmember.h>

#include "femtolog.h"

typedef int (*log_fn_t)(uint64_t, int, char *, size_t, uint64_t);

/* Set once by configure(); the GIL guards every access. */
static log_fn_t log_fn;     /* femtolog_logger_log: may wait for room */
static log_fn_t try_log_fn; /* femtolog_logger_try_log: never waits */
typedef int (*log_ex_fn_t)(uint64_t, int, char *, size_t, uint64_t, femtolog_record_ex *);
/* femtolog_logger_log_ex, for extra= with plain values (configure_ex). */
static log_ex_fn_t log_ex_fn;
static PyObject *reserved_keys; /* frozenset: keys extra= must not use */
static PyObject *extra_name;    /* the interned str "extra" */
static PyObject *fast_levels;     /* dict: "INFO"/"info"/"Info" -> 20 */
/* The keys of fast_levels, interned, with their numbers: a level written
 * as a literal in the caller's code is the interned object itself, found
 * by identity before any hashing. */
#define FAST_KEYS_MAX 32
static PyObject *fast_keys[FAST_KEYS_MAX];
static long fast_numbers[FAST_KEYS_MAX];
static int fast_key_count;
static PyObject *parse_level;     /* callable(level) -> int, raises */
/* The ContextVar of log_context(), set on its first use; NULL before, so
 * that logging without contexts never looks one up. */
static PyObject *context_var;

/* ---- the fork guard ------------------------------------------------------
 *
 * The package's one record of whether this process is a forked child that
 * must not call the library it inherited (whose Go runtime is dead here).
 * It lives here, not in _native.py, because log() checks it on every call;
 * _native sets it (set_fork_state, from its fork hooks) and reads it
 * (fork_state, check_fork), and keeps no flag of its own. A child inherits
 * it with the rest of its parent's memory. */
enum {
    FORK_FINE = 0,           /* the library handed to configure() is ours */
    FORK_REINIT_PENDING = 1, /* the next use loads this child's own copy */
    FORK_REFUSED = 2,        /* every use raises forked_error(fork_refusal) */
};
static int fork_state;
static PyObject *fork_refusal; /* str: why this child cannot log (REFUSED) */
static PyObject *reinit_hook;  /* callable: loads the child's copy (_native.load) */
static PyObject *forked_error; /* exception class (ForkedProcessError) */

/* ---- the thread cache ----------------------------------------------------
 *
 * The calling OS thread's registered identity (0: not yet registered): the
 * package's one per-thread cache of it (_native.thread_handle is
 * thread_handle() below). A new thread starts at 0, so a reused thread
 * ident can never inherit an old thread's name. A forked child's thread
 * keeps its handle: the child's copy of the library restores it under the
 * same number. */
static __thread uint64_t thread_handle;
static PyObject *register_thread; /* callable() -> a new handle for this thread */

#define LEVEL_SLOTS 6 /* TRACE DEBUG INFO WARN ERROR CRITICAL: levelno / 10 */

typedef struct {
    PyObject_HEAD
    uint64_t handle;
    int threshold;
    PyObject *prefixes[LEVEL_SLOTS]; /* "name [LEVEL] " */
    PyObject *weakrefs;
} LoggerCore;

/* The level of each slot; level_slot is its inverse. */
static const long slot_levels[LEVEL_SLOTS] = {FEMTOLOG_LEVEL_TRACE, FEMTOLOG_LEVEL_DEBUG,
                                              FEMTOLOG_LEVEL_INFO,  FEMTOLOG_LEVEL_WARN,
                                              FEMTOLOG_LEVEL_ERROR, FEMTOLOG_LEVEL_CRITICAL};
/* dict: level number -> its canonical name (levels.CANONICAL_NAMES, handed
 * over by configure()): the names are not written here a second time. */
static PyObject *level_names;

static int level_slot(long levelno) {
    switch (levelno) {
    case FEMTOLOG_LEVEL_TRACE: return 0;
    case FEMTOLOG_LEVEL_DEBUG: return 1;
    case FEMTOLOG_LEVEL_INFO: return 2;
    case FEMTOLOG_LEVEL_WARN: return 3;
    case FEMTOLOG_LEVEL_ERROR: return 4;
    case FEMTOLOG_LEVEL_CRITICAL: return 5;
    }
    return -1;
}

static int LoggerCore_traverse(LoggerCore *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static void LoggerCore_dealloc(LoggerCore *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakrefs) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    for (int i = 0; i < LEVEL_SLOTS; i++) {
        Py_CLEAR(self->prefixes[i]);
    }
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp); /* instances of heap types own a reference to their type */
}

/* _bind(handle, name): give the core its logger handle and name. The
 * default line, "{name} [{LEVEL}] {message}", is laid out here and nowhere
 * else on the Python side (Go's TextFormatter writes the same line): every
 * line log() returns starts with one of these prefixes, made once. */
static PyObject *LoggerCore_bind(LoggerCore *self, PyObject *args) {
    unsigned long long handle;
    PyObject *name;
    if (!PyArg_ParseTuple(args, "KU", &handle, &name)) {
        return NULL;
    }
    if (level_names == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_fastlog.configure() was not called");
        return NULL;
    }
    for (int i = 0; i < LEVEL_SLOTS; i++) {
        PyObject *number = PyLong_FromLong(slot_levels[i]);
        if (number == NULL) {
            return NULL;
        }
        PyObject *level = PyDict_GetItemWithError(level_names, number); /* borrowed */
        Py_DECREF(number);
        if (level == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_KeyError, "no name for level %ld", slot_levels[i]);
            }
            return NULL;
        }
        /* The layout is the header's (FEMTOLOG_LINE_AFTER_*), as Go's. */
        PyObject *prefix = PyUnicode_FromFormat("%U" FEMTOLOG_LINE_AFTER_LOGGER "%S" FEMTOLOG_LINE_AFTER_LEVEL,
                                                name, level);
        if (prefix == NULL) {
            return NULL;
        }
        Py_XSETREF(self->prefixes[i], prefix);
    }
    self->handle = (uint64_t)handle;
    Py_RETURN_NONE;
}

static PyObject *with_prefix(PyObject *prefix, PyObject *message);

/* _line(levelno, message): the default line log() returns for message,
 * for the Python paths (FemtoLogger._slow_status, _log_details). */
static PyObject *LoggerCore_line(LoggerCore *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "_line() takes 2 arguments (levelno, message), got %zd",
                     nargs);
        return NULL;
    }
    long levelno = PyLong_AsLong(args[0]);
    if (levelno == -1 && PyErr_Occurred()) {
        return NULL;
    }
    int slot = level_slot(levelno);
    if (slot < 0 || self->prefixes[slot] == NULL) {
        PyErr_Format(PyExc_ValueError, "_line(): no line for level %ld", levelno);
        return NULL;
    }
    if (!PyUnicode_Check(args[1])) {
        PyErr_Format(PyExc_TypeError, "_line(): message must be a str, not %.100s",
                     Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    return with_prefix(self->prefixes[slot], args[1]);
}

static long resolve_level(PyObject *level) {
    for (int i = 0; i < fast_key_count; i++) {
        if (level == fast_keys[i]) {
            return fast_numbers[i];
        }
    }
    if (PyUnicode_CheckExact(level)) {
        PyObject *number = PyDict_GetItemWithError(fast_levels, level);
        if (number != NULL) {
            return PyLong_AsLong(number);
        }
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    PyObject *number = PyObject_CallOneArg(parse_level, level);
    if (number == NULL) {
        return -1;
    }
    long levelno = PyLong_AsLong(number);
    Py_DECREF(number);
    return levelno;
}

/* with_prefix returns prefix + message: for ASCII text (the common case)
 * one allocation and two copies, without PyUnicode_Concat's generality. */
static PyObject *with_prefix(PyObject *prefix, PyObject *message) {
    if (!PyUnicode_IS_ASCII(prefix) || !PyUnicode_IS_ASCII(message)) {
        return PyUnicode_Concat(prefix, message);
    }
    Py_ssize_t prefix_len = PyUnicode_GET_LENGTH(prefix);
    Py_ssize_t message_len = PyUnicode_GET_LENGTH(message);
    if (message_len > PY_SSIZE_T_MAX - prefix_len) {
        return PyErr_NoMemory();
    }
    PyObject *line = PyUnicode_New(prefix_len + message_len, 127);
    if (line == NULL) {
        return NULL;
    }
    memcpy(PyUnicode_1BYTE_DATA(line), PyUnicode_1BYTE_DATA(prefix), (size_t)prefix_len);
    memcpy(PyUnicode_1BYTE_DATA(line) + prefix_len, PyUnicode_1BYTE_DATA(message),
           (size_t)message_len);
    return line;
}

/* tuple_from_array returns a new tuple of the n objects at items. */
static PyObject *tuple_from_array(PyObject *const *items, Py_ssize_t n) {
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(items[i]));
    }
    return tuple;
}

/* hand_to_python calls self._log_full(levelno, message, args, kwargs):
 * the path for everything the C code does not do itself (keywords such as
 * exc_info and extra, a log_context in force, a caller wanted by a
 * formatter, arguments that are not a plain tuple or dict, a failed %
 * format). args are the call's arguments after the message. */
static PyObject *hand_to_python(LoggerCore *self, long levelno, PyObject *message,
                                PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *tuple = tuple_from_array(args, nargs);
    if (tuple == NULL) {
        return NULL;
    }
    PyObject *kwargs = NULL;
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        kwargs = PyDict_New();
        if (kwargs == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) {
                Py_DECREF(tuple);
                Py_DECREF(kwargs);
                return NULL;
            }
        }
    }
    PyObject *result = PyObject_CallMethod((PyObject *)self, "_log_full", "lOOO", levelno, message,
                                           tuple, kwargs ? kwargs : Py_None);
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return result;
}

/* context_in_force reports whether a log_context() holds fields for the
 * current context (1), none (0), or an error (-1). Before the first
 * log_context() nothing is looked up at all. */
static int context_in_force(void) {
    if (context_var == NULL) {
        return 0;
    }
    PyObject *value;
    if (PyContextVar_Get(context_var, NULL, &value) < 0) {
        return -1;
    }
    int in_force = value != NULL && PyTuple_Check(value) && PyTuple_GET_SIZE(value) > 0;
    Py_XDECREF(value);
    return in_force;
}

/* apply_args returns message % args as stdlib applies them (a single
 * non-empty dict argument is the mapping), or NULL with no error set when
 * Python must do it (other mappings, a failed format: _log_full reports the
 * error as stdlib does). */
static PyObject *apply_args(PyObject *message, PyObject *const *args, Py_ssize_t nargs) {
    PyObject *values;
    if (nargs == 1 && PyDict_Check(args[0]) && PyDict_GET_SIZE(args[0]) > 0) {
        values = Py_NewRef(args[0]);
    } else {
        if (nargs == 1 && !PyTuple_Check(args[0]) && !PyUnicode_Check(args[0]) &&
            !PyLong_Check(args[0]) && !PyFloat_Check(args[0]) &&
            PyObject_HasAttrString(args[0], "keys")) {
            return NULL; /* maybe a Mapping: stdlib's isinstance check is Python's */
        }
        values = tuple_from_array(args, nargs);
        if (values == NULL) {
            PyErr_Clear();
            return NULL;
        }
    }
    PyObject *text = PyUnicode_Format(message, values);
    Py_DECREF(values);
    if (text == NULL) {
        PyErr_Clear();
    }
    return text;
}

/* ensure_thread registers the calling thread on its first use; -1 on an
 * error (set). */
static int ensure_thread(void) {
    if (thread_handle != 0) {
        return 0;
    }
    if (register_thread == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_fastlog.configure() was not called");
        return -1;
    }
    PyObject *handle = PyObject_CallNoArgs(register_thread);
    if (handle == NULL) {
        return -1;
    }
    thread_handle = (uint64_t)PyLong_AsUnsignedLongLong(handle);
    Py_DECREF(handle);
    if (PyErr_Occurred()) {
        thread_handle = 0;
        return -1;
    }
    return 0;
}

/* MAX_FAST_KVS bounds the extra= fields taken in C; more go to Python. */
#define MAX_FAST_KVS 16

/* fill_kvs fills kvs from an exact dict of str keys (not reserved) and
 * exact str/int/float/bool/None values; 0 when anything else is in it
 * (Python then does it, with stdlib's errors), -1 on an error. */
static int fill_kvs(PyObject *extra, femtolog_kv *kvs, Py_ssize_t *count) {
    if (!PyDict_CheckExact(extra) || PyDict_GET_SIZE(extra) > MAX_FAST_KVS) {
        return 0;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0, n = 0;
    while (PyDict_Next(extra, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            return 0;
        }
        int reserved = PySet_Contains(reserved_keys, key);
        if (reserved != 0) {
            if (reserved < 0) {
                PyErr_Clear();
            }
            return 0; /* Python raises stdlib's KeyError */
        }
        femtolog_kv *kv = &kvs[n];
        memset(kv, 0, sizeof(*kv));
        Py_ssize_t size;
        kv->key = PyUnicode_AsUTF8AndSize(key, &size);
        if (kv->key == NULL) {
            PyErr_Clear();
            return 0;
        }
        kv->key_len = (size_t)size;
        if (value == Py_None) {
            kv->kind = FEMTOLOG_VALUE_NONE;
        } else if (PyBool_Check(value)) {
            kv->kind = FEMTOLOG_VALUE_BOOL;
            kv->int_value = value == Py_True;
        } else if (PyLong_CheckExact(value)) {
            int overflow;
            long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
            if (overflow != 0 || (v == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                return 0;
            }
            kv->kind = FEMTOLOG_VALUE_INT;
            kv->int_value = v;
        } else if (PyFloat_CheckExact(value)) {
            kv->kind = FEMTOLOG_VALUE_FLOAT;
            kv->float_value = PyFloat_AS_DOUBLE(value);
        } else if (PyUnicode_CheckExact(value)) {
            kv->kind = FEMTOLOG_VALUE_STR;
            kv->str = PyUnicode_AsUTF8AndSize(value, &size);
            if (kv->str == NULL) {
                PyErr_Clear();
                return 0;
            }
            kv->str_len = (size_t)size;
        } else {
            return 0;
        }
        n++;
    }
    *count = n;
    return 1;
}

/* log_extra logs text with extra='s plain fields from C; NULL with no
 * error set when Python must take the call. Only for a call whose one
 * keyword is extra= and with no log_context in force. */
static PyObject *log_extra(LoggerCore *self, long levelno, PyObject *text, PyObject *extra,
                           int *handled) {
    femtolog_kv kvs[MAX_FAST_KVS];
    Py_ssize_t count = 0;
    *handled = 0;
    int slot = level_slot(levelno);
    if (log_ex_fn == NULL || slot < 0 || fill_kvs(extra, kvs, &count) <= 0) {
        return NULL;
    }
    Py_ssize_t size;
    const char *data = PyUnicode_AsUTF8AndSize(text, &size);
    if (data == NULL) {
        PyErr_Clear();
        return NULL; /* lone surrogates: Python copes */
    }
    if (ensure_thread() < 0) {
        *handled = 1;
        return NULL;
    }
    femtolog_record_ex ex;
    memset(&ex, 0, sizeof(ex));
    ex.flags = FEMTOLOG_EX_NO_WAIT;
    ex.kvs = kvs;
    ex.kv_count = (size_t)count;
    uint64_t logger = self->handle, thread = thread_handle;
    int rc = log_ex_fn(logger, (int)levelno, (char *)data, (size_t)size, thread, &ex);
    /* One waiting call at most; a RETRY after it goes to _slow_status and
     * from there to _native.wait_for_room, the one block-policy loop. */
    if (rc == FEMTOLOG_RETRY) {
        ex.flags = 0;
        Py_BEGIN_ALLOW_THREADS
        rc = log_ex_fn(logger, (int)levelno, (char *)data, (size_t)size, thread, &ex);
        Py_END_ALLOW_THREADS
    }
    if (rc == FEMTOLOG_NEED_CALLER) {
        return NULL; /* Python captures the caller */
    }
    *handled = 1;
    if (rc != FEMTOLOG_OK) {
        return PyObject_CallMethod((PyObject *)self, "_slow_status", "ilO", rc, levelno, text);
    }
    return with_prefix(self->prefixes[slot], text);
}

/* FAST_ARGS_MAX bounds the arguments fast_line takes. */
#define FAST_ARGS_MAX 8

/* fast_line returns prefix + (message % args) as one new ASCII str when
 * that is simple: an ASCII prefix and message whose only directives are
 * %s, %d and %%, one per argument, and arguments that are exact ASCII str
 * (for %s) or exact int (for %s or %d). It is what PyUnicode_Format gives
 * for those, without the tuple, the intermediate str and a second copy for
 * the prefix; the caller hands Go the part after the prefix. NULL (no
 * error set) when the call is not simple: PyUnicode_Format does it. */
static PyObject *fast_line(PyObject *prefix, PyObject *message, PyObject *const *args,
                           Py_ssize_t nargs) {
    if (nargs > FAST_ARGS_MAX || !PyUnicode_IS_ASCII(prefix) || !PyUnicode_IS_ASCII(message)) {
        return NULL;
    }
    char digits[FAST_ARGS_MAX][24];
    const char *parts[FAST_ARGS_MAX];
    Py_ssize_t lens[FAST_ARGS_MAX];
    const char *fmt = (const char *)PyUnicode_1BYTE_DATA(message);
    Py_ssize_t fmt_len = PyUnicode_GET_LENGTH(message);
    Py_ssize_t total = PyUnicode_GET_LENGTH(prefix), used = 0;
    for (Py_ssize_t i = 0; i < fmt_len; i++) {
        if (fmt[i] != '%') {
            total++;
            continue;
        }
        if (++i == fmt_len) {
            return NULL;
        }
        char conv = fmt[i];
        if (conv == '%') {
            total++;
            continue;
        }
        if ((conv != 's' && conv != 'd') || used == nargs) {
            return NULL;
        }
        PyObject *arg = args[used];
        if (PyLong_CheckExact(arg)) {
            int overflow;
            long long v = PyLong_AsLongLongAndOverflow(arg, &overflow);
            if (overflow != 0 || (v == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                return NULL;
            }
            lens[used] = snprintf(digits[used], sizeof(digits[used]), "%lld", v);
            parts[used] = digits[used];
        } else if (conv == 's' && PyUnicode_CheckExact(arg) && PyUnicode_IS_ASCII(arg)) {
            lens[used] = PyUnicode_GET_LENGTH(arg);
            parts[used] = (const char *)PyUnicode_1BYTE_DATA(arg);
        } else {
            return NULL;
        }
        total += lens[used];
        used++;
    }
    if (used != nargs) {
        return NULL; /* Python reports "not all arguments converted" */
    }
    PyObject *line = PyUnicode_New(total, 127);
    if (line == NULL) {
        return NULL;
    }
    char *out = (char *)PyUnicode_1BYTE_DATA(line);
    Py_ssize_t prefix_len = PyUnicode_GET_LENGTH(prefix);
    memcpy(out, PyUnicode_1BYTE_DATA(prefix), (size_t)prefix_len);
    out += prefix_len;
    used = 0;
    for (Py_ssize_t i = 0; i < fmt_len; i++) {
        if (fmt[i] != '%') {
            *out++ = fmt[i];
            continue;
        }
        i++;
        if (fmt[i] == '%') {
            *out++ = '%';
            continue;
        }
        memcpy(out, parts[used], (size_t)lens[used]);
        out += lens[used];
        used++;
    }
    return line;
}

/* log_at is log() once the level is known: args are the call's arguments
 * after the message (format arguments, then keyword values). */
static PyObject *log_at(LoggerCore *self, long levelno, PyObject *message, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames) {
    if (levelno < self->threshold) {
        Py_RETURN_NONE; /* disabled: the arguments are never formatted */
    }
    if (!PyUnicode_Check(message)) {
        PyErr_Format(PyExc_TypeError, "message must be a str, not %.100s",
                     Py_TYPE(message)->tp_name);
        return NULL;
    }
    PyObject *extra = NULL;
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        /* extra= alone, with plain values, is common enough for C. */
        if (PyTuple_GET_SIZE(kwnames) != 1 || PyTuple_GET_ITEM(kwnames, 0) != extra_name ||
            extra_name == NULL) {
            return hand_to_python(self, levelno, message, args, nargs, kwnames);
        }
        extra = args[nargs];
    }
    int in_context = context_in_force();
    if (in_context != 0) {
        return in_context < 0 ? NULL : hand_to_python(self, levelno, message, args, nargs, kwnames);
    }
    PyObject *text = message;
    PyObject *formatted = NULL;
    int slot = level_slot(levelno);
    PyObject *line = NULL; /* prefix + formatted message, made at once */
    Py_ssize_t prefix_len = 0;
    if (nargs > 0 && extra == NULL && slot >= 0 && log_fn != NULL) {
        line = fast_line(self->prefixes[slot], message, args, nargs);
        if (line == NULL && PyErr_Occurred()) {
            return NULL;
        }
        if (line != NULL) {
            prefix_len = PyUnicode_GET_LENGTH(self->prefixes[slot]);
        }
    }
    if (nargs > 0 && line == NULL) {
        formatted = apply_args(message, args, nargs);
        if (formatted == NULL) {
            return hand_to_python(self, levelno, message, args, nargs, kwnames);
        }
        text = formatted;
    }
    if (extra != NULL) {
        int handled;
        PyObject *result = log_extra(self, levelno, text, extra, &handled);
        Py_XDECREF(formatted);
        if (handled || PyErr_Occurred()) {
            return result;
        }
        return hand_to_python(self, levelno, message, args, nargs, kwnames);
    }
    Py_ssize_t size;
    const char *data;
    if (line != NULL) {
        data = (const char *)PyUnicode_1BYTE_DATA(line) + prefix_len; /* ASCII is UTF-8 */
        size = PyUnicode_GET_LENGTH(line) - prefix_len;
    } else {
        data = slot < 0 || log_fn == NULL ? NULL : PyUnicode_AsUTF8AndSize(text, &size);
    }
    PyObject *result;
    if (data == NULL) {
        /* Lone surrogates and anything unusual: the Python path writes
         * them with backslashreplace (femtologging/_utf8.py), so what Go
         * gets is always valid UTF-8. */
        PyErr_Clear();
        result = PyObject_CallMethod((PyObject *)self, "_log_slow", "lO", levelno, text);
        Py_XDECREF(formatted);
        return result;
    }
    if (ensure_thread() < 0) {
        Py_XDECREF(formatted);
        Py_XDECREF(line);
        return NULL;
    }
    uint64_t logger = self->handle, thread = thread_handle;
    /* try_log never waits for room, and takes only locks that Go workers
     * hold for moments and never while running Python, so it is safe with
     * the GIL held, and keeping the GIL saves its release and retake
     * (~20 ns, a tenth of the call). Only a full queue needs the call that
     * may wait, and that one must not hold the GIL: the worker that would
     * make room may be waiting for it to run a Python handler. The str (and
     * so data) stays alive: the caller (or formatted) holds a reference. */
    int rc = try_log_fn(logger, (int)levelno, (char *)data, (size_t)size, thread);
    /* As in the record path: one waiting call here, any further waiting in
     * _native.wait_for_room (through _slow_status). */
    if (rc == FEMTOLOG_RETRY) {
        Py_BEGIN_ALLOW_THREADS
        rc = log_fn(logger, (int)levelno, (char *)data, (size_t)size, thread);
        Py_END_ALLOW_THREADS
    }
    if (rc == FEMTOLOG_NEED_CALLER) {
        /* A formatter wants the caller: Python captures it and logs. */
        Py_XDECREF(formatted);
        Py_XDECREF(line);
        return hand_to_python(self, levelno, message, args, nargs, NULL);
    }
    if (rc == FEMTOLOG_OK && line != NULL) {
        return line;
    }
    if (rc != FEMTOLOG_OK) {
        if (line != NULL) {
            text = formatted = PyUnicode_Substring(line, prefix_len, PyUnicode_GET_LENGTH(line));
            Py_DECREF(line);
            if (text == NULL) {
                return NULL;
            }
        }
        result = PyObject_CallMethod((PyObject *)self, "_slow_status", "ilO", rc, levelno, text);
    } else {
        result = with_prefix(self->prefixes[slot], text);
    }
    Py_XDECREF(formatted);
    return result;
}

/* raise_refusal sets the error a refused forked child gets; NULL. */
static PyObject *raise_refusal(void) {
    PyObject *cls = forked_error != NULL ? forked_error : PyExc_RuntimeError;
    if (fork_refusal != NULL) {
        PyErr_SetObject(cls, fork_refusal);
    } else {
        PyErr_SetString(cls, "femtologging cannot use its library in this child of os.fork()");
    }
    return NULL;
}

/* leave_fork_state runs when log() finds the guard not FINE, in a forked
 * child: a pending child loads its own copy through the reinit hook (once:
 * that makes the state FINE), a refused one raises why. 0 when log() may
 * go on; -1 with an exception set. */
static int leave_fork_state(void) {
    if (fork_state == FORK_REINIT_PENDING && reinit_hook != NULL) {
        PyObject *done = PyObject_CallNoArgs(reinit_hook);
        if (done == NULL) {
            return -1; /* the reason, as _native raised it */
        }
        Py_DECREF(done);
    }
    if (fork_state != FORK_FINE) {
        raise_refusal();
        return -1;
    }
    return 0;
}

/* log(level, message, *args, **kwargs): see FemtoLogger.log. */
static PyObject *LoggerCore_log(LoggerCore *self, PyObject *const *args, size_t nargsf,
                                PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs < 2) {
        PyErr_Format(PyExc_TypeError,
                     "log() takes at least 2 arguments (level, message), got %zd", nargs);
        return NULL;
    }
    if (fork_state != FORK_FINE && leave_fork_state() < 0) {
        return NULL;
    }
    long levelno = resolve_level(args[0]);
    if (levelno == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return log_at(self, levelno, args[1], args + 2, nargs - 2, kwnames);
}

/* The level methods: info(message, *args, **kwargs) and so on, in C so
 * that a plain info("msg") costs no Python frame. */
static PyObject *log_level(LoggerCore *self, long levelno, const char *name,
                           PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs < 1) {
        PyErr_Format(PyExc_TypeError, "%s() missing the message argument", name);
        return NULL;
    }
    if (fork_state != FORK_FINE && leave_fork_state() < 0) {
        return NULL;
    }
    return log_at(self, levelno, args[0], args + 1, nargs - 1, kwnames);
}

#define LEVEL_METHOD(fn, levelno, name)                                                      \
    static PyObject *fn(LoggerCore *self, PyObject *const *args, size_t nargsf,              \
                        PyObject *kwnames) {                                                 \
        return log_level(self, levelno, name, args, nargsf, kwnames);                        \
    }
LEVEL_METHOD(LoggerCore_trace, FEMTOLOG_LEVEL_TRACE, "trace")
LEVEL_METHOD(LoggerCore_debug, FEMTOLOG_LEVEL_DEBUG, "debug")
LEVEL_METHOD(LoggerCore_info, FEMTOLOG_LEVEL_INFO, "info")
LEVEL_METHOD(LoggerCore_warning, FEMTOLOG_LEVEL_WARN, "warning")
LEVEL_METHOD(LoggerCore_error, FEMTOLOG_LEVEL_ERROR, "error")
LEVEL_METHOD(LoggerCore_critical, FEMTOLOG_LEVEL_CRITICAL, "critical")

static PyMethodDef LoggerCore_methods[] = {
    /* The first line of each doc is the signature inspect.signature() reports. */
    {"log", (PyCFunction)(void (*)(void))LoggerCore_log, METH_FASTCALL | METH_KEYWORDS,
     "log($self, level, message, /, *args, exc_info=None, stack_info=False, stacklevel=1, "
     "extra=None)\n--\n\n"
     "Log message % args at level; the default line, or None when filtered out."},
#define LEVEL_ENTRY(name, fn)                                                                \
    {name, (PyCFunction)(void (*)(void))fn, METH_FASTCALL | METH_KEYWORDS,                  \
     name "($self, message, /, *args, exc_info=None, stack_info=False, stacklevel=1, "      \
          "extra=None)\n--\n\n"                                                           \
          "log() at the level " name " names."}
    LEVEL_ENTRY("trace", LoggerCore_trace),
    LEVEL_ENTRY("debug", LoggerCore_debug),
    LEVEL_ENTRY("info", LoggerCore_info),
    LEVEL_ENTRY("warning", LoggerCore_warning),
    LEVEL_ENTRY("warn", LoggerCore_warning),
    LEVEL_ENTRY("error", LoggerCore_error),
    LEVEL_ENTRY("critical", LoggerCore_critical),
#undef LEVEL_ENTRY
    {"_bind", (PyCFunction)LoggerCore_bind, METH_VARARGS, "bind(handle, name)"},
    {"_line", (PyCFunction)(void (*)(void))LoggerCore_line, METH_FASTCALL,
     "_line(levelno, message): the default line log() returns"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef LoggerCore_members[] = {
    {"_threshold", T_INT, offsetof(LoggerCore, threshold), 0,
     "cached effective level: records below it never reach Go"},
    {"_handle", T_ULONGLONG, offsetof(LoggerCore, handle), READONLY, "the logger's handle"},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(LoggerCore, weakrefs), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot LoggerCore_slots[] = {
    {Py_tp_dealloc, LoggerCore_dealloc},
    {Py_tp_traverse, LoggerCore_traverse},
    {Py_tp_methods, LoggerCore_methods},
    {Py_tp_members, LoggerCore_members},
    {Py_tp_doc, "The C half of FemtoLogger: the hot path of log()."},
    {0, NULL},
};

static PyType_Spec LoggerCore_spec = {
    "femtologging._fastlog.LoggerCore",
    sizeof(LoggerCore),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    LoggerCore_slots,
};

/* remember_fast_keys fills fast_keys from the str keys of levels. */
static int remember_fast_keys(PyObject *levels) {
    for (int i = 0; i < fast_key_count; i++) {
        Py_CLEAR(fast_keys[i]);
    }
    fast_key_count = 0;
    PyObject *key, *number;
    Py_ssize_t pos = 0;
    while (PyDict_Next(levels, &pos, &key, &number)) {
        if (!PyUnicode_CheckExact(key) || fast_key_count == FAST_KEYS_MAX) {
            continue; /* found by the dict lookup instead */
        }
        long levelno = PyLong_AsLong(number);
        if (levelno == -1 && PyErr_Occurred()) {
            return -1;
        }
        Py_INCREF(key);
        PyUnicode_InternInPlace(&key); /* the interned equal str, if any */
        fast_keys[fast_key_count] = key;
        fast_numbers[fast_key_count] = levelno;
        fast_key_count++;
    }
    return 0;
}

/* configure(log_address, try_log_address, fast_levels, parse_level,
 *           level_names, register_thread, reinit, forked_error): hand over
 * the library's log functions (this process's copy: the fork guard is FINE
 * from now on) and what log() calls back for the rest. */
static PyObject *fastlog_configure(PyObject *Py_UNUSED(module), PyObject *args) {
    unsigned long long address, try_address;
    PyObject *levels, *parse, *names, *reg, *reinit, *err_cls;
    if (!PyArg_ParseTuple(args, "KKO!OO!OOO", &address, &try_address, &PyDict_Type, &levels,
                          &parse, &PyDict_Type, &names, &reg, &reinit, &err_cls)) {
        return NULL;
    }
    Py_XSETREF(fast_levels, Py_NewRef(levels));
    if (remember_fast_keys(levels) < 0) {
        return NULL;
    }
    Py_XSETREF(parse_level, Py_NewRef(parse));
    Py_XSETREF(level_names, Py_NewRef(names));
    Py_XSETREF(register_thread, Py_NewRef(reg));
    Py_XSETREF(reinit_hook, Py_NewRef(reinit));
    Py_XSETREF(forked_error, Py_NewRef(err_cls));
    log_fn = (log_fn_t)(uintptr_t)address;
    try_log_fn = (log_fn_t)(uintptr_t)try_address;
    fork_state = FORK_FINE; /* a forked child's own copy, from now on */
    Py_CLEAR(fork_refusal);
    Py_RETURN_NONE;
}

/* configure_ex(log_ex_address, reserved_keys): lets log() take extra=
 * with plain values without calling Python. */
static PyObject *fastlog_configure_ex(PyObject *Py_UNUSED(module), PyObject *args) {
    unsigned long long address;
    PyObject *reserved;
    if (!PyArg_ParseTuple(args, "KO!", &address, &PyFrozenSet_Type, &reserved)) {
        return NULL;
    }
    if (extra_name == NULL) {
        extra_name = PyUnicode_InternFromString("extra");
        if (extra_name == NULL) {
            return NULL;
        }
    }
    Py_XSETREF(reserved_keys, Py_NewRef(reserved));
    log_ex_fn = (log_ex_fn_t)(uintptr_t)address;
    Py_RETURN_NONE;
}

/* set_context_var(var): log() looks up var from now on (log_context). */
static PyObject *fastlog_set_context_var(PyObject *Py_UNUSED(module), PyObject *var) {
    if (!PyContextVar_CheckExact(var)) {
        PyErr_SetString(PyExc_TypeError, "set_context_var() takes a ContextVar");
        return NULL;
    }
    Py_XSETREF(context_var, Py_NewRef(var));
    Py_RETURN_NONE;
}

/* fork_state(): the fork guard's state (FORK_FINE, FORK_REINIT_PENDING or
 * FORK_REFUSED). */
static PyObject *fastlog_fork_state(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused)) {
    return PyLong_FromLong(fork_state);
}

/* set_fork_state(state, reason=None): what _native's fork hooks decided
 * for this child: FORK_REINIT_PENDING (the next use loads its own copy),
 * FORK_REFUSED with the reason every use raises, or FORK_FINE. */
static PyObject *fastlog_set_fork_state(PyObject *Py_UNUSED(module), PyObject *args) {
    int state;
    PyObject *reason = Py_None;
    if (!PyArg_ParseTuple(args, "i|O", &state, &reason)) {
        return NULL;
    }
    if (state != FORK_FINE && state != FORK_REINIT_PENDING && state != FORK_REFUSED) {
        PyErr_Format(PyExc_ValueError, "set_fork_state(): unknown state %d", state);
        return NULL;
    }
    if ((state == FORK_REFUSED) != PyUnicode_Check(reason)) {
        PyErr_SetString(PyExc_TypeError,
                        "set_fork_state(): FORK_REFUSED takes a reason (str), the others none");
        return NULL;
    }
    fork_state = state;
    if (state == FORK_REFUSED) {
        Py_XSETREF(fork_refusal, Py_NewRef(reason));
    } else {
        Py_CLEAR(fork_refusal);
    }
    Py_RETURN_NONE;
}

/* check_fork(): raise forked_error(reason) in a refused child; None
 * otherwise (a pending child is fine: its next use loads its copy). */
static PyObject *fastlog_check_fork(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused)) {
    if (fork_state == FORK_REFUSED) {
        return raise_refusal();
    }
    Py_RETURN_NONE;
}

/* thread_handle(): the calling thread's registered identity, registered
 * (through register_thread) on its first use. */
static PyObject *fastlog_thread_handle(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused)) {
    if (ensure_thread() < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(thread_handle);
}

/* thread_handle_if_registered(): the calling thread's identity, or 0 when
 * it has none yet (registers nothing). */
static PyObject *fastlog_thread_handle_if_registered(PyObject *Py_UNUSED(module),
                                                     PyObject *Py_UNUSED(unused)) {
    return PyLong_FromUnsignedLongLong(thread_handle);
}

static PyMethodDef fastlog_methods[] = {
    {"configure", fastlog_configure, METH_VARARGS, "Hand over the library's log function."},
    {"fork_state", fastlog_fork_state, METH_NOARGS, "The fork guard's state (FORK_*)."},
    {"set_fork_state", fastlog_set_fork_state, METH_VARARGS,
     "Set the fork guard: FORK_REINIT_PENDING, FORK_REFUSED with its reason, or FORK_FINE."},
    {"check_fork", fastlog_check_fork, METH_NOARGS,
     "Raise the fork error in a child whose fork guard refuses the library."},
    {"thread_handle", fastlog_thread_handle, METH_NOARGS,
     "The calling thread's handle, registered on first use."},
    {"thread_handle_if_registered", fastlog_thread_handle_if_registered, METH_NOARGS,
     "The calling thread's handle, or 0 if it has none yet."},
    {"set_context_var", fastlog_set_context_var, METH_O, "Make log() consult log_context's variable."},
    {"configure_ex", fastlog_configure_ex, METH_VARARGS, "Hand over femtolog_logger_log_ex."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fastlog_module = {
    PyModuleDef_HEAD_INIT, "femtologging._fastlog", "FemtoLogger.log's hot path in C.", -1,
    fastlog_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fastlog(void) {
    PyObject *module = PyModule_Create(&fastlog_module);
    if (module == NULL) {
        return NULL;
    }
    PyObject *type = PyType_FromSpec(&LoggerCore_spec);
    if (type == NULL || PyModule_AddObject(module, "LoggerCore", type) < 0) {
        Py_XDECREF(type);
        Py_DECREF(module);
        return NULL;
    }
    /* The header this module was compiled against; _native checks it
     * against the library's femtolog_version() before configure(). */
    if (PyModule_AddIntConstant(module, "HEADER_VERSION", FEMTOLOG_VERSION) < 0 ||
        PyModule_AddIntConstant(module, "FORK_FINE", FORK_FINE) < 0 ||
        PyModule_AddIntConstant(module, "FORK_REINIT_PENDING", FORK_REINIT_PENDING) < 0 ||
        PyModule_AddIntConstant(module, "FORK_REFUSED", FORK_REFUSED) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
