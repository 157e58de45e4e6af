package main

/*
#include "femtolog.h"
*/
import "C"

import "time"

//export femtolog_version
func femtolog_version() C.int { return C.FEMTOLOG_VERSION }

//export femtolog_noop
func femtolog_noop() C.int { return statusOK }

//export femtolog_shutdown
func femtolog_shutdown(timeoutMs C.int) (rc C.int) {
	defer guard(&rc)
	timeout := time.Duration(timeoutMs) * time.Millisecond
	if timeoutMs < 0 {
		timeout = defaultCloseTimeout
	}
	if err := lib.rt.Shutdown(timeout, lib.callbacks.disable); err != nil {
		return fail(statusErrTimeout, err)
	}
	return statusOK
}
