package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"errors"
	"unsafe"

	"femtologging/core/config"
)

//export femtolog_value_check
func femtolog_value_check(outJSON *C.uint8_t, outCap C.size_t, outLen *C.size_t, name *C.char, nameLen C.size_t, valueJSON *C.char, valueLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if outLen == nil || (outJSON == nil && outCap > 0) {
		return failErr(errNilPointer)
	}
	setting, err := borrowString(name, nameLen)
	if err != nil {
		return failErr(err)
	}
	value, err := borrow(valueJSON, valueLen)
	if err != nil {
		return failErr(err)
	}
	out, err := config.CheckValue(setting, value)
	var bad *config.Error
	if errors.As(err, &bad) {
		// The reason alone, as the header promises: the caller shows the
		// setting and the value in its own notation.
		return fail(statusErrConfig, errors.New(bad.Reason))
	}
	if err != nil {
		return failErr(err)
	}
	*outLen = C.size_t(len(out))
	if int(outCap) >= len(out) {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(outJSON)), len(out)), out)
	}
	return statusOK
}
