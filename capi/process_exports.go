package main

/*
#include "femtolog.h"
*/
import "C"

//export femtolog_version
func femtolog_version() C.int { return C.FEMTOLOG_VERSION }

//export femtolog_noop
func femtolog_noop() C.int { return statusOK }

//export femtolog_shutdown
func femtolog_shutdown(timeoutMs C.int) (rc C.int) {
	defer guard(&rc)
	if err := lib.rt.Shutdown(timeoutOr(timeoutMs, defaultCloseTimeout), lib.callbacks.disable); err != nil {
		return fail(statusErrTimeout, err)
	}
	return statusOK
}
