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
static PyObject *fast_levels;     /* dict: "INFO"/"info"/"Info" -> 20 */
/* The keys of fast_levels, interned, with their numbers: a level written
 * as a literal in the caller's code is the interned object itself, found
 * by identity before any hashing. */
#define FAST_KEYS_MAX 32
static PyObject *fast_keys[FAST_KEYS_MAX];
static long fast_numbers[FAST_KEYS_MAX];
static int fast_key_count;
static PyObject *parse_level;     /* callable(level) -> int, raises */
static PyObject *register_thread; /* callable() -> thread handle */
static PyObject *forked_error;    /* exception class */
static PyObject *forked_message;  /* str */
/* Set in a forked child (see _native's fork support): the library
 * functions above belong to the parent's copy, whose Go runtime is dead in
 * the child. With a reinit hook, the first log() calls it (it loads the
 * child's own copy and calls configure() again, which clears forked);
 * without one, log() raises forked_error. */
static int forked;
static PyObject *reinit_hook;

/* The calling OS thread's registered identity (0: not yet registered). A
 * new thread starts at 0, so a reused thread ident can never inherit an
 * old thread's name. */
static __thread uint64_t thread_handle;

#define LEVEL_SLOTS 6 /* TRACE DEBUG INFO WARN ERROR CRITICAL: levelno / 10 */

typedef struct {
    PyObject_HEAD
    uint64_t handle;
    int threshold;
    PyObject *prefixes[LEVEL_SLOTS]; /* "name [LEVEL] " */
    PyObject *weakrefs;
} LoggerCore;

static const char *const level_names[LEVEL_SLOTS] = {"TRACE", "DEBUG", "INFO",
                                                     "WARN",  "ERROR", "CRITICAL"};

