package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"errors"
	"unsafe"

	"femtologging/core"
	"femtologging/core/config"
)

//export femtolog_handler_create_callback_ex
func femtolog_handler_create_callback_ex(outHandler *C.uint64_t, fn C.femtolog_handle_fn, userData unsafe.Pointer, flags C.int) (rc C.int) {
	defer guard(&rc)
	if outHandler == nil || fn == nil {
		return failErr(errNilPointer)
	}
	h := newCallbackHandler(fn, C.uintptr_t(uintptr(userData)))
	h.Caller = flags&C.FEMTOLOG_CALLBACK_CALLER != 0
	*outHandler = C.uint64_t(lib.rt.RegisterEntry(core.HandlerEntry{Handler: h, Kind: "callback", FlushTimeout: config.DefaultFlushTimeout, Recipe: forkRecipe{fn: fn, userData: C.uintptr_t(uintptr(userData)), caller: h.Caller}}))
	return statusOK
}

//export femtolog_formatter_create_callback_ex
func femtolog_formatter_create_callback_ex(outFormatter *C.uint64_t, fn C.femtolog_format_fn, userData unsafe.Pointer, flags C.int) (rc C.int) {
	defer guard(&rc)
	if outFormatter == nil || fn == nil {
		return failErr(errNilPointer)
	}
	f := &callbackFormatter{fn: fn, userData: C.uintptr_t(uintptr(userData)), caller: flags&C.FEMTOLOG_CALLBACK_CALLER != 0}
	*outFormatter = C.uint64_t(lib.formatters.add(f))
	return statusOK
}

//export femtolog_format_record
func femtolog_format_record(out *C.char, outCap C.size_t, outLen *C.size_t, formatterJSON *C.char, formatterLen C.size_t, record *C.femtolog_record) (rc C.int) {
	defer guard(&rc)
	if outLen == nil || record == nil || (out == nil && outCap > 0) {
		return failErr(errNilPointer)
	}
	spec, err := borrow(formatterJSON, formatterLen)
	if err != nil {
		return failErr(err)
	}
	f, err := config.BuildFormatter(lib.configEnv(), spec)
	if err != nil {
		return failErr(err)
	}
	rec, err := recordFromC(record)
	if err != nil {
		return failErr(err)
	}
	line, err := f.Format(nil, rec)
	if err != nil {
		return failErr(errors.Join(errInvalidArg, err))
	}
	*outLen = C.size_t(len(line))
	if outCap > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(out)), int(outCap)), line)
	}
	return statusOK
}

// recordFromC copies a femtolog_record (and its details) into a Record.
func recordFromC(src *C.femtolog_record) (*core.Record, error) {
	name, err := borrowString(src.logger, src.logger_len)
	if err != nil {
		return nil, err
	}
	msg, err := borrow(src.message, src.message_len)
	if err != nil {
		return nil, err
	}
	thread, err := borrowString(src.thread_name, src.thread_name_len)
	if err != nil {
		return nil, err
	}
	rec := &core.Record{Logger: name, Level: core.Level(src.level), Message: msg, TimeNs: int64(src.timestamp_ns),
		ThreadID: uint64(src.thread_id), ThreadName: thread}
	if src.ex != nil {
		var d core.RecordDetails
		if _, err := detailsFromC((*C.femtolog_record_ex)(unsafe.Pointer(src.ex)), &d, nil); err != nil {
			return nil, err
		}
		d.TimeNs = 0 // the record's own time rules
		rec.SetDetails(&d)
	}
	return rec, nil
}
