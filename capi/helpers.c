// C helpers of the library: the per-thread last error, the buffer that
// callback formatters append to, and the trampolines through which Go calls
// C function pointers (Go cannot call a function pointer directly).
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "femtolog.h"
#include "helpers.h"

static __thread char *last_error_message;
static __thread int last_error_errno;

const char *femtolog_last_error(void) {
    return last_error_message ? last_error_message : "";
}

int femtolog_last_errno(void) { return last_error_errno; }

void femtolog_set_last_error_(const char *msg, size_t len, int err_no) {
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        return; // keep the previous message rather than lose both
    }
    memcpy(copy, msg, len);
    copy[len] = '\0';
    free(last_error_message);
    last_error_message = copy;
    last_error_errno = err_no;
}

struct femtolog_buffer {
    char *data;
    size_t len;
    size_t cap;
};

int femtolog_buffer_append(femtolog_buffer *out, char *data, size_t len) {
    if (out == NULL || (data == NULL && len > 0)) {
        return FEMTOLOG_ERR_INVALID;
    }
    if (out->len + len > out->cap) {
        size_t cap = out->cap ? out->cap : 256;
        while (cap < out->len + len) {
            cap *= 2;
        }
        char *grown = realloc(out->data, cap);
        if (grown == NULL) {
            return FEMTOLOG_ERR_INVALID;
        }
        out->data = grown;
        out->cap = cap;
    }
    if (len > 0) {
        memcpy(out->data + out->len, data, len);
    }
    out->len += len;
    return FEMTOLOG_OK;
}

int femtolog_call_handle_(femtolog_handle_fn fn, uintptr_t user_data, const char *logger,
                          size_t logger_len, int level, const char *message, size_t message_len,
                          int64_t timestamp_ns, uint64_t thread_id, const char *thread_name,
                          size_t thread_name_len, const femtolog_record_ex *ex) {
    femtolog_record rec = {logger,       logger_len, level,       message,         message_len,
                           timestamp_ns, thread_id,  thread_name, thread_name_len, ex};
    return fn((void *)user_data, &rec);
}

int femtolog_call_format_(femtolog_format_fn fn, uintptr_t user_data, const char *logger,
                          size_t logger_len, int level, const char *message, size_t message_len,
                          int64_t timestamp_ns, uint64_t thread_id, const char *thread_name,
                          size_t thread_name_len, const femtolog_record_ex *ex, char **out,
                          size_t *out_len) {
    femtolog_record rec = {logger,       logger_len, level,       message,         message_len,
                           timestamp_ns, thread_id,  thread_name, thread_name_len, ex};
    femtolog_buffer buf = {NULL, 0, 0};
    int rc = fn((void *)user_data, &rec, &buf);
    *out = buf.data;
    *out_len = buf.len;
    return rc;
}