static int level_slot(long levelno) {
    switch (levelno) {
    case 5: return 0;
    case 10: return 1;
    case 20: return 2;
    case 30: return 3;
    case 40: return 4;
    case 50: return 5;
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

/* _bind(handle, name): give the core its logger handle and name. */
static PyObject *LoggerCore_bind(LoggerCore *self, PyObject *args) {
    unsigned long long handle;
    PyObject *name;
    if (!PyArg_ParseTuple(args, "KU", &handle, &name)) {
        return NULL;
    }
    for (int i = 0; i < LEVEL_SLOTS; i++) {
        PyObject *prefix = PyUnicode_FromFormat("%U [%s] ", name, level_names[i]);
        if (prefix == NULL) {
            return NULL;
        }
        Py_XSETREF(self->prefixes[i], prefix);
    }
    self->handle = (uint64_t)handle;
    Py_RETURN_NONE;
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

/* log(level, message): see FemtoLogger.log. */
static PyObject *LoggerCore_log(LoggerCore *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "log() takes 2 arguments (level, message), got %zd",
                     nargs);
        return NULL;
    }
    if (forked) {
        PyObject *done = reinit_hook == NULL ? NULL : PyObject_CallNoArgs(reinit_hook);
        if (done == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetObject(forked_error, forked_message);
            }
            return NULL;
        }
        Py_DECREF(done);
        if (forked) {
            PyErr_SetObject(forked_error, forked_message);
            return NULL;
        }
    }
    PyObject *message = args[1];
    long levelno = resolve_level(args[0]);
    if (levelno == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (levelno < self->threshold) {
        Py_RETURN_NONE;
    }
    if (!PyUnicode_Check(message)) {
        PyErr_Format(PyExc_TypeError, "message must be a str, not %.100s",
                     Py_TYPE(message)->tp_name);
        return NULL;
    }
    int slot = level_slot(levelno);
    Py_ssize_t size;
    const char *data = slot < 0 || log_fn == NULL ? NULL : PyUnicode_AsUTF8AndSize(message, &size);
    if (data == NULL) {
        /* Lone surrogates and anything unusual: the Python path writes
         * them with backslashreplace (femtologging/_utf8.py), so what Go
         * gets is always valid UTF-8. */
        PyErr_Clear();
        return PyObject_CallMethod((PyObject *)self, "_log_slow", "lO", levelno, message);
    }
    if (thread_handle == 0) {
        PyObject *handle = PyObject_CallNoArgs(register_thread);
        if (handle == NULL) {
            return NULL;
        }
        thread_handle = (uint64_t)PyLong_AsUnsignedLongLong(handle);
        Py_DECREF(handle);
        if (PyErr_Occurred()) {
            thread_handle = 0;
            return NULL;
        }
    }
    uint64_t logger = self->handle, thread = thread_handle;
    /* try_log never waits for room, and takes only locks that Go workers
     * hold for moments and never while running Python, so it is safe with
     * the GIL held, and keeping the GIL saves its release and retake
     * (~20 ns, a tenth of the call). Only a full queue needs the call that
     * may wait, and that one must not hold the GIL: the worker that would
     * make room may be waiting for it to run a Python handler. The str (and
     * so data) stays alive: the caller holds a reference to it. */
    int rc = try_log_fn(logger, (int)levelno, (char *)data, (size_t)size, thread);
    if (rc == FEMTOLOG_RETRY) {
        Py_BEGIN_ALLOW_THREADS
        rc = log_fn(logger, (int)levelno, (char *)data, (size_t)size, thread);
        Py_END_ALLOW_THREADS
    }
    if (rc != FEMTOLOG_OK) {
        return PyObject_CallMethod((PyObject *)self, "_slow_status", "ilO", rc, levelno, message);
    }
    return with_prefix(self->prefixes[slot], message);
}

static PyMethodDef LoggerCore_methods[] = {
    {"log", (PyCFunction)(void (*)(void))LoggerCore_log, METH_FASTCALL,
     /* The first line is the signature inspect.signature() reports. */
     "log($self, level, message, /)\n--\n\n"
     "Log message at level; the default line, or None when filtered out."},
    {"_bind", (PyCFunction)LoggerCore_bind, METH_VARARGS, "bind(handle, name)"},
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
 *           register_thread, forked_error, forked_message) */
static PyObject *fastlog_configure(PyObject *Py_UNUSED(module), PyObject *args) {
    unsigned long long address, try_address;
    PyObject *levels, *parse, *reg, *err_cls, *err_msg;
    if (!PyArg_ParseTuple(args, "KKO!OOOU", &address, &try_address, &PyDict_Type, &levels,
                          &parse, &reg, &err_cls, &err_msg)) {
        return NULL;
    }
    Py_XSETREF(fast_levels, Py_NewRef(levels));
    if (remember_fast_keys(levels) < 0) {
        return NULL;
    }
    Py_XSETREF(parse_level, Py_NewRef(parse));
    Py_XSETREF(register_thread, Py_NewRef(reg));
    Py_XSETREF(forked_error, Py_NewRef(err_cls));
    Py_XSETREF(forked_message, Py_NewRef(err_msg));
    log_fn = (log_fn_t)(uintptr_t)address;
    try_log_fn = (log_fn_t)(uintptr_t)try_address;
    forked = 0; /* a forked child's own copy, from now on */
    Py_CLEAR(reinit_hook);
    Py_RETURN_NONE;
}

/* mark_forked(reinit): in a forked child, the library's functions must not
 * be called any more; the next log() calls reinit() (None: raises the fork
 * error instead). The calling thread keeps its thread handle: the child's
 * copy of the library restores it under the same number. */
static PyObject *fastlog_mark_forked(PyObject *Py_UNUSED(module), PyObject *hook) {
    forked = 1;
    Py_XSETREF(reinit_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    Py_RETURN_NONE;
}

static PyMethodDef fastlog_methods[] = {
    {"configure", fastlog_configure, METH_VARARGS, "Hand over the library's log function."},
    {"mark_forked", fastlog_mark_forked, METH_O,
     "In a forked child: the next log() calls reinit (None: raises)."},
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
    return module;
}
