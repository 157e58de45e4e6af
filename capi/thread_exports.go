package main

/*
#include "femtolog.h"
*/
import "C"

import "femtologging/core"

//export femtolog_thread_register
func femtolog_thread_register(outThread *C.uint64_t, threadID C.uint64_t, name *C.char, nameLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if outThread == nil {
		return failErr(errNilPointer)
	}
	n, err := borrowString(name, nameLen)
	if err != nil {
		return failErr(err)
	}
	*outThread = C.uint64_t(lib.threads.add(&core.ThreadInfo{ID: uint64(threadID), Name: n}))
	return statusOK
}
