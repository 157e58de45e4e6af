package main

/*
#include "femtolog.h"
#include "helpers.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"unsafe"

	"femtologging/core"
	"femtologging/core/config"
)

// Status codes, mirrored from femtolog.h so Go code reads naturally.
const (
	statusOK          = C.int(C.FEMTOLOG_OK)
	statusFiltered    = C.int(C.FEMTOLOG_FILTERED)
	statusDropped     = C.int(C.FEMTOLOG_DROPPED)
	statusRetry       = C.int(C.FEMTOLOG_RETRY)
	statusNeedCaller  = C.int(C.FEMTOLOG_NEED_CALLER)
	statusPending     = C.int(C.FEMTOLOG_PENDING)
	statusErrInvalid  = C.int(C.FEMTOLOG_ERR_INVALID)
	statusErrHandle   = C.int(C.FEMTOLOG_ERR_HANDLE)
	statusErrConfig   = C.int(C.FEMTOLOG_ERR_CONFIG)
	statusErrFull     = C.int(C.FEMTOLOG_ERR_FULL)
	statusErrClosed   = C.int(C.FEMTOLOG_ERR_CLOSED)
	statusErrIO       = C.int(C.FEMTOLOG_ERR_IO)
	statusErrTimeout  = C.int(C.FEMTOLOG_ERR_TIMEOUT)
	statusErrInternal = C.int(C.FEMTOLOG_ERR_INTERNAL)
)

// errHandle reports an unknown or stale handle.
var errHandle = core.ErrUnknownHandle

// errNilPointer reports a NULL out-parameter or a NULL string with a
// non-zero length.
var errNilPointer = errors.New("NULL pointer argument")

// errInvalidArg reports a bad field of an argument structure, e.g. an
// empty key or an unknown value kind in femtolog_logger_log_ex.
var errInvalidArg = errors.New("invalid argument")

// guard is deferred by every export: it turns a panic into
// FEMTOLOG_ERR_INTERNAL instead of letting it abort the host process.
func guard(rc *C.int) {
	if r := recover(); r != nil {
		*rc = fail(statusErrInternal, fmt.Errorf("internal error: %v", r))
	}
}

// fail records err as the calling thread's last error and returns status.
func fail(status C.int, err error) C.int {
	msg := err.Error()
	errno := 0
	var en syscall.Errno
	if errors.As(err, &en) {
		errno = int(en)
	}
	C.femtolog_set_last_error_(cString(msg), C.size_t(len(msg)), C.int(errno))
	return status
}

// failErr picks the status that matches err.
func failErr(err error) C.int {
	var pathErr *fs.PathError
	var errno syscall.Errno
	switch {
	case errors.Is(err, errHandle):
		return fail(statusErrHandle, err)
	case errors.Is(err, config.ErrInvalid):
		return fail(statusErrConfig, err)
	case errors.Is(err, core.ErrInvalidName), errors.Is(err, core.ErrInvalidLevel),
		errors.Is(err, core.ErrRootLevel), errors.Is(err, errNilPointer), errors.Is(err, errInvalidArg),
		errors.Is(err, config.ErrUnknownSetting):
		return fail(statusErrInvalid, err)
	case errors.Is(err, core.ErrQueueFull):
		return fail(statusErrFull, err)
	case errors.Is(err, core.ErrClosed):
		return fail(statusErrClosed, err)
	case errors.As(err, &pathErr), errors.As(err, &errno):
		return fail(statusErrIO, err)
	}
	return fail(statusErrInternal, err)
}

// cString points at a Go string's bytes for a call that only reads them.
func cString(s string) *C.char {
	return (*C.char)(unsafe.Pointer(unsafe.StringData(s)))
}

// cBytes points at a byte slice's contents for a call that only reads them.
func cBytes(b []byte) *C.char {
	return (*C.char)(unsafe.Pointer(unsafe.SliceData(b)))
}

// borrow views a (pointer, length) argument as bytes without copying; the
// view is valid only during the export call.
func borrow(p *C.char, n C.size_t) ([]byte, error) {
	if p == nil {
		if n == 0 {
			return nil, nil
		}
		return nil, errNilPointer
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)), nil
}

// borrowString copies a (pointer, length) argument into a Go string.
func borrowString(p *C.char, n C.size_t) (string, error) {
	b, err := borrow(p, n)
	return string(b), err
}
