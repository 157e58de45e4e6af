// Internal helpers of libfemtolog, shared by helpers.c and the Go code.
// Hidden: they are not part of the public interface in femtolog.h.
#ifndef FEMTOLOG_HELPERS_H
#define FEMTOLOG_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "femtolog.h"

#define FEMTOLOG_HIDDEN __attribute__((visibility("hidden")))

FEMTOLOG_HIDDEN void femtolog_set_last_error_(const char *msg, size_t len, int err_no);

FEMTOLOG_HIDDEN int femtolog_call_handle_(femtolog_handle_fn fn, uintptr_t user_data,
                                          const char *logger, size_t logger_len, int level,
                                          const char *message, size_t message_len,
                                          int64_t timestamp_ns, uint64_t thread_id,
                                          const char *thread_name, size_t thread_name_len,
                                          const femtolog_record_ex *ex);

FEMTOLOG_HIDDEN int femtolog_call_format_(femtolog_format_fn fn, uintptr_t user_data,
                                          const char *logger, size_t logger_len, int level,
                                          const char *message, size_t message_len,
                                          int64_t timestamp_ns, uint64_t thread_id,
                                          const char *thread_name, size_t thread_name_len,
                                          const femtolog_record_ex *ex, char **out,
                                          size_t *out_len);

#endif
